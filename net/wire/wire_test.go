package wire_test

import (
	"strings"
	"testing"

	"parley/net/wire"
)

// TestKindValues pins every kind to its byte in c-toxcore 0.2.18
// network.h (tox-protocol.md §2) and to its log name.
func TestKindValues(t *testing.T) {
	tests := []struct {
		kind wire.Kind
		b    byte
		name string
	}{
		{wire.KindPingRequest, 0x00, "ping-request"},
		{wire.KindPingResponse, 0x01, "ping-response"},
		{wire.KindNodesRequest, 0x02, "nodes-request"},
		{wire.KindNodesResponse, 0x04, "nodes-response"},
		{wire.KindCookieRequest, 0x18, "cookie-request"},
		{wire.KindCookieResponse, 0x19, "cookie-response"},
		{wire.KindCryptoHandshake, 0x1a, "crypto-handshake"},
		{wire.KindCryptoData, 0x1b, "crypto-data"},
		{wire.KindCrypto, 0x20, "dht-crypto"},
		{wire.KindLANDiscovery, 0x21, "lan-discovery"},
		{wire.KindOnionSendInitial, 0x80, "onion-send-initial"},
		{wire.KindOnionSend1, 0x81, "onion-send-1"},
		{wire.KindOnionSend2, 0x82, "onion-send-2"},
		{wire.KindAnnounceRequest, 0x83, "announce-request"},
		{wire.KindAnnounceResponse, 0x84, "announce-response"},
		{wire.KindOnionDataRequest, 0x85, "onion-data-request"},
		{wire.KindOnionDataResponse, 0x86, "onion-data-response"},
		{wire.KindOnionRecv3, 0x8c, "onion-recv-3"},
		{wire.KindOnionRecv2, 0x8d, "onion-recv-2"},
		{wire.KindOnionRecv1, 0x8e, "onion-recv-1"},
		{wire.KindBootstrapInfo, 0xf0, "bootstrap-info"},
	}
	known := map[byte]bool{}
	for _, tt := range tests {
		if byte(tt.kind) != tt.b {
			t.Errorf("%s = %#02x, want %#02x", tt.name, byte(tt.kind), tt.b)
		}
		if got := tt.kind.String(); got != tt.name {
			t.Errorf("Kind(%#02x).String() = %q, want %q", tt.b, got, tt.name)
		}
		if !tt.kind.Known() {
			t.Errorf("Kind(%#02x).Known() = false", tt.b)
		}
		known[tt.b] = true
	}

	// Every other byte is unknown and named by its value; no two kinds
	// share a name.
	names := map[string]byte{}
	for i := 0; i < 256; i++ {
		k := wire.Kind(i)
		if k.Known() != known[byte(i)] {
			t.Errorf("Kind(%#02x).Known() = %v, want %v", i, k.Known(), known[byte(i)])
		}
		s := k.String()
		if prev, dup := names[s]; dup {
			t.Errorf("kinds %#02x and %#02x are both named %q", prev, i, s)
		}
		names[s] = byte(i)
		if !known[byte(i)] && !strings.HasPrefix(s, "kind-0x") {
			t.Errorf("unknown Kind(%#02x).String() = %q", i, s)
		}
	}
	// Group-chat groundwork kinds Parley does not speak (tox-protocol.md §2).
	for _, b := range []byte{0x03, 0x87, 0x88, 0x90, 0x98, 0xff} {
		if wire.Kind(b).Known() {
			t.Errorf("Kind(%#02x) should be unknown", b)
		}
	}
	if got := wire.Kind(0x87).String(); got != "kind-0x87" {
		t.Errorf("Kind(0x87).String() = %q, want kind-0x87", got)
	}
}

func TestMaxUDPPacketSize(t *testing.T) {
	if wire.MaxUDPPacketSize != 2048 { // c-toxcore MAX_UDP_PACKET_SIZE
		t.Fatalf("MaxUDPPacketSize = %d, want 2048", wire.MaxUDPPacketSize)
	}
}
