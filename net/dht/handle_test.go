package dht

import (
	"errors"
	"math/rand/v2"
	"net/netip"
	"testing"
	"time"

	"parley/net/crypto"
	"parley/net/key"
	"parley/net/wire"
)

// probe is a raw peer driven by hand: it builds packets for a DHT and
// opens its answers.
type probe struct {
	t    testing.TB
	keys key.Pair
	addr netip.AddrPort
	r    *rand.ChaCha8
}

func newProbe(t testing.TB, seed byte, addr netip.AddrPort) *probe {
	r := rand.NewChaCha8([32]byte{seed, 0xbe, 0xef})
	keys, err := key.NewPair(r)
	if err != nil {
		t.Fatal(err)
	}
	return &probe{t: t, keys: keys, addr: addr, r: r}
}

func (p *probe) seal(kind wire.Kind, to key.PublicKey, plain []byte) []byte {
	p.t.Helper()
	var n key.Nonce
	p.r.Read(n[:])
	k := crypto.Precompute(&to, &p.keys.Secret)
	b, err := SealPacket(kind, p.keys.Public, n, &k, plain)
	if err != nil {
		p.t.Fatal(err)
	}
	return b
}

func (p *probe) open(pkt []byte) (Packet, []byte) {
	p.t.Helper()
	m, err := ParsePacket(pkt)
	if err != nil {
		p.t.Fatalf("probe parse: %v", err)
	}
	k := crypto.Precompute(&m.Sender, &p.keys.Secret)
	plain, err := OpenPacket(&m, &k)
	if err != nil {
		p.t.Fatalf("probe open: %v", err)
	}
	return m, plain
}

func (p *probe) ping(to key.PublicKey, id uint64, typ wire.Kind) []byte {
	m := PingPayload{Type: typ, ID: id}
	b, err := m.AppendBinary(nil)
	if err != nil {
		p.t.Fatal(err)
	}
	return p.seal(typ, to, b)
}

func (p *probe) getNodes(to, search key.PublicKey, id uint64) []byte {
	m := NodesRequest{Search: search, ID: id}
	b, _ := m.AppendBinary(nil)
	return p.seal(wire.KindNodesRequest, to, b)
}

func (p *probe) sendNodes(to key.PublicKey, id uint64, nodes ...wire.Node) []byte {
	m := NodesResponse{Nodes: nodes, ID: id}
	b, err := m.AppendBinary(nil)
	if err != nil {
		p.t.Fatal(err)
	}
	return p.seal(wire.KindNodesResponse, to, b)
}

// take removes and returns the queued packets to dst.
func (n *testNet) take(dst netip.AddrPort) []tpacket {
	var out, rest []tpacket
	for _, p := range n.queue {
		if p.dst == dst {
			out = append(out, p)
		} else {
			rest = append(rest, p)
		}
	}
	n.queue = rest
	return out
}

func TestAnswersPingAndPingsBack(t *testing.T) {
	n := newTestNet(t, 10)
	a := n.add(addr4(1))
	p := newProbe(t, 1, addr4(50))
	if err := a.HandlePacket(n.now, p.addr, p.ping(a.Self(), 42, wire.KindPingRequest)); err != nil {
		t.Fatal(err)
	}
	out := n.take(p.addr)
	if len(out) != 1 || len(out[0].b) != PingPacketSize {
		t.Fatalf("answer: %d packets", len(out))
	}
	_, plain := p.open(out[0].b)
	if m, err := ParsePingPayload(plain); err != nil || m.Type != wire.KindPingResponse || m.ID != 42 {
		t.Fatalf("answer %+v %v", m, err)
	}
	// The probe was queued by ping_add: a pings it within TimeToPing.
	a.Tick(n.now.Add(TimeToPing))
	out = n.take(p.addr)
	if len(out) == 0 || out[0].b[0] != byte(wire.KindPingRequest) {
		t.Fatalf("no ping back: %v", out)
	}
	// Its answer puts the probe in a's lists.
	_, plain = p.open(out[0].b)
	m, _ := ParsePingPayload(plain)
	if err := a.HandlePacket(n.now.Add(TimeToPing), p.addr, p.ping(a.Self(), m.ID, wire.KindPingResponse)); err != nil {
		t.Fatal(err)
	}
	if !hasNode(a.Nodes(n.now.Add(TimeToPing)), p.keys.Public) {
		t.Fatal("probe not listed after answering")
	}
}

// TestAntiSpoofing checks that a response is accepted only with a live id,
// from the key and address asked, once.
func TestAntiSpoofing(t *testing.T) {
	n := newTestNet(t, 11)
	a := n.add(addr4(1))
	p := newProbe(t, 1, addr4(50))
	q := newProbe(t, 2, addr4(51))
	a.Bootstrap(n.now, p.addr, p.keys.Public)
	out := n.take(p.addr)
	if len(out) != 1 || len(out[0].b) != NodesRequestPacketSize {
		t.Fatalf("bootstrap sent %d packets", len(out))
	}
	_, plain := p.open(out[0].b)
	req, err := ParseNodesRequest(plain)
	if err != nil || req.Search != a.Self() {
		t.Fatalf("request %+v %v", req, err)
	}
	check := func(name string, src netip.AddrPort, pkt []byte, want error) {
		t.Helper()
		if err := a.HandlePacket(n.now, src, pkt); !errors.Is(err, want) {
			t.Fatalf("%s: got %v, want %v", name, err, want)
		}
	}
	resp := p.sendNodes(a.Self(), req.ID)
	check("other address", q.addr, resp, ErrUnsolicited)
	check("other key", p.addr, q.sendNodes(a.Self(), req.ID), ErrUnsolicited)
	check("wrong id", p.addr, p.sendNodes(a.Self(), req.ID+1), ErrUnsolicited)
	check("ping response with a get-nodes id", p.addr, p.ping(a.Self(), req.ID, wire.KindPingResponse), ErrUnsolicited)
	if a.GoodNodes(n.now) != 0 {
		t.Fatal("spoofed responses listed a node")
	}
	check("genuine", p.addr, resp, nil)
	if !hasNode(a.Nodes(n.now), p.keys.Public) {
		t.Fatal("genuine responder not listed")
	}
	check("replay", p.addr, resp, ErrReplay)
	check("replay with fresh nonce", p.addr, p.sendNodes(a.Self(), req.ID), ErrReplay)

	// An answer after PingTimeout is too late.
	a.Bootstrap(n.now, q.addr, q.keys.Public)
	out = n.take(q.addr)
	_, plain = q.open(out[0].b)
	req, _ = ParseNodesRequest(plain)
	n.now = n.now.Add(PingTimeout)
	check("expired", q.addr, q.sendNodes(a.Self(), req.ID), ErrUnsolicited)

	s := a.Stats()
	if s.Drops.Unsolicited != 5 || s.Drops.Replay != 2 || s.Received.NodesResponse != 7 || s.Received.PingResponse != 1 {
		t.Fatalf("stats %+v", s)
	}
}

func TestNodesReplyClosestAndLANFilter(t *testing.T) {
	n := newTestNet(t, 12)
	hub := n.add(addr4(0))
	for i := 1; i < 30; i++ {
		addr := addr4(i)
		if i%2 == 0 {
			addr = lanAddr(i)
		}
		d := n.add(addr)
		d.Bootstrap(n.now, addr4(0), hub.Self())
	}
	n.run(60*time.Second, time.Second)
	// Every good node hub knows, from the close list and friend lists.
	var known []wire.Node
	hub.eachClose(func(c *client) {
		if a := c.best(); a.good(hub.now) {
			known = append(known, wire.Node{PK: c.pk, Addr: a.addr})
		}
	})
	for _, f := range hub.friends {
		for i := range f.clients {
			if c := &f.clients[i]; !c.empty() && c.best().good(hub.now) {
				known = insertClosest(known, &c.pk, wire.Node{PK: c.pk, Addr: c.best().addr}, len(known)+1)
			}
		}
	}
	if len(known) < 10 {
		t.Fatalf("hub knows only %d nodes", len(known))
	}
	for _, lan := range []bool{false, true} {
		src := addr4(200)
		if lan {
			src = lanAddr(200)
		}
		p := newProbe(t, 3, src)
		for i := 0; i < 20; i++ {
			var search key.PublicKey
			p.r.Read(search[:])
			if err := hub.HandlePacket(n.now, p.addr, p.getNodes(hub.Self(), search, uint64(i))); err != nil {
				t.Fatal(err)
			}
			out := n.take(p.addr)
			if len(out) != 1 {
				t.Fatalf("%d answers", len(out))
			}
			_, plain := p.open(out[0].b)
			m, err := ParseNodesResponse(plain)
			if err != nil || m.ID != uint64(i) {
				t.Fatalf("answer %+v %v", m, err)
			}
			var want []wire.Node
			for _, k := range known {
				if lan || !IsLAN(k.Addr.Addr()) {
					want = insertClosest(want, &search, k, MaxSentNodes)
				}
			}
			if len(m.Nodes) != len(want) {
				t.Fatalf("lan=%v: %d nodes, want %d", lan, len(m.Nodes), len(want))
			}
			for j := range want {
				if m.Nodes[j] != want[j] {
					t.Fatalf("lan=%v: node %d is %v, want %v", lan, j, m.Nodes[j], want[j])
				}
			}
		}
	}
}

func TestIsLAN(t *testing.T) {
	for _, c := range []struct {
		ip  string
		lan bool
	}{
		{"127.0.0.1", true}, {"127.255.0.9", true}, {"10.1.2.3", true}, {"172.16.0.1", true},
		{"172.31.255.255", true}, {"172.32.0.1", false}, {"172.15.0.1", false}, {"192.168.5.5", true},
		{"192.169.0.1", false}, {"169.254.1.0", true}, {"169.254.0.7", false}, {"169.254.255.1", false},
		{"100.64.0.1", true}, {"100.127.255.255", true}, {"100.128.0.1", false}, {"8.8.8.8", false},
		{"::1", true}, {"fe80::1", true}, {"febf::1", true}, {"fec0::1", false}, {"ff02::1", true},
		{"ff01::1", true}, {"ff03::1", false}, {"ff02::2", false}, {"::ffff:10.0.0.1", true},
		{"::ffff:127.0.0.1", true}, {"::ffff:8.8.8.8", false}, {"2001:db8::1", false}, {"::", false},
	} {
		if got := IsLAN(netip.MustParseAddr(c.ip)); got != c.lan {
			t.Errorf("IsLAN(%s) = %v, want %v", c.ip, got, c.lan)
		}
	}
}

func TestLANDiscovery(t *testing.T) {
	n := newTestNet(t, 13)
	a := n.add(addr4(1))
	off := n.add(addr4(2), func(c *Config) { c.LANDiscovery = false })
	p := newProbe(t, 4, lanAddr(7))
	pkt := (&DHT{self: p.keys.Public}).LANDiscoveryPacket()
	if len(pkt) != LANDiscoverySize || pkt[0] != 0x21 {
		t.Fatalf("packet %x", pkt)
	}
	for _, c := range []struct {
		name string
		d    *DHT
		src  netip.AddrPort
		pkt  []byte
		want error
	}{
		{"non-LAN source", a, addr4(9), pkt, ErrNotLAN},
		{"disabled", off, p.addr, pkt, ErrDisabled},
		{"our own key", a, lanAddr(1), a.LANDiscoveryPacket(), ErrSelf},
		{"short", a, p.addr, pkt[:32], wire.ErrShort},
		{"LAN peer", a, p.addr, pkt, nil},
	} {
		if err := c.d.HandlePacket(n.now, c.src, c.pkt); !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, err, c.want)
		}
	}
	out := n.take(p.addr)
	if len(out) != 1 || out[0].b[0] != byte(wire.KindNodesRequest) {
		t.Fatalf("no get-nodes to the LAN peer: %v", out)
	}
	if len(n.queue) != 0 {
		t.Fatalf("refused discoveries sent %d packets", len(n.queue))
	}
}
