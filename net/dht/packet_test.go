package dht

import (
	"bytes"
	"encoding/hex"
	"errors"
	"net/netip"
	"reflect"
	"strings"
	"testing"

	"parley/net/key"
	"parley/net/wire"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.Join(strings.Fields(s), ""))
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

func rep(b byte, n int) string { return strings.Repeat(hex.EncodeToString([]byte{b}), n) }

func pkOf(b byte) key.PublicKey {
	var k key.PublicKey
	for i := range k {
		k[i] = b
	}
	return k
}

func nonceOf(b byte) key.Nonce {
	var n key.Nonce
	for i := range n {
		n[i] = b
	}
	return n
}

// appender is what every codec value implements.
type appender interface {
	AppendBinary([]byte) ([]byte, error)
}

type golden struct {
	name  string
	value appender
	hex   string
	parse func([]byte) (any, error)
}

func goldens(t testing.TB) []golden {
	v4 := wire.Node{PK: pkOf(0xaa), Addr: netip.MustParseAddrPort("1.2.3.4:33445")}
	v6 := wire.Node{PK: pkOf(0xbb), Addr: netip.MustParseAddrPort("[2001:db8::1]:443")}
	return []golden{
		{"ping request", &PingPayload{Type: wire.KindPingRequest, ID: 0x0102030405060708},
			"00 0807060504030201", func(b []byte) (any, error) { m, err := ParsePingPayload(b); return &m, err }},
		{"ping response", &PingPayload{Type: wire.KindPingResponse, ID: 0},
			"01 0000000000000000", func(b []byte) (any, error) { m, err := ParsePingPayload(b); return &m, err }},
		{"get nodes", &NodesRequest{Search: pkOf(0x11), ID: 0xdeadbeef},
			rep(0x11, 32) + "efbeadde00000000", func(b []byte) (any, error) { m, err := ParseNodesRequest(b); return &m, err }},
		{"send nodes empty", &NodesResponse{ID: 1},
			"00 0100000000000000", func(b []byte) (any, error) { m, err := ParseNodesResponse(b); return &m, err }},
		{"send nodes v4 v6", &NodesResponse{Nodes: []wire.Node{v4, v6}, ID: 7},
			"02" + "02 01020304 82a5" + rep(0xaa, 32) + "0a 20010db8000000000000000000000001 01bb" + rep(0xbb, 32) + "0700000000000000",
			func(b []byte) (any, error) { m, err := ParseNodesResponse(b); return &m, err }},
		{"ping packet", &Packet{Kind: wire.KindPingRequest, Sender: pkOf(0x01), Nonce: nonceOf(0x02), Sealed: bytes.Repeat([]byte{3}, 25)},
			"00" + rep(1, 32) + rep(2, 24) + rep(3, 25), func(b []byte) (any, error) { m, err := ParsePacket(b); return &m, err }},
		{"get nodes packet", &Packet{Kind: wire.KindNodesRequest, Sender: pkOf(0x01), Nonce: nonceOf(0x02), Sealed: bytes.Repeat([]byte{3}, 56)},
			"02" + rep(1, 32) + rep(2, 24) + rep(3, 56), func(b []byte) (any, error) { m, err := ParsePacket(b); return &m, err }},
		{"send nodes packet", &Packet{Kind: wire.KindNodesResponse, Sender: pkOf(0x01), Nonce: nonceOf(0x02), Sealed: bytes.Repeat([]byte{3}, 25+39)},
			"04" + rep(1, 32) + rep(2, 24) + rep(3, 64), func(b []byte) (any, error) { m, err := ParsePacket(b); return &m, err }},
		{"request", &Request{Receiver: pkOf(0x01), Sender: pkOf(0x02), Nonce: nonceOf(0x03), Sealed: bytes.Repeat([]byte{4}, 18)},
			"20" + rep(1, 32) + rep(2, 32) + rep(3, 24) + rep(4, 18), func(b []byte) (any, error) { m, err := ParseRequest(b); return &m, err }},
		{"request payload", &RequestPayload{Subtype: SubtypeDHTPK, Data: []byte("hi")},
			"9c 6869", func(b []byte) (any, error) { m, err := ParseRequestPayload(b); return &m, err }},
		{"LAN discovery", &LANDiscovery{PK: pkOf(0x5a)},
			"21" + rep(0x5a, 32), func(b []byte) (any, error) { m, err := ParseLANDiscovery(b); return &m, err }},
		{"NAT ping response", &NATPing{Type: NATPingResponse, ID: 0x1122334455667788},
			"01 8877665544332211", func(b []byte) (any, error) { m, err := ParseNATPing(b); return &m, err }},
	}
}

func TestGoldens(t *testing.T) {
	for _, g := range goldens(t) {
		t.Run(g.name, func(t *testing.T) {
			want := unhex(t, g.hex)
			got, err := g.value.AppendBinary([]byte{0xee})
			if err != nil {
				t.Fatalf("append: %v", err)
			}
			if !bytes.Equal(got[1:], want) || got[0] != 0xee {
				t.Fatalf("append:\n got %x\nwant ee%x", got, want)
			}
			v, err := g.parse(want)
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			if !reflect.DeepEqual(v, g.value) {
				t.Fatalf("parse:\n got %+v\nwant %+v", v, g.value)
			}
		})
	}
}

func TestSizes(t *testing.T) {
	for _, c := range []struct {
		name      string
		got, want int
	}{
		{"ping", PingPacketSize, 82},
		{"get nodes", NodesRequestPacketSize, 113},
		{"send nodes min", MinNodesResponsePacketSize, 82},
		{"send nodes max", MaxNodesResponsePacketSize, 286},
		{"request data", MaxRequestData, 918},
		{"LAN", LANDiscoverySize, 33},
	} {
		if c.got != c.want {
			t.Errorf("%s: %d, want %d", c.name, c.got, c.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	v4node := "02 01020304 82a5" + rep(0xaa, 32)
	tcpNode := "82 01020304 82a5" + rep(0xaa, 32)
	pkt := func(kind string, sealed int) []byte {
		return unhex(t, kind+rep(1, 32)+rep(2, 24)+rep(3, sealed))
	}
	for _, c := range []struct {
		name  string
		parse func([]byte) error
		in    []byte
		want  error
	}{
		{"ping empty", wrap(ParsePingPayload), nil, wire.ErrShort},
		{"ping long", wrap(ParsePingPayload), make([]byte, 10), wire.ErrLong},
		{"ping type", wrap(ParsePingPayload), unhex(t, "02 0000000000000000"), wire.ErrMalformed},
		{"get nodes short", wrap(ParseNodesRequest), make([]byte, 39), wire.ErrShort},
		{"get nodes long", wrap(ParseNodesRequest), make([]byte, 41), wire.ErrLong},
		{"send nodes short", wrap(ParseNodesResponse), make([]byte, 8), wire.ErrShort},
		{"send nodes count 5", wrap(ParseNodesResponse), unhex(t, "05"+strings.Repeat(v4node, 5)+"0000000000000000"), wire.ErrMalformed},
		{"send nodes count high", wrap(ParseNodesResponse), unhex(t, "02"+v4node+"0000000000000000"), wire.ErrMalformed},
		{"send nodes count low", wrap(ParseNodesResponse), unhex(t, "00"+v4node+"0000000000000000"), wire.ErrMalformed},
		{"send nodes trailing", wrap(ParseNodesResponse), unhex(t, "01"+v4node+"ff"+"0000000000000000"), wire.ErrMalformed},
		{"send nodes cut", wrap(ParseNodesResponse), unhex(t, "01"+v4node[:40]+"0000000000000000"), wire.ErrShort},
		{"send nodes tcp", wrap(ParseNodesResponse), unhex(t, "01"+tcpNode+"0000000000000000"), wire.ErrMalformed},
		{"packet empty", wrap(ParsePacket), nil, wire.ErrShort},
		{"packet kind", wrap(ParsePacket), pkt("03", 25), wire.ErrKind},
		{"ping packet short", wrap(ParsePacket), pkt("00", 24), wire.ErrShort},
		{"ping packet long", wrap(ParsePacket), pkt("01", 26), wire.ErrLong},
		{"get nodes packet short", wrap(ParsePacket), pkt("02", 55), wire.ErrShort},
		{"get nodes packet long", wrap(ParsePacket), pkt("02", 57), wire.ErrLong},
		{"send nodes packet short", wrap(ParsePacket), pkt("04", 24), wire.ErrShort},
		{"send nodes packet long", wrap(ParsePacket), pkt("04", 25+4*51+1), wire.ErrLong},
		{"request kind", wrap(ParseRequest), unhex(t, "21"+rep(0, 120)), wire.ErrKind},
		{"request short", wrap(ParseRequest), unhex(t, "20"+rep(0, 104)), wire.ErrShort},
		{"request long", wrap(ParseRequest), unhex(t, "20"+rep(0, MaxForwardSize)), wire.ErrLong},
		{"request payload short", wrap(ParseRequestPayload), []byte{254}, wire.ErrShort},
		{"request payload long", wrap(ParseRequestPayload), make([]byte, MaxRequestData+2), wire.ErrLong},
		{"LAN short", wrap(ParseLANDiscovery), unhex(t, "21"+rep(0, 31)), wire.ErrShort},
		{"LAN long", wrap(ParseLANDiscovery), unhex(t, "21"+rep(0, 33)), wire.ErrLong},
		{"LAN kind", wrap(ParseLANDiscovery), unhex(t, "20"+rep(0, 32)), wire.ErrKind},
		{"NAT ping type", wrap(ParseNATPing), unhex(t, "02 0000000000000000"), wire.ErrMalformed},
		{"NAT ping short", wrap(ParseNATPing), []byte{0}, wire.ErrShort},
	} {
		if err := c.parse(c.in); !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, err, c.want)
		}
	}
}

func wrap[T any](f func([]byte) (T, error)) func([]byte) error {
	return func(b []byte) error { _, err := f(b); return err }
}

func TestAppendErrors(t *testing.T) {
	n := wire.Node{PK: pkOf(1), Addr: netip.MustParseAddrPort("1.2.3.4:5")}
	tcp := n
	tcp.TCP = true
	for _, c := range []struct {
		name string
		v    appender
		want error
	}{
		{"five nodes", &NodesResponse{Nodes: []wire.Node{n, n, n, n, n}}, wire.ErrLong},
		{"tcp node", &NodesResponse{Nodes: []wire.Node{tcp}}, wire.ErrMalformed},
		{"bad ping type", &PingPayload{Type: 2}, wire.ErrMalformed},
		{"bad kind", &Packet{Kind: wire.KindCrypto, Sealed: make([]byte, 25)}, wire.ErrKind},
		{"short sealed", &Packet{Kind: wire.KindPingRequest, Sealed: make([]byte, 24)}, wire.ErrShort},
		{"empty request data", &RequestPayload{Subtype: 1}, wire.ErrShort},
		{"long request data", &RequestPayload{Subtype: 1, Data: make([]byte, MaxRequestData+1)}, wire.ErrLong},
		{"short request", &Request{Sealed: make([]byte, 16)}, wire.ErrShort},
		{"bad NAT type", &NATPing{Type: 3}, wire.ErrMalformed},
	} {
		if _, err := c.v.AppendBinary(nil); !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, err, c.want)
		}
	}
}

func TestNodesResponseUnmapsV4InV6(t *testing.T) {
	b := unhex(t, "01"+"0a 00000000000000000000ffff01020304 0001"+rep(7, 32)+"0000000000000000")
	m, err := ParseNodesResponse(b)
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Nodes[0].Addr; got != netip.MustParseAddrPort("1.2.3.4:1") {
		t.Fatalf("address %v, want 1.2.3.4:1", got)
	}
}
