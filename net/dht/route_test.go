package dht

import (
	"bytes"
	"errors"
	"net/netip"
	"testing"
	"time"

	"parley/net/key"
	"parley/net/wire"
)

// TestRouteThroughMiddle: a and f cannot talk directly; m sees both. a
// learns f's address from m's send-nodes (ret_ip_port), routes a 0x20
// request for f to m, and m forwards it to f.
func TestRouteThroughMiddle(t *testing.T) {
	n := newTestNet(t, 20)
	a, m, f := n.add(addr4(1)), n.add(addr4(2)), n.add(addr4(3))
	cut := func(x, y netip.AddrPort) bool {
		return x == addr4(1) && y == addr4(3) || x == addr4(3) && y == addr4(1)
	}
	n.block = func(p tpacket) bool { return cut(p.src, p.dst) }
	a.AddFriend(f.Self(), nil)
	a.Bootstrap(n.now, addr4(2), m.Self())
	f.Bootstrap(n.now, addr4(2), m.Self())
	type got struct {
		src    netip.AddrPort
		sender key.PublicKey
		data   []byte
	}
	var recv []got
	f.HandleRequest(SubtypeDHTPK, func(_ time.Time, src netip.AddrPort, sender key.PublicKey, data []byte) {
		recv = append(recv, got{src, sender, data})
	})
	n.run(10*time.Second, time.Second)
	if _, ok := a.FriendAddr(n.now, f.Self()); ok {
		t.Fatal("a reached f directly through the cut")
	}
	if r := a.FriendReporters(n.now, f.Self()); r != 1 {
		t.Fatalf("%d nodes report f's address, want 1 (m)", r)
	}
	pkt, err := a.NewRequest(n.now, f.Self(), SubtypeDHTPK, []byte("dht pk announce"))
	if err != nil {
		t.Fatal(err)
	}
	if c := a.RouteToFriend(n.now, f.Self(), pkt); c != 1 {
		t.Fatalf("RouteToFriend sent %d copies, want 1", c)
	}
	n.deliver()
	if len(recv) != 1 || recv[0].src != addr4(2) || recv[0].sender != a.Self() || !bytes.Equal(recv[0].data, []byte("dht pk announce")) {
		t.Fatalf("f received %+v", recv)
	}
	if m.Stats().Forwarded != 1 {
		t.Fatalf("m forwarded %d", m.Stats().Forwarded)
	}
	// m cannot route to a key it does not know.
	stranger := newProbe(t, 9, addr4(99))
	pkt, _ = a.NewRequest(n.now, stranger.keys.Public, SubtypeDHTPK, []byte("x"))
	if err := m.HandlePacket(n.now, addr4(1), pkt); !errors.Is(err, ErrNoRoute) {
		t.Fatalf("route to stranger: %v", err)
	}
	// f has no handler for subtype 32.
	if err := a.SendRequest(n.now, addr4(2), f.Self(), SubtypeFriendRequest, []byte("hi")); err != nil {
		t.Fatal(err)
	}
	n.deliver()
	if n.drops[ErrNoHandler.Error()] != 1 {
		t.Fatalf("drops %v", n.drops)
	}
}

func TestRequestLimits(t *testing.T) {
	n := newTestNet(t, 21)
	a, b := n.add(addr4(1)), n.add(addr4(2))
	var got []byte
	b.HandleRequest(SubtypeDHTPK, func(_ time.Time, _ netip.AddrPort, _ key.PublicKey, data []byte) { got = data })
	max := bytes.Repeat([]byte{7}, MaxRequestData)
	pkt, err := a.NewRequest(n.now, b.Self(), SubtypeDHTPK, max)
	if err != nil || len(pkt) != MaxRequestSize {
		t.Fatalf("largest request: %d bytes, %v", len(pkt), err)
	}
	if err := b.HandlePacket(n.now, addr4(1), pkt); err != nil || !bytes.Equal(got, max) {
		t.Fatalf("largest request: %v", err)
	}
	if _, err := a.NewRequest(n.now, b.Self(), SubtypeDHTPK, append(max, 1)); !errors.Is(err, wire.ErrLong) {
		t.Fatalf("oversized request: %v", err)
	}
	if _, err := a.NewRequest(n.now, b.Self(), SubtypeDHTPK, nil); !errors.Is(err, wire.ErrShort) {
		t.Fatalf("empty request: %v", err)
	}
	// A 1040-byte packet for us is too long to open (c-toxcore forwards
	// such packets for others but never opens them).
	long := append(append([]byte(nil), pkt...), make([]byte, 16)...)
	if err := b.HandlePacket(n.now, addr4(1), long); !errors.Is(err, wire.ErrLong) {
		t.Fatalf("1040-byte request: %v", err)
	}
	// Tampering fails authentication.
	bad := append([]byte(nil), pkt...)
	bad[len(bad)-1] ^= 1
	if err := b.HandlePacket(n.now, addr4(1), bad); !errors.Is(err, wire.ErrDecrypt) {
		t.Fatalf("tampered request: %v", err)
	}
}

// TestNATPingExchange: a NAT ping request reaches the friend, which
// answers through the one node it has; the answer arms hole punching.
func TestNATPingExchange(t *testing.T) {
	n := newTestNet(t, 22)
	a, b := n.add(addr4(1)), n.add(addr4(2))
	a.AddFriend(b.Self(), nil)
	b.AddFriend(a.Self(), nil)
	a.Bootstrap(n.now, addr4(2), b.Self())
	n.run(5*time.Second, time.Second)
	fa := a.friendOf(ptr(b.Self()))
	data, _ := (&NATPing{Type: NATPingRequest, ID: fa.nat.pingID}).AppendBinary(nil)
	if err := a.SendRequest(n.now, addr4(2), b.Self(), SubtypeNATPing, data); err != nil {
		t.Fatal(err)
	}
	old := fa.nat.pingID
	n.deliver()
	if !fa.nat.punching || fa.nat.pingID == old {
		t.Fatalf("NAT ping response did not arm punching: %+v drops %v", fa.nat, n.drops)
	}
	// A stale id is refused, and so is a NAT ping from a stranger.
	stale, _ := (&NATPing{Type: NATPingResponse, ID: old}).AppendBinary(nil)
	pkt, _ := b.NewRequest(n.now, a.Self(), SubtypeNATPing, stale)
	if err := a.HandlePacket(n.now, addr4(2), pkt); !errors.Is(err, ErrUnsolicited) {
		t.Fatalf("stale NAT ping response: %v", err)
	}
	c := n.add(addr4(3))
	pkt, _ = c.NewRequest(n.now, a.Self(), SubtypeNATPing, data)
	if err := a.HandlePacket(n.now, addr4(3), pkt); !errors.Is(err, ErrNotFriend) {
		t.Fatalf("NAT ping from a stranger: %v", err)
	}
}

func ptr[T any](v T) *T { return &v }

func TestPunchPortGuesses(t *testing.T) {
	n := newTestNet(t, 23)
	a := n.add(addr4(1))
	f := &friend{pk: pkOf(9)}
	ip := netip.MustParseAddr("203.0.113.5")
	var ports []uint16
	n.seen = func(p tpacket) { ports = append(ports, p.dst.Port()) }
	a.punch(f, ip, []uint16{1000, 1000, 1000, 1000})
	n.deliver()
	if len(ports) != 1 || ports[0] != 1000 {
		t.Fatalf("same ports: pinged %v", ports)
	}
	ports = nil
	a.punch(f, ip, []uint16{1000, 2000})
	n.deliver()
	want := []uint16{1000, 1000, 2000, 2000, 1001, 999, 2001, 1999}
	if len(ports) != MaxPunchingPorts {
		t.Fatalf("%d guesses", len(ports))
	}
	for i, w := range want {
		if ports[i] != w {
			t.Fatalf("guesses %v, want prefix %v", ports[:8], want)
		}
	}
}
