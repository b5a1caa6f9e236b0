package dht

import (
	"errors"
	"net/netip"
	"testing"
	"time"

	"parley/net/crypto"
	"parley/net/key"
	"parley/net/wire"
)

var knownErrs = []error{wire.ErrShort, wire.ErrLong, wire.ErrKind, wire.ErrMalformed, wire.ErrDecrypt,
	ErrUnsolicited, ErrReplay, ErrSelf, ErrNoRoute, ErrNoHandler, ErrNotLAN, ErrDisabled, ErrNotFriend}

func known(err error) bool {
	for _, e := range knownErrs {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// victim is a DHT with a listed node, a friend and a request handler, and
// valid packets of every kind for it from a probe.
func victim(t testing.TB) (*testNet, *DHT, *probe, [][]byte) {
	n := newTestNet(t, 40)
	a := n.add(addr4(1))
	p := newProbe(t, 5, lanAddr(5))
	a.AddFriend(p.keys.Public, nil)
	a.HandleRequest(SubtypeDHTPK, func(time.Time, netip.AddrPort, key.PublicKey, []byte) {})
	a.Bootstrap(n.now, p.addr, p.keys.Public)
	out := n.take(p.addr)
	_, plain := p.open(out[0].b)
	req, err := ParseNodesRequest(plain)
	if err != nil {
		t.Fatal(err)
	}
	node := wire.Node{PK: pkOf(0x42), Addr: addr4(77)}
	reqPkt, err := SealRequest(a.Self(), p.keys.Public, nonceOf(9), ptr(p.sharedWith(a.Self())), RequestPayload{Subtype: SubtypeDHTPK, Data: []byte("x")})
	if err != nil {
		t.Fatal(err)
	}
	fwd, err := SealRequest(pkOf(0x42), p.keys.Public, nonceOf(9), ptr(p.sharedWith(pkOf(0x42))), RequestPayload{Subtype: SubtypeDHTPK, Data: []byte("x")})
	if err != nil {
		t.Fatal(err)
	}
	nat, _ := (&NATPing{Type: NATPingRequest, ID: 5}).AppendBinary(nil)
	natPkt, err := SealRequest(a.Self(), p.keys.Public, nonceOf(9), ptr(p.sharedWith(a.Self())), RequestPayload{Subtype: SubtypeNATPing, Data: nat})
	if err != nil {
		t.Fatal(err)
	}
	lan, _ := (&LANDiscovery{PK: p.keys.Public}).AppendBinary(nil)
	pkts := [][]byte{
		p.ping(a.Self(), 1, wire.KindPingRequest),
		p.ping(a.Self(), 1, wire.KindPingResponse),
		p.getNodes(a.Self(), pkOf(3), 9),
		p.sendNodes(a.Self(), req.ID, node, node),
		reqPkt, fwd, natPkt, lan,
	}
	return n, a, p, pkts
}

func (p *probe) sharedWith(pk key.PublicKey) crypto.SharedKey {
	return crypto.Precompute(&pk, &p.keys.Secret)
}

// TestMalformedPackets feeds every truncation and some extensions of valid
// packets: nothing panics, every refusal carries a known reason.
func TestMalformedPackets(t *testing.T) {
	n, a, p, pkts := victim(t)
	for _, pkt := range pkts {
		for l := 0; l < len(pkt); l++ {
			if err := a.HandlePacket(n.now, p.addr, pkt[:l]); err == nil || !known(err) {
				t.Fatalf("%x truncated to %d: %v", pkt[:1], l, err)
			}
		}
		for _, extra := range []int{1, 16, 100, wire.MaxUDPPacketSize - len(pkt)} {
			long := append(append([]byte(nil), pkt...), make([]byte, extra)...)
			if err := a.HandlePacket(n.now, p.addr, long); err == nil || !known(err) {
				t.Fatalf("%x extended by %d: %v", pkt[:1], extra, err)
			}
		}
		bad := append([]byte(nil), pkt...)
		bad[len(bad)/2+1] ^= 0x10
		if err := a.HandlePacket(n.now, p.addr, bad); err != nil && !known(err) {
			t.Fatalf("%x corrupted: %v", pkt[:1], err)
		}
	}
	for k := 0; k < 256; k++ {
		if err := a.HandlePacket(n.now, p.addr, []byte{byte(k)}); err == nil || !known(err) {
			t.Fatalf("one byte %#x: %v", k, err)
		}
	}
	for _, c := range []struct {
		name string
		pkt  []byte
		want error
	}{
		{"ping 83 bytes", append(append([]byte(nil), pkts[0]...), 0), wire.ErrLong},
		{"LAN 34 bytes", append(append([]byte(nil), pkts[7]...), 0), wire.ErrLong},
		{"request 1041 bytes", append([]byte{0x20}, make([]byte, MaxForwardSize)...), wire.ErrLong},
		{"unknown kind", append([]byte{0x18}, make([]byte, 100)...), wire.ErrKind},
		{"send nodes replayed", pkts[3], ErrReplay},
		{"forward to unknown key", pkts[5], ErrNoRoute},
	} {
		if c.name == "send nodes replayed" {
			if err := a.HandlePacket(n.now, p.addr, c.pkt); err != nil {
				t.Fatalf("first send-nodes: %v", err)
			}
		}
		if err := a.HandlePacket(n.now, p.addr, c.pkt); !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, err, c.want)
		}
	}
	// Valid packets still work after all that.
	for i, pkt := range pkts[:1] {
		if err := a.HandlePacket(n.now, p.addr, pkt); err != nil {
			t.Fatalf("valid packet %d: %v", i, err)
		}
	}
	if s := a.Stats(); s.Drops.Other != 0 {
		t.Fatalf("drops without a reason: %+v", s.Drops)
	}
}

// FuzzHandlePacket: no input panics, every refusal has a known reason.
func FuzzHandlePacket(f *testing.F) {
	_, _, _, pkts := victim(f)
	for _, p := range pkts {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		n, a, p, _ := victim(t)
		if err := a.HandlePacket(n.now, p.addr, b); err != nil && !known(err) {
			t.Fatalf("%x: %v", b, err)
		}
		a.Tick(n.now.Add(3 * time.Second))
	})
}
