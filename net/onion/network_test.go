package onion

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"
	"testing"
	"time"

	"parley/net/key"
	"parley/net/wire"
)

// testNet is a synchronous in-memory network of Onion nodes: Send appends
// to a FIFO queue and run delivers until the queue is empty. Time is a
// number the test advances.
type testNet struct {
	t       *testing.T
	now     time.Time
	nodes   map[netip.AddrPort]*testNode
	order   []*testNode // nodes in the order they were added
	servers []*testNode // the relay/announce nodes the stubs know
	queue   []testPacket
	// drop, when set, loses the packets it returns true for.
	drop func(p testPacket) bool
	// seen, when set, is shown every packet before delivery.
	seen func(p testPacket)
	// delivered counts packets delivered by kind.
	delivered map[wire.Kind]int
}

type testPacket struct {
	src, dst netip.AddrPort
	b        []byte
}

type testNode struct {
	addr   netip.AddrPort
	dht    key.Pair
	self   key.Pair
	o      *Onion
	errs   []error
	events []Event
}

func (n *testNode) node() wire.Node { return wire.Node{PK: n.dht.Public, Addr: n.addr} }

func seededReader(seed uint64) *rand.ChaCha8 {
	var s [32]byte
	for i := range 8 {
		s[i] = byte(seed >> (8 * i))
	}
	s[31] = 0x5a
	return rand.NewChaCha8(s)
}

func newTestNet(t *testing.T, servers int) *testNet {
	t.Helper()
	tn := &testNet{
		t:         t,
		now:       time.Unix(1_700_000_000, 0),
		nodes:     make(map[netip.AddrPort]*testNode),
		delivered: make(map[wire.Kind]int),
	}
	for i := range servers {
		tn.servers = append(tn.servers, tn.addNode(i+1, true))
	}
	return tn
}

// addNode adds a node at 127.0.0.<i>:33445 whose client is enabled unless
// serverOnly.
func (tn *testNet) addNode(i int, serverOnly bool) *testNode {
	tn.t.Helper()
	return tn.addNodeAt(netip.MustParseAddrPort(fmt.Sprintf("127.0.0.%d:33445", i)), uint64(i), serverOnly)
}

// addNodeAt adds a node at addr with keys and randomness from seed.
func (tn *testNet) addNodeAt(addr netip.AddrPort, seed uint64, serverOnly bool) *testNode {
	tn.t.Helper()
	r := seededReader(seed)
	n := &testNode{addr: addr}
	var err error
	if n.dht, err = key.NewPair(r); err != nil {
		tn.t.Fatal(err)
	}
	if n.self, err = key.NewPair(r); err != nil {
		tn.t.Fatal(err)
	}
	n.o, err = New(Config{
		Self: n.self,
		DHT:  n.dht,
		Send: func(dst netip.AddrPort, pkt []byte) {
			tn.queue = append(tn.queue, testPacket{src: n.addr, dst: dst, b: pkt})
		},
		Rand:          r,
		Closest:       func(target key.PublicKey, max int, _ bool) []wire.Node { return tn.closest(n, target, max) },
		PathNodes:     func(time.Time) []wire.Node { return tn.others(n) },
		DisableClient: serverOnly,
	})
	if err != nil {
		tn.t.Fatal(err)
	}
	tn.nodes[n.addr] = n
	tn.order = append(tn.order, n)
	return n
}

// others lists the servers except n.
func (tn *testNet) others(n *testNode) []wire.Node {
	var out []wire.Node
	for _, s := range tn.servers {
		if s != n {
			out = append(out, s.node())
		}
	}
	return out
}

func (tn *testNet) closest(n *testNode, target key.PublicKey, max int) []wire.Node {
	out := tn.others(n)
	slices.SortFunc(out, func(a, b wire.Node) int { return key.Distance(&target, &a.PK, &b.PK) })
	return out[:min(max, len(out))]
}

// run delivers queued packets until none is left.
func (tn *testNet) run() {
	tn.t.Helper()
	for steps := 0; len(tn.queue) > 0; steps++ {
		if steps > 1_000_000 {
			tn.t.Fatal("packet storm: the queue never drains")
		}
		p := tn.queue[0]
		tn.queue = tn.queue[1:]
		tn.deliver(p)
	}
}

func (tn *testNet) deliver(p testPacket) {
	if tn.seen != nil {
		tn.seen(p)
	}
	if tn.drop != nil && tn.drop(p) {
		return
	}
	dst, ok := tn.nodes[p.dst]
	if !ok {
		return
	}
	tn.delivered[wire.Kind(p.b[0])]++
	if err := dst.o.HandlePacket(tn.now, p.src, p.b); err != nil {
		dst.errs = append(dst.errs, fmt.Errorf("at %v from %v: %w", p.dst, p.src, err))
	}
}

// step advances time by d, ticks every node and delivers everything.
func (tn *testNet) step(d time.Duration) {
	tn.now = tn.now.Add(d)
	for _, n := range tn.order {
		n.o.Tick(tn.now)
	}
	tn.run()
}

// until steps 1 s at a time until cond holds, failing after limit.
func (tn *testNet) until(limit time.Duration, what string, cond func() bool) time.Duration {
	tn.t.Helper()
	start := tn.now
	for !cond() {
		if tn.now.Sub(start) > limit {
			tn.t.Fatalf("%s: not after %v", what, limit)
		}
		tn.step(time.Second)
	}
	return tn.now.Sub(start)
}

// noErrors fails the test if any node recorded a handling error.
func (tn *testNet) noErrors() {
	tn.t.Helper()
	for _, n := range tn.order {
		for _, err := range n.errs {
			tn.t.Errorf("node %v: %v", n.addr, err)
		}
		n.errs = nil
	}
}

// eventsOf returns n's events of type T so far (tests reset n.events).
func eventsOf[T Event](n *testNode) []T {
	n.events = append(n.events, n.o.Events()...)
	var out []T
	for _, e := range n.events {
		if x, ok := e.(T); ok {
			out = append(out, x)
		}
	}
	return out
}

func pairFrom(t testing.TB, seed uint64) key.Pair {
	t.Helper()
	p, err := key.NewPair(seededReader(seed))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// must returns a function giving v, failing the test on err:
// must(ParseX(b))(t).
func must[T any](v T, err error) func(testing.TB) T {
	return func(t testing.TB) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}
