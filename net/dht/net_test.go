package dht

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"sort"
	"testing"
	"time"

	"parley/net/key"
	"parley/net/wire"
)

// testNet is a tiny in-process network: Send appends to a queue that
// deliver empties synchronously, losing packets at random (seeded). Time
// moves only in run.
type testNet struct {
	t     testing.TB
	now   time.Time
	rnd   *rand.Rand
	seed  uint64
	loss  float64
	nodes map[netip.AddrPort]*DHT
	order []netip.AddrPort
	queue []tpacket
	// block, if set, drops the packets it returns true for.
	block func(p tpacket) bool
	// seen, if set, sees every packet sent (before loss and block).
	seen  func(p tpacket)
	drops map[string]int
	sent  int
}

type tpacket struct {
	src, dst netip.AddrPort
	b        []byte
}

var t0 = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

func newTestNet(t testing.TB, seed uint64) *testNet {
	return &testNet{
		t: t, now: t0, seed: seed,
		rnd:   rand.New(rand.NewPCG(seed, 0x5061726c6579)),
		nodes: make(map[netip.AddrPort]*DHT),
		drops: make(map[string]int),
	}
}

// add creates a node at addr with a seeded key and random source.
func (n *testNet) add(addr netip.AddrPort, mod ...func(*Config)) *DHT {
	r := rand.NewChaCha8([32]byte{byte(n.seed), byte(n.seed >> 8), byte(len(n.order)), byte(len(n.order) >> 8), 1})
	keys, err := key.NewPair(r)
	if err != nil {
		n.t.Fatal(err)
	}
	cfg := Config{
		Keys: keys,
		Rand: r,
		Send: func(dst netip.AddrPort, pkt []byte) {
			n.queue = append(n.queue, tpacket{src: addr, dst: dst, b: pkt})
		},
		LANDiscovery: true,
	}
	for _, m := range mod {
		m(&cfg)
	}
	d := New(cfg, n.now)
	n.nodes[addr] = d
	n.order = append(n.order, addr)
	return d
}

// deliver hands every queued packet (and those sent in response) to its
// destination.
func (n *testNet) deliver() {
	for i := 0; len(n.queue) > 0; i++ {
		if i > 10_000_000 {
			n.t.Fatal("packet storm")
		}
		p := n.queue[0]
		n.queue = n.queue[1:]
		n.sent++
		if n.seen != nil {
			n.seen(p)
		}
		if n.block != nil && n.block(p) {
			continue
		}
		if n.loss > 0 && n.rnd.Float64() < n.loss {
			continue
		}
		d := n.nodes[p.dst]
		if d == nil {
			continue
		}
		if err := d.HandlePacket(n.now, p.src, p.b); err != nil {
			n.drops[reason(err)]++
		}
	}
}

func reason(err error) string {
	for _, e := range []error{wire.ErrShort, wire.ErrLong, wire.ErrKind, wire.ErrMalformed, wire.ErrDecrypt,
		ErrUnsolicited, ErrReplay, ErrSelf, ErrNoRoute, ErrNoHandler, ErrNotLAN, ErrDisabled, ErrNotFriend} {
		if errors.Is(err, e) {
			return e.Error()
		}
	}
	return "other: " + err.Error()
}

// run advances time by dur in steps, ticking every node and delivering.
func (n *testNet) run(dur, step time.Duration) {
	n.deliver()
	for end := n.now.Add(dur); n.now.Before(end); {
		n.now = n.now.Add(step)
		for _, a := range n.order {
			n.nodes[a].Tick(n.now)
		}
		n.deliver()
	}
}

func addr4(i int) netip.AddrPort {
	return netip.AddrPortFrom(netip.AddrFrom4([4]byte{198, 51, byte(i >> 8), byte(i)}), 33445)
}

func lanAddr(i int) netip.AddrPort {
	return netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, 0, byte(i >> 8), byte(i)}), 33445)
}

// trueClosest returns the k keys of the network closest to target.
func (n *testNet) trueClosest(target key.PublicKey, k int, skip key.PublicKey) []key.PublicKey {
	var all []key.PublicKey
	for _, a := range n.order {
		if pk := n.nodes[a].Self(); pk != skip {
			all = append(all, pk)
		}
	}
	sort.Slice(all, func(i, j int) bool { return key.Distance(&target, &all[i], &all[j]) < 0 })
	if len(all) > k {
		all = all[:k]
	}
	return all
}

func (n *testNet) addrOf(pk key.PublicKey) netip.AddrPort {
	for _, a := range n.order {
		if n.nodes[a].Self() == pk {
			return a
		}
	}
	return netip.AddrPort{}
}

func (n *testNet) String() string {
	return fmt.Sprintf("testNet(%d nodes, drops %v)", len(n.order), n.drops)
}
