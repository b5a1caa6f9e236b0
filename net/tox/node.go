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
	"parley/net/friend"
	"parley/net/key"
	"parley/net/onion"
	"parley/net/session"
	"parley/net/tcprelay"
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
	// Bootstrap nodes are asked for nodes close to us at start, and again
	// while no DHT node answers.
	Bootstrap []wire.Node
	// LANDiscovery answers LAN discovery packets from LAN sources
	// (tox-protocol.md §4.3).
	LANDiscovery bool
	// LANBroadcast announces us on the LAN every 10 s by broadcast (and
	// IPv6 multicast), as c-toxcore does with local discovery on.
	LANBroadcast bool

	// Identity: the long-term key pair of our Tox ID; zero makes a new one.
	Self key.Pair
	// Nospam of our Tox ID; zero makes a random one.
	Nospam        key.Nospam
	Name          string
	StatusMessage string
	UserStatus    friend.UserStatus
	// Friends are confirmed friends to reconnect to.
	Friends []key.PublicKey
	// RelayOnly runs the DHT, onion relay and announce server but no
	// client: what `parley node` serves.
	RelayOnly bool
	// MOTD, when set, makes the node answer BOOTSTRAP_INFO requests with
	// Version and this message of the day, as tox-bootstrapd does.
	MOTD string

	Clock clock.Clock // nil: the real clock
	Rand  io.Reader   // nil: crypto/rand
	Logf  func(format string, args ...any)
	// InboxSize bounds the hand-off from the socket reader (default 4096).
	InboxSize int
	// OutboxPath is the file of the durable outbox (Queue, Outbox; see
	// outbox.go); empty: no outbox.
	OutboxPath string
	// TCPRelays are TCP relays (TCP-family nodes) to connect to, for
	// friends that direct UDP cannot reach (relays.go); relays friends
	// announce are added to them.
	TCPRelays []wire.Node
	// DisableUDP runs the node on TCP relays alone (tox-protocol.md §9),
	// as c-toxcore with udp_enabled false: the socket is bound to an
	// ephemeral loopback port and never sent on or read, the onion runs
	// over TCPRelays (a relay is each path's first hop; Bootstrap nodes
	// and the connected relays are its other hops) and friends connect
	// through the relays. TCPRelays must name at least one relay.
	DisableUDP bool
	// DialTCP opens relay connections; nil is transport.DialTCP.
	DialTCP tcprelay.Dialer
	// PeerCachePath is the file where friends' last DHT keys, addresses
	// and nearby nodes are kept for a fast reconnect (peercache.go);
	// empty: none.
	PeerCachePath string
}

// Node is a running Parley node.
type Node struct {
	cfg   Config
	clock clock.Clock
	tr    *transport.Transport
	self  key.PublicKey // DHT public key
	keys  key.Pair      // DHT key pair
	id    key.Pair      // long-term key pair

	// Owned by the loop.
	dht      *dht.DHT
	onion    *onion.Onion
	sessions *session.Manager
	friends  *friend.Manager
	peers    map[key.PublicKey]*peer
	selfConn SelfConnection
	drops    dropCounts
	ob       outboxState
	pc       peerCache

	relays     map[key.PublicKey]*relay // TCP relays by key (relays.go)
	relayOrder []*relay                 // config relays first, then learned ones

	hops []wire.Node // DisableUDP: onion hop candidates from Bootstrap (onion_tcp.go)

	lastRebootstrap time.Time
	lastLAN         time.Time
	lanWindow       uint16

	inbox chan inPacket
	calls chan func(now time.Time)
	quit  chan struct{}
	done  chan struct{}
	once  sync.Once
	subs  subscribers

	inboxDrops atomic.Uint64

	relayIn     chan relayMsg // from the relay goroutines
	relayCtx    context.Context
	relayCancel context.CancelFunc
	relayWG     sync.WaitGroup
	relayDrops  atomic.Uint64
	dialTCP     tcprelay.Dialer
}

type inPacket struct {
	src netip.AddrPort
	buf *[wire.MaxUDPPacketSize]byte
	n   int
}

var bufPool = sync.Pool{New: func() any { return new([wire.MaxUDPPacketSize]byte) }}

// Start opens the socket (unless cfg.Conn is set), builds the protocol
// stack, starts the node loop and sends the bootstrap requests.
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
	n := &Node{
		cfg:   cfg,
		clock: cfg.Clock,
		inbox: make(chan inPacket, cfg.InboxSize),
		calls: make(chan func(time.Time)),
		quit:  make(chan struct{}),
		done:  make(chan struct{}),
		drops: make(dropCounts),
		peers: make(map[key.PublicKey]*peer),

		relays:  make(map[key.PublicKey]*relay),
		relayIn: make(chan relayMsg, 16),
		dialTCP: cfg.DialTCP,
	}
	if n.dialTCP == nil {
		n.dialTCP = transport.DialTCP
	}
	n.relayCtx, n.relayCancel = context.WithCancel(context.Background())
	for _, nd := range cfg.TCPRelays {
		n.addRelay(nd)
	}
	if err := n.initKeys(); err != nil {
		return nil, err
	}
	if cfg.DisableUDP && len(n.relayOrder) == 0 {
		return nil, errors.New("tox: DisableUDP needs TCPRelays")
	}
	conn := cfg.Conn
	if conn == nil {
		lc := cfg.Listen
		if cfg.DisableUDP {
			lc = transport.Config{Ephemeral: true, BindAddr: netip.AddrFrom4([4]byte{127, 0, 0, 1}), Logf: lc.Logf}
		}
		c, err := transport.Listen(lc)
		if err != nil {
			return nil, err
		}
		conn = c
	}
	n.tr = transport.New(conn)
	if err := n.build(n.clock.Now()); err != nil {
		n.tr.Close()
		return nil, err
	}
	if err := n.register(); err != nil {
		n.tr.Close()
		return nil, err
	}
	if err := n.openOutbox(); err != nil {
		n.tr.Close()
		return nil, err
	}
	n.tr.Start()
	n.loadPeerCache()
	n.usePeerCache(n.clock.Now())
	go n.loop()
	for _, b := range cfg.Bootstrap {
		if cfg.DisableUDP {
			break // the bootstrap nodes serve as onion hops only
		}
		if err := n.Bootstrap(context.Background(), b); err != nil {
			return nil, err
		}
	}
	return n, nil
}

func (n *Node) initKeys() error {
	if n.cfg.DHTKeys != nil {
		n.keys = *n.cfg.DHTKeys
	} else {
		k, err := key.NewPair(n.cfg.Rand)
		if err != nil {
			return err
		}
		n.keys = k
	}
	n.self = n.keys.Public
	n.id = n.cfg.Self
	if n.id.Public.IsZero() {
		k, err := key.NewPair(n.cfg.Rand)
		if err != nil {
			return err
		}
		n.id = k
	}
	if n.cfg.Nospam == (key.Nospam{}) {
		nonce, err := key.RandomNonce(n.cfg.Rand)
		if err != nil {
			return err
		}
		copy(n.cfg.Nospam[:], nonce[:4])
	}
	return nil
}

// register routes every packet kind the stack speaks to the loop.
func (n *Node) register() error {
	if n.cfg.DisableUDP {
		return nil // nothing read from the socket: the transport drops it all
	}
	kinds := []wire.Kind{
		wire.KindPingRequest, wire.KindPingResponse, wire.KindNodesRequest, wire.KindNodesResponse,
		wire.KindCrypto, wire.KindLANDiscovery,
		wire.KindCookieRequest, wire.KindCookieResponse, wire.KindCryptoHandshake, wire.KindCryptoData,
		wire.KindOnionSendInitial, wire.KindOnionSend1, wire.KindOnionSend2,
		wire.KindAnnounceRequest, wire.KindAnnounceResponse, wire.KindOnionDataRequest, wire.KindOnionDataResponse,
		wire.KindOnionRecv3, wire.KindOnionRecv2, wire.KindOnionRecv1,
	}
	if n.cfg.MOTD != "" {
		kinds = append(kinds, wire.KindBootstrapInfo)
	}
	for _, k := range kinds {
		if err := n.tr.Handle(k, n.enqueue); err != nil {
			return err
		}
	}
	return nil
}

// DHTPublicKey returns the node's DHT public key.
func (n *Node) DHTPublicKey() key.PublicKey { return n.self }

// PublicKey returns the node's long-term public key (the one in its Tox ID).
func (n *Node) PublicKey() key.PublicKey { return n.id.Public }

// LocalAddr returns the socket's address.
func (n *Node) LocalAddr() netip.AddrPort { return n.tr.LocalAddr() }

// send is every state machine's Send: it never blocks (UDP writes do not).
func (n *Node) send(dst netip.AddrPort, pkt []byte) {
	if n.cfg.DisableUDP {
		n.drops["udp-disabled"]++
		return
	}
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
// goroutines to exit, ends every subscription, and is safe to call more
// than once.
func (n *Node) Close() error {
	var err error
	n.once.Do(func() {
		close(n.quit)
		<-n.done
		n.relayCancel()
		n.relayWG.Wait()
		err = errors.Join(n.tr.Close(), n.closeOutbox())
		n.subs.closeAll()
	})
	return err
}

func (n *Node) loop() {
	defer close(n.done)
	timer := n.clock.NewTimer(0)
	defer timer.Stop()
	var next time.Time // when timer fires; zero while it is not armed
	for {
		select {
		case <-n.quit:
			n.shutdown(n.clock.Now())
			return
		case p := <-n.inbox:
			now := n.clock.Now()
			if err := n.dispatch(now, p.src, p.buf[:p.n]); err != nil {
				n.drops.count(err)
			}
			bufPool.Put(p.buf)
			n.drain(now)
		case m := <-n.relayIn:
			now := n.clock.Now()
			n.onRelayMsg(now, m)
			n.drain(now)
		case fn := <-n.calls:
			now := n.clock.Now()
			fn(now)
			n.drain(now)
		case <-timer.C():
			now := n.clock.Now()
			next = time.Time{}
			n.tick(now)
			n.drain(now)
		}
		// Handling a packet or a call may have set an earlier deadline (a
		// session acknowledges new data within milliseconds): rearm.
		now := n.clock.Now()
		due := n.nextDeadline(now)
		if next.IsZero() || due.Before(next) {
			if !next.IsZero() {
				timer.Stop()
			}
			timer.Reset(due.Sub(now))
			next = due
		}
	}
}

// nextDeadline is when the loop must next tick: the earliest of the state
// machines' deadlines, at least 5 ms and at most a second away.
func (n *Node) nextDeadline(now time.Time) time.Time {
	due := now.Add(time.Second)
	for _, d := range n.deadlines() {
		if !d.IsZero() && d.Before(due) {
			due = d
		}
	}
	if min := now.Add(5 * time.Millisecond); due.Before(min) {
		due = min
	}
	return due
}

// String describes the node for logs.
func (n *Node) String() string { return fmt.Sprintf("node %s at %s", n.self.Short(), n.LocalAddr()) }
