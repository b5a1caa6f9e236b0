// Package wire owns the first level of Tox's one-socket demultiplexing: the
// packet kinds (the first byte of every UDP payload, tox-protocol.md §2), the
// packed node format shared by DHT, onion and relay messages (§3.3), and the
// sentinel errors every parser wraps.
//
// Every kind below is one first byte; no two protocols share a byte, so the
// socket reader dispatches on pkt[0] alone with a 256-entry table. Kinds
// Parley does not speak (0x87..0x98 group-chat groundwork) fall into the
// "unknown" drop counter.
package wire

import (
	"errors"
	"fmt"
)

// Kind is the first byte of a Tox UDP packet.
type Kind byte

// Packet kinds (tox-protocol.md §2, c-toxcore network.h).
const (
	KindPingRequest       Kind = 0x00
	KindPingResponse      Kind = 0x01
	KindNodesRequest      Kind = 0x02
	KindNodesResponse     Kind = 0x04
	KindCookieRequest     Kind = 0x18
	KindCookieResponse    Kind = 0x19
	KindCryptoHandshake   Kind = 0x1a
	KindCryptoData        Kind = 0x1b
	KindCrypto            Kind = 0x20 // DHT-routed request (NAT ping, DHT PK)
	KindLANDiscovery      Kind = 0x21
	KindOnionSendInitial  Kind = 0x80
	KindOnionSend1        Kind = 0x81
	KindOnionSend2        Kind = 0x82
	KindAnnounceRequest   Kind = 0x83 // ANNOUNCE_REQUEST_OLD, what 0.2.18 clients send
	KindAnnounceResponse  Kind = 0x84
	KindOnionDataRequest  Kind = 0x85
	KindOnionDataResponse Kind = 0x86
	KindOnionRecv3        Kind = 0x8c
	KindOnionRecv2        Kind = 0x8d
	KindOnionRecv1        Kind = 0x8e
	KindBootstrapInfo     Kind = 0xf0
)

var kindNames = map[Kind]string{
	KindPingRequest: "ping-request", KindPingResponse: "ping-response",
	KindNodesRequest: "nodes-request", KindNodesResponse: "nodes-response",
	KindCookieRequest: "cookie-request", KindCookieResponse: "cookie-response",
	KindCryptoHandshake: "crypto-handshake", KindCryptoData: "crypto-data",
	KindCrypto: "dht-crypto", KindLANDiscovery: "lan-discovery",
	KindOnionSendInitial: "onion-send-initial", KindOnionSend1: "onion-send-1", KindOnionSend2: "onion-send-2",
	KindAnnounceRequest: "announce-request", KindAnnounceResponse: "announce-response",
	KindOnionDataRequest: "onion-data-request", KindOnionDataResponse: "onion-data-response",
	KindOnionRecv3: "onion-recv-3", KindOnionRecv2: "onion-recv-2", KindOnionRecv1: "onion-recv-1",
	KindBootstrapInfo: "bootstrap-info",
}

// String names the kind, or gives its hex value when unknown.
func (k Kind) String() string {
	if s, ok := kindNames[k]; ok {
		return s
	}
	return fmt.Sprintf("kind-0x%02x", byte(k))
}

// Known reports whether Parley has a name for k.
func (k Kind) Known() bool { _, ok := kindNames[k]; return ok }

// MaxUDPPacketSize is the largest datagram c-toxcore reads (MAX_UDP_PACKET_SIZE).
const MaxUDPPacketSize = 2048

// Sentinel errors. Parsers wrap them with %w so drop counters can be kept
// by reason with errors.Is.
var (
	ErrShort     = errors.New("wire: packet too short")
	ErrLong      = errors.New("wire: packet too long")
	ErrKind      = errors.New("wire: unexpected packet kind")
	ErrMalformed = errors.New("wire: malformed field")
	ErrDecrypt   = errors.New("wire: decryption failed")
)
