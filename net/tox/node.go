package tox

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"parley/net/clock"
	"parley/net/dht"
	"parley/net/key"
	"parley/net/transport"
	"parley/net/wire"
)

// ErrClosed is returned by commands on a closed node.
var ErrClosed = errors.New("tox: node closed")

// Config configures a Node. Zero values are usable defaults.
type Config struct {
	// Conn is the socket to use; nil opens one with Listen.
	Conn transport.PacketConn
	// Listen configures the socket opened when Conn is nil.
	Listen transport.Config
	// DHTKeys is the DHT key pair; nil generates a random one, as c-toxcore
	// does at every start.
	DHTKeys *key.Pair
	// Bootstrap nodes are asked for nodes close to us at start.
	Bootstrap []wire.Node
	// LANDiscovery answers LAN discovery packets from LAN sources
	// (tox-protocol.md §4.3).
	LANDiscovery bool
	// LANBroadcast announces us on the LAN every 10 s by broadcast (and
	// IPv6 multicast), as c-toxcore does with local discovery on.
	LANBroadcast bool
	Clock        clock.Clock // nil: the real clock
	Rand         io.Reader   // nil: crypto/rand
	Logf         func(format string, args ...any)
	// InboxSize bounds the hand-off from the socket reader (default 4096).
	InboxSize int
}

// Node is a running Parley node.
type Node struct {
	cfg   Config
	clock clock.Clock
	tr    *transport.Transport
	dht   *dht.DHT
	self  key.PublicKey

	inbox chan inPacket
	calls chan func(now time.Time)
	quit  chan struct{}
	done  chan struct{}
	once  sync.Once

	lastRebootstrap time.Time
	lastLAN         time.Time
	lanWindow       uint16

	inboxDrops atomic.Uint64
	drops      dropCounts // owned by the loop; read through Do
}

type inPacket struct {
	src netip.AddrPort
	buf *[wire.MaxUDPPacketSize]byte
	n   int
}

var bufPool = sync.Pool{New: func() any { return new([wire.MaxUDPPacketSize]byte) }}

// Start opens the socket (unless cfg.Conn is set), starts the node loop and
// sends the bootstrap requests.
func Start(cfg Config) (*Node, error) {
	if cfg.Clock == nil {
		cfg.Clock = clock.Real{}
	}
	if cfg.Logf == nil {
		cfg.Logf = func(string, ...any) {}
	}
	if cfg.InboxSize <= 0 {
		cfg.InboxSize = 4096
	}
	conn := cfg.Conn
	if conn == nil {
		c, err := transport.Listen(cfg.Listen)
		if err != nil {
			return nil, err
		}
		conn = c
	}
	var keys key.Pair
	if cfg.DHTKeys != nil {
		keys = *cfg.DHTKeys
	} else {
		k, err := key.NewPair(cfg.Rand)
		if err != nil {
			conn.Close()
			return nil, err
		}
		keys = k
	}
	n := &Node{
		cfg:   cfg,
		clock: cfg.Clock,
		tr:    transport.New(conn),
		self:  keys.Public,
		inbox: make(chan inPacket, cfg.InboxSize),
		calls: make(chan func(time.Time)),
		quit:  make(chan struct{}),
		done:  make(chan struct{}),
		drops: make(dropCounts),
	}
	now := n.clock.Now()
	n.dht = dht.New(dht.Config{
		Keys:         keys,
		Send:         n.send,
		Rand:         cfg.Rand,
		Logf:         cfg.Logf,
		LANDiscovery: cfg.LANDiscovery,
	}, now)
	for _, k := range []wire.Kind{wire.KindPingRequest, wire.KindPingResponse, wire.KindNodesRequest,
		wire.KindNodesResponse, wire.KindCrypto, wire.KindLANDiscovery} {
		if err := n.tr.Handle(k, n.enqueue); err != nil {
			n.tr.Close()
			return nil, err
		}
	}
	n.tr.Start()
	go n.loop()
	for _, b := range cfg.Bootstrap {
		b := b
		if err := n.Do(context.Background(), func(now time.Time) { n.dht.Bootstrap(now, b.Addr, b.PK) }); err != nil {
			return nil, err
		}
	}
	return n, nil
}

// DHTPublicKey returns the node's DHT public key.
func (n *Node) DHTPublicKey() key.PublicKey { return n.self }

// LocalAddr returns the socket's address.
func (n *Node) LocalAddr() netip.AddrPort { return n.tr.LocalAddr() }

// send is the DHT's Send: it never blocks (UDP writes do not).
func (n *Node) send(dst netip.AddrPort, pkt []byte) {
	if err := n.tr.Send(dst, pkt); err != nil {
		n.drops["send-error"]++
	}
}

// enqueue is the transport handler: copy and hand off without blocking.
func (n *Node) enqueue(src netip.AddrPort, pkt []byte) {
	buf := bufPool.Get().(*[wire.MaxUDPPacketSize]byte)
	m := copy(buf[:], pkt)
	select {
	case n.inbox <- inPacket{src: src, buf: buf, n: m}:
	default:
		bufPool.Put(buf)
		n.inboxDrops.Add(1)
	}
}

// Do runs fn on the node loop and waits for it to finish.
func (n *Node) Do(ctx context.Context, fn func(now time.Time)) error {
	done := make(chan struct{})
	wrapped := func(now time.Time) { fn(now); close(done) }
	select {
	case n.calls <- wrapped:
	case <-n.done:
		return ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case <-done:
		return nil
	case <-n.done:
		return ErrClosed
	}
}

// Close stops the node loop and closes the socket. It waits for both
// goroutines to exit and is safe to call more than once.
func (n *Node) Close() error {
	var err error
	n.once.Do(func() {
		close(n.quit)
		<-n.done
		err = n.tr.Close()
	})
	return err
}

func (n *Node) loop() {
	defer close(n.done)
	const maxWait = time.Second
	timer := n.clock.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-n.quit:
			return
		case p := <-n.inbox:
			now := n.clock.Now()
			if err := n.dht.HandlePacket(now, p.src, p.buf[:p.n]); err != nil {
				n.drops.count(err)
			}
			bufPool.Put(p.buf)
		case fn := <-n.calls:
			fn(n.clock.Now())
		case <-timer.C():
			now := n.clock.Now()
			n.dht.Tick(now)
			n.maintain(now)
			wait := maxWait
			if d := n.dht.NextDeadline(); !d.IsZero() {
				if w := d.Sub(now); w < wait {
					wait = w
				}
			}
			if wait < 10*time.Millisecond {
				wait = 10 * time.Millisecond
			}
			timer.Reset(wait)
		}
	}
}

// dropCounts counts packets the state machines rejected, by reason.
type dropCounts map[string]uint64

func (d dropCounts) count(err error) {
	reason := "other"
	switch {
	case errors.Is(err, wire.ErrShort):
		reason = "short"
	case errors.Is(err, wire.ErrLong):
		reason = "long"
	case errors.Is(err, wire.ErrMalformed):
		reason = "malformed"
	case errors.Is(err, wire.ErrDecrypt):
		reason = "decrypt"
	case errors.Is(err, wire.ErrKind):
		reason = "kind"
	}
	d[reason]++
}

// Stats is a snapshot of a node's counters.
type Stats struct {
	Transport  transport.Stats
	DHT        dht.Stats
	GoodNodes  int
	Connected  bool
	InboxDrops uint64
	Drops      map[string]uint64 // rejected by the state machines, by reason
}

// Stats returns a snapshot taken on the node loop.
func (n *Node) Stats(ctx context.Context) (Stats, error) {
	var s Stats
	err := n.Do(ctx, func(now time.Time) {
		s.DHT = n.dht.Stats()
		s.GoodNodes = n.dht.GoodNodes(now)
		s.Connected = n.dht.Connected(now)
		s.Drops = make(map[string]uint64, len(n.drops))
		for k, v := range n.drops {
			s.Drops[k] = v
		}
	})
	s.Transport = n.tr.Stats()
	s.InboxDrops = n.inboxDrops.Load()
	return s, err
}

// Bootstrap asks node for the nodes closest to us, as tox_bootstrap.
func (n *Node) Bootstrap(ctx context.Context, node wire.Node) error {
	return n.Do(ctx, func(now time.Time) { n.dht.Bootstrap(now, node.Addr, node.PK) })
}

// Nodes returns the good nodes of the close list (for the last-good cache).
func (n *Node) Nodes(ctx context.Context) ([]wire.Node, error) {
	var out []wire.Node
	err := n.Do(ctx, func(now time.Time) { out = n.dht.Nodes(now) })
	return out, err
}

// Lookup finds the k nodes closest to target with an iterative search.
func (n *Node) Lookup(ctx context.Context, target key.PublicKey, k int) ([]wire.Node, error) {
	res := make(chan []wire.Node, 1)
	err := n.Do(ctx, func(now time.Time) {
		n.dht.Lookup(now, target, k, func(_ time.Time, closest []wire.Node) { res <- closest })
	})
	if err != nil {
		return nil, err
	}
	select {
	case r := <-res:
		return r, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-n.done:
		return nil, ErrClosed
	}
}

// String describes the node for logs.
func (n *Node) String() string { return fmt.Sprintf("node %s at %s", n.self.Short(), n.LocalAddr()) }
