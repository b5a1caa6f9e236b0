package session

import (
	"container/heap"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"testing"
	"time"

	"parley/net/key"
	"parley/net/wire"
)

// This file is an in-memory, seeded, discrete-event link for the session
// tests: every datagram gets a delivery time (delay ± jitter, which
// reorders), may be lost or duplicated, and the clock jumps from event to
// event (packet deliveries and the Managers' NextDeadline), so a minute
// of protocol time costs milliseconds.

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

type datagram struct {
	at       time.Time
	seq      uint64
	src, dst netip.AddrPort
	data     []byte
	relayed  *key.PublicKey // through a TCP relay from this DHT key (tcp_test.go)
}

type dgQueue []*datagram

func (q dgQueue) Len() int { return len(q) }
func (q dgQueue) Less(i, j int) bool {
	if !q[i].at.Equal(q[j].at) {
		return q[i].at.Before(q[j].at)
	}
	return q[i].seq < q[j].seq
}
func (q dgQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *dgQueue) Push(x any)   { *q = append(*q, x.(*datagram)) }
func (q *dgQueue) Pop() any {
	old := *q
	x := old[len(old)-1]
	*q = old[:len(old)-1]
	return x
}

// link connects nodes by address.
type link struct {
	t      testing.TB
	now    time.Time
	rng    *rand.Rand
	q      dgQueue
	seq    uint64
	nodes  map[netip.AddrPort]*node
	order  []*node
	Loss   float64       // probability a datagram is dropped
	Dup    float64       // probability it is delivered twice
	Delay  time.Duration // one-way base delay
	Jitter time.Duration // uniform extra delay in [0, Jitter)
	// Filter, if set, sees every datagram before loss; false drops it.
	Filter func(d *datagram) bool
	sent   int
}

func newLink(t testing.TB, seed uint64) *link {
	return &link{t: t, now: t0, rng: rand.New(rand.NewPCG(seed, seed^0x5eed)), nodes: map[netip.AddrPort]*node{},
		Delay: 5 * time.Millisecond}
}

// node is one Manager on the link with everything its callbacks saw.
type node struct {
	name   string
	l      *link
	addr   netip.AddrPort
	self   key.Pair
	dht    key.Pair
	m      *Manager
	cfg    Config
	accept bool

	lossless [][]byte
	lossy    [][]byte
	acked    []uint32
	states   []State
	dhtKeys  []key.PublicKey
	conns    []*Conn // every connection OnState reported, in order
	errs     map[error]int
	other    int // errors matching no sentinel
	onData   func(c *Conn, data []byte)
}

var sentinels = []error{
	ErrUnknownSource, ErrState, ErrNotAccepted, ErrCookie, ErrEcho, ErrCookieHash, ErrReplay,
	ErrDuplicate, ErrWindow, ErrPacketID, wire.ErrDecrypt, wire.ErrShort, wire.ErrLong,
	wire.ErrKind, wire.ErrMalformed,
}

// chacha returns a seeded random source for keys and nonces.
func chacha(seed uint64) *rand.ChaCha8 {
	var s [32]byte
	s[0], s[1] = byte(seed), byte(seed>>8)
	return rand.NewChaCha8(s)
}

func (l *link) addNode(name string, port uint16, mod func(*Config)) *node {
	l.t.Helper()
	r := chacha(uint64(port))
	n := &node{name: name, l: l, addr: netip.AddrPortFrom(netip.MustParseAddr("10.0.0.1"), port), accept: true,
		errs: map[error]int{}}
	var err error
	if n.self, err = key.NewPair(r); err != nil {
		l.t.Fatal(err)
	}
	if n.dht, err = key.NewPair(r); err != nil {
		l.t.Fatal(err)
	}
	n.cfg = Config{
		Self: n.self, DHT: n.dht, Rand: r,
		Send:       func(dst netip.AddrPort, pkt []byte) { l.send(n.addr, dst, pkt) },
		Accept:     func(key.PublicKey) bool { return n.accept },
		OnState:    func(c *Conn, s State) { n.states = append(n.states, s); n.noteConn(c) },
		OnLossless: func(c *Conn, d []byte) { n.lossless = append(n.lossless, append([]byte(nil), d...)); n.data(c, d) },
		OnLossy:    func(c *Conn, d []byte) { n.lossy = append(n.lossy, append([]byte(nil), d...)) },
		OnAcked:    func(c *Conn, pn uint32) { n.acked = append(n.acked, pn) },
		OnDHTKey:   func(c *Conn, pk key.PublicKey) { n.dhtKeys = append(n.dhtKeys, pk) },
	}
	if mod != nil {
		mod(&n.cfg)
	}
	if n.m, err = NewManager(n.cfg, l.now); err != nil {
		l.t.Fatal(err)
	}
	l.nodes[n.addr] = n
	l.order = append(l.order, n)
	return n
}

func (n *node) data(c *Conn, d []byte) {
	if n.onData != nil {
		n.onData(c, d)
	}
}

func (n *node) noteConn(c *Conn) {
	for _, x := range n.conns {
		if x == c {
			return
		}
	}
	n.conns = append(n.conns, c)
}

// restart replaces the node's Manager (same long-term key, new DHT key),
// as a restarted client.
func (n *node) restart() {
	n.l.t.Helper()
	var err error
	if n.dht, err = key.NewPair(n.cfg.Rand); err != nil {
		n.l.t.Fatal(err)
	}
	n.cfg.DHT = n.dht
	if n.m, err = NewManager(n.cfg, n.l.now); err != nil {
		n.l.t.Fatal(err)
	}
}

// connect makes n initiate a connection to p.
func (n *node) connect(p *node) *Conn {
	n.l.t.Helper()
	c, err := n.m.Connect(n.l.now, p.self.Public, p.dht.Public, p.addr)
	if err != nil {
		n.l.t.Fatal(err)
	}
	return c
}

func (n *node) conn(p *node) *Conn { return n.m.Conn(p.self.Public) }

func (l *link) send(src, dst netip.AddrPort, pkt []byte) {
	l.sent++
	l.push(&datagram{src: src, dst: dst, data: pkt})
}

func (l *link) push(d *datagram) {
	if l.Filter != nil && !l.Filter(d) {
		return
	}
	if l.rng.Float64() < l.Loss {
		return
	}
	copies := 1
	if l.rng.Float64() < l.Dup {
		copies = 2
	}
	for range copies {
		delay := l.Delay
		if l.Jitter > 0 {
			delay += time.Duration(l.rng.Int64N(int64(l.Jitter)))
		}
		l.seq++
		heap.Push(&l.q, &datagram{at: l.now.Add(delay), seq: l.seq, src: d.src, dst: d.dst, data: d.data, relayed: d.relayed})
	}
}

// deliver hands one datagram to its node and records the outcome.
func (l *link) deliver(d *datagram) {
	n := l.nodes[d.dst]
	if n == nil {
		return
	}
	if d.relayed != nil {
		from := l.nodes[d.src]
		n.record(n.m.HandleTCPPacket(l.now, *d.relayed, d.data, func(pkt []byte) { l.sendTCP(n, from, pkt) }))
		return
	}
	n.record(n.m.HandlePacket(l.now, d.src, d.data))
}

func (n *node) record(err error) {
	if err == nil {
		return
	}
	for _, s := range sentinels {
		if errors.Is(err, s) {
			n.errs[s]++
			return
		}
	}
	n.other++
	n.l.t.Logf("%s: unclassified error: %v", n.name, err)
}

// runUntil advances the simulation until cond holds (true) or limit of
// simulated time passes (false). step, if set, runs at every event.
func (l *link) runUntil(limit time.Duration, cond func() bool, step func()) bool {
	end := l.now.Add(limit)
	same := 0
	for {
		if step != nil {
			step()
		}
		if cond != nil && cond() {
			return true
		}
		next := end
		if len(l.q) > 0 && l.q[0].at.Before(next) {
			next = l.q[0].at
		}
		for _, n := range l.order {
			if d := n.m.NextDeadline(); !d.IsZero() && d.Before(next) {
				next = d
			}
		}
		if next.After(l.now) {
			l.now, same = next, 0
		} else if same++; same > 100000 {
			l.t.Fatalf("simulation stuck at %v", l.now.Sub(t0))
		}
		if !l.now.Before(end) {
			return cond != nil && cond()
		}
		for len(l.q) > 0 && !l.q[0].at.After(l.now) {
			l.deliver(heap.Pop(&l.q).(*datagram))
		}
		for _, n := range l.order {
			if d := n.m.NextDeadline(); !d.IsZero() && !d.After(l.now) {
				n.m.Tick(l.now)
			}
		}
	}
}

// run advances the simulation by d.
func (l *link) run(d time.Duration) { l.runUntil(d, nil, nil) }

// established makes a pair of connected, established nodes.
func established(t *testing.T, l *link) (a, b *node) {
	t.Helper()
	a, b = l.addNode("a", 1001, nil), l.addNode("b", 1002, nil)
	a.connect(b)
	if !l.runUntil(10*time.Second, func() bool { return bothEstablished(a, b) }, nil) {
		t.Fatalf("not established: a %v, b %v", stateOf(a.conn(b)), stateOf(b.conn(a)))
	}
	return a, b
}

func bothEstablished(a, b *node) bool {
	return stateOf(a.conn(b)) == StateEstablished && stateOf(b.conn(a)) == StateEstablished
}

func stateOf(c *Conn) State {
	if c == nil {
		return StateNone
	}
	return c.State()
}

// msg is test message i: id 64, the index, and i%200 filler bytes.
func msg(i int) []byte {
	b := fmt.Appendf([]byte{64}, "%08d", i)
	for j := range i % 200 {
		b = append(b, byte(i+j))
	}
	return b
}
