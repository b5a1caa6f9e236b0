package tcprelay

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"

	"parley/net/clock"
	"parley/net/key"
	"parley/net/wire"
)

// Dialer opens the TCP connection to a relay. It is the one place the
// socket comes from (see the package doc): net/tox or a test passes its
// own; nil means a plain net.Dialer.
type Dialer func(ctx context.Context, addr netip.AddrPort) (net.Conn, error)

// Queue sizes when Config leaves them zero.
const (
	// DefaultSendQueue frames (about 130 KB at most) may wait for the
	// writer; then commands wait for room.
	DefaultSendQueue = 64
	// DefaultEventQueue events may wait for the reader of Events; then the
	// client stops reading from the relay until they are taken.
	DefaultEventQueue = 256
	// DefaultMaxBurst bytes at most are written per PaceInterval (about
	// 0.5 MB/s). Debian's tox-bootstrapd (built without epoll) reads its
	// sockets once per 30 ms pass, and only when a whole frame is
	// buffered. When more than its receive buffer (128 KiB of kernel
	// memory) arrives between two passes, the window closes while the
	// start of a frame sits in a half-read buffer; the relay then waits
	// forever for the rest, which can no longer arrive, and drops us at its
	// next ping timeout. Measured on loopback: unpaced, a 2 MB window of
	// 1400-byte frames wedged the connection in 5 runs out of 5; 32 KiB per
	// pass still wedged 100-byte frames once in about 20 runs (two of our
	// intervals can fall into one longer relay pass, and small segments
	// cost more kernel memory); 16 KiB per pass never did.
	DefaultMaxBurst = 16 << 10
)

// Config describes one relay connection.
type Config struct {
	// Self is our DHT key pair: relays know clients by their DHT key
	// (tox-protocol.md §9), and peers route to it.
	Self key.Pair
	// Relay is the relay's key and TCP address.
	Relay wire.Node
	// Dial opens the connection; nil dials TCP with a net.Dialer.
	Dial Dialer
	// Clock runs the handshake timeout, the ping timer, the writer's
	// pacing and Close's flush timeout; nil is clock.Real. With a fake
	// clock, the writer sends at most MaxBurst bytes until the clock
	// moves, and Close may wait for it to move CloseFlushTimeout.
	Clock clock.Clock
	// Rand supplies keys, nonces and ping ids; nil is crypto/rand.
	Rand io.Reader
	// SendQueue bounds the frames waiting for the writer
	// (DefaultSendQueue if 0).
	SendQueue int
	// EventQueue bounds the events waiting to be read
	// (DefaultEventQueue if 0).
	EventQueue int
	// MaxBurst bounds the bytes written per PaceInterval
	// (DefaultMaxBurst if 0; negative: unpaced).
	MaxBurst int
}

// Client is one connection to a TCP relay, run by three goroutines (see
// the package doc). Its methods are safe for concurrent use. Commands
// (RoutingRequest, Send, SendOOB, SendOnion, Disconnect) return once the
// frame is sealed and queued for the writer, or with the reason it was
// refused; they wait while the send queue is full, until ctx ends.
type Client struct {
	relay  key.PublicKey
	conn   net.Conn
	clock  clock.Clock
	life   context.Context
	evCap  int
	burst  int // bytes per PaceInterval; 0: unpaced
	cmds   chan command
	in     chan inFrame
	out    chan *[]byte
	room   chan struct{}
	wrErr  chan error
	events chan Event

	closing   chan struct{}
	closeOnce sync.Once
	quit      chan struct{} // closed when the loop stops: reader and writer exit
	drain     chan struct{} // closed on a graceful stop: the writer flushes and exits
	wrDone    chan struct{} // closed when the writer has exited
	done      chan struct{} // closed when all three goroutines have exited
	err       error         // why it ended; set before done is closed
	wg        sync.WaitGroup

	framesIn, framesOut, bytesIn, bytesOut, ignored, answered atomic.Uint64
}

// command is one packet for the loop to seal and queue; the loop always
// answers on res (buffered) once it has taken the command.
type command struct {
	pkt Packet
	res chan error
}

// inFrame is one frame body from the reader, or the error that ended it.
type inFrame struct {
	body *[]byte
	err  error
}

// Stats are a Client's counters.
type Stats struct {
	FramesIn, FramesOut uint64
	BytesIn, BytesOut   uint64 // on the wire, length prefixes included
	// Ignored counts packets that had no effect (see Session.Ignored).
	Ignored uint64
	// PingsAnswered counts the relay's pings we answered.
	PingsAnswered uint64
}

// Dial connects to the relay, runs the handshake and starts the client;
// dial and handshake must finish within HandshakeTimeout. ctx bounds the
// handshake and, as exec.CommandContext does, the client's life: when it
// ends the client closes.
func Dial(ctx context.Context, cfg Config) (*Client, error) {
	if !cfg.Relay.Addr.IsValid() {
		return nil, fmt.Errorf("tcprelay: relay %v has no address", cfg.Relay.PK.Short())
	}
	if cfg.Dial == nil {
		cfg.Dial = dialTCP
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.Real{}
	}
	sess, err := NewSession(cfg.Self, cfg.Relay.PK, cfg.Rand)
	if err != nil {
		return nil, err
	}
	conn, err := establish(ctx, cfg, sess)
	if err != nil {
		return nil, fmt.Errorf("tcprelay: relay %v: %w", cfg.Relay, err)
	}
	c := newClient(ctx, cfg, conn)
	c.wg.Add(2)
	go c.readLoop()
	go c.writeLoop()
	go c.loop(sess)
	return c, nil
}

// establish dials and runs the handshake under HandshakeTimeout.
func establish(ctx context.Context, cfg Config, sess *Session) (net.Conn, error) {
	hctx, cancel := context.WithCancelCause(ctx)
	timer := cfg.Clock.NewTimer(HandshakeTimeout)
	watched := make(chan struct{})
	go func() { // ends with the handshake: success cancels hctx below
		defer close(watched)
		select {
		case <-timer.C():
			cancel(ErrHandshakeTimeout)
		case <-hctx.Done():
		}
	}()
	defer func() {
		cancel(nil)
		<-watched
		timer.Stop()
	}()

	conn, err := cfg.Dial(hctx, cfg.Relay.Addr)
	if err != nil {
		if hctx.Err() != nil {
			err = context.Cause(hctx)
		}
		return nil, fmt.Errorf("dial: %w", err)
	}
	stop := context.AfterFunc(hctx, func() { conn.Close() })
	err = handshake(conn, sess, cfg.Clock)
	if !stop() { // hctx ended first and closed conn: that is the reason
		conn.Close()
		return nil, context.Cause(hctx)
	}
	if err != nil {
		conn.Close()
		return nil, err
	}
	return conn, nil
}

func handshake(conn net.Conn, sess *Session, clk clock.Clock) error {
	if _, err := conn.Write(sess.Hello()); err != nil {
		return fmt.Errorf("%w: writing: %w", ErrHandshake, err)
	}
	var reply [ServerHandshakeSize]byte
	if _, err := io.ReadFull(conn, reply[:]); err != nil {
		return fmt.Errorf("%w: reading reply: %w", ErrHandshake, err)
	}
	return sess.HandleHandshake(clk.Now(), reply[:])
}

func dialTCP(ctx context.Context, addr netip.AddrPort) (net.Conn, error) {
	var d net.Dialer
	return d.DialContext(ctx, "tcp", addr.String())
}

func newClient(ctx context.Context, cfg Config, conn net.Conn) *Client {
	sendQ, evQ, burst := cfg.SendQueue, cfg.EventQueue, cfg.MaxBurst
	if sendQ <= 0 {
		sendQ = DefaultSendQueue
	}
	if evQ <= 0 {
		evQ = DefaultEventQueue
	}
	switch {
	case burst == 0:
		burst = DefaultMaxBurst
	case burst < 0:
		burst = 0
	case burst < FrameHeaderSize+MaxFrameSize:
		burst = FrameHeaderSize + MaxFrameSize // one largest frame per interval at least
	}
	return &Client{
		relay:   cfg.Relay.PK,
		conn:    conn,
		clock:   cfg.Clock,
		life:    ctx,
		evCap:   evQ,
		burst:   burst,
		cmds:    make(chan command),
		in:      make(chan inFrame, 16),
		out:     make(chan *[]byte, sendQ),
		room:    make(chan struct{}, 1),
		wrErr:   make(chan error, 1),
		events:  make(chan Event, evQ),
		closing: make(chan struct{}),
		quit:    make(chan struct{}),
		drain:   make(chan struct{}),
		wrDone:  make(chan struct{}),
		done:    make(chan struct{}),
	}
}

// Relay returns the relay's public key.
func (c *Client) Relay() key.PublicKey { return c.relay }

// Events returns the client's events. Read it until it is closed, which
// happens when the client has ended; while events wait unread (more than
// Config.EventQueue) the client stops reading from the relay.
func (c *Client) Events() <-chan Event { return c.events }

// RoutingRequest asks the relay for a connection id to pk; the answer
// comes as a Routed or RouteRefused event, then PeerOnline once pk routes
// to us as well.
func (c *Client) RoutingRequest(ctx context.Context, pk key.PublicKey) error {
	return c.do(ctx, &RoutingRequest{PK: pk})
}

// Send sends data (1..MaxDataSize bytes) to the peer behind an online id
// (ErrNotOnline otherwise). data may be reused once Send returns.
func (c *Client) Send(ctx context.Context, id ConnID, data []byte) error {
	return c.do(ctx, &Data{ConnID: id, Payload: data})
}

// SendOOB asks the relay to pass data (1..MaxOOBDataSize bytes) to the
// client with key to, if it is connected to this relay; nothing says
// whether it was.
func (c *Client) SendOOB(ctx context.Context, to key.PublicKey, data []byte) error {
	return c.do(ctx, &OOBSend{Dest: to, Data: data})
}

// SendOnion hands the relay an onion request to send on (see
// OnionRequest); answers come as OnionReceived events.
func (c *Client) SendOnion(ctx context.Context, req OnionRequest) error {
	return c.do(ctx, &req)
}

// Disconnect gives up connection id id (ErrUnknownConn if we do not hold
// it); the peer sees PeerOffline.
func (c *Client) Disconnect(ctx context.Context, id ConnID) error {
	return c.do(ctx, &DisconnectNotification{ConnID: id})
}

func (c *Client) do(ctx context.Context, p Packet) error {
	res := make(chan error, 1)
	select {
	case c.cmds <- command{pkt: p, res: res}:
	case <-ctx.Done():
		return ctx.Err()
	case <-c.done:
		return c.endedErr()
	}
	return <-res // the loop answers every command it takes
}

// Close ends the connection and waits for the client's goroutines to
// exit. It is graceful: it queues a disconnect notification for every
// connection id we hold and lets the writer flush the queue for at most
// CloseFlushTimeout (on Config.Clock) before it closes the socket. Peers
// then see PeerOffline at once; without it, a relay built without epoll
// (Debian's tox-bootstrapd) notices a closed client only when its next
// ping goes unanswered, up to PingInterval+PingTimeout later. It returns
// nil; Err says why the client ended if it had ended before.
func (c *Client) Close() error {
	c.closeOnce.Do(func() { close(c.closing) })
	<-c.done
	return nil
}

// Done is closed once the client has ended and its goroutines have exited.
func (c *Client) Done() <-chan struct{} { return c.done }

// Err returns why the client ended (ErrClosed after Close, ErrPingTimeout,
// ErrRelayClosed, ErrProtocol...), or nil while it runs.
func (c *Client) Err() error {
	select {
	case <-c.done:
		return c.err
	default:
		return nil
	}
}

func (c *Client) endedErr() error {
	if errors.Is(c.err, ErrClosed) {
		return c.err
	}
	return fmt.Errorf("%w: %w", ErrClosed, c.err)
}

// Stats returns the client's counters.
func (c *Client) Stats() Stats {
	return Stats{
		FramesIn: c.framesIn.Load(), FramesOut: c.framesOut.Load(),
		BytesIn: c.bytesIn.Load(), BytesOut: c.bytesOut.Load(),
		Ignored: c.ignored.Load(), PingsAnswered: c.answered.Load(),
	}
}
