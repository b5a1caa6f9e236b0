package transport

import (
	"errors"
	"fmt"
	"net/netip"
	"sync"
	"time"

	"parley/net/wire"
)

// Handler handles one packet; pkt[0] is the kind it was registered for.
//
// Contract: return fast, never block, and do not keep pkt (or any slice of
// it) after returning: the read goroutine reuses the buffer for the next
// datagram, so copy what you need. The usual body decodes and hands off to
// an owner goroutine with a non-blocking send (Queue.TryPush), counting
// drops. Handlers for different kinds all run on the one read goroutine, so
// a handler that blocks stalls every protocol.
type Handler func(src netip.AddrPort, pkt []byte)

// Sender is what protocol packages depend on to put packets on the wire.
// Transport implements it; tests pass a recorder.
//
// Send must be safe for concurrent use and must not keep pkt after it
// returns.
type Sender interface {
	Send(dst netip.AddrPort, pkt []byte) error
}

// Errors returned by Handle and Send.
var (
	ErrStarted      = errors.New("transport: handlers must be registered before Start")
	ErrHandlerTaken = errors.New("transport: kind already has a handler")
	ErrNilHandler   = errors.New("transport: nil handler")
	ErrPacketSize   = errors.New("transport: packet size out of range")
	ErrBadAddr      = errors.New("transport: invalid destination address")
	ErrReadFailed   = errors.New("transport: socket read keeps failing")
)

// Read-error policy (WireGuard's deathSpiral): after this many consecutive
// non-close read errors, spaced readRetryDelay apart, the read goroutine gives
// up and Done is closed with Err set.
const (
	maxReadFailures = 10
	readRetryDelay  = time.Second / 3
)

// Transport owns one PacketConn: a single read goroutine that dispatches on
// the first byte of each datagram, and a Send safe for concurrent use.
//
// Lifecycle: New, Handle for each kind, Start, then Send from anywhere, and
// Close once. Stats, LocalAddr and CountDrop are safe at any time.
type Transport struct {
	conn  PacketConn
	table [256]Handler // written before Start only; read-only afterwards
	stats counters

	logf       func(format string, args ...any)
	retryDelay time.Duration

	mu       sync.Mutex // guards started, closed, closeErr
	started  bool
	closed   bool
	closeErr error

	closing chan struct{} // closed by Close
	done    chan struct{} // closed when the read goroutine has exited
	loopErr error         // set before done is closed; read after <-done
}

// New wraps conn. The Transport owns conn from now on: Close closes it.
func New(conn PacketConn) *Transport {
	return &Transport{
		conn:       conn,
		logf:       func(string, ...any) {},
		retryDelay: readRetryDelay,
		closing:    make(chan struct{}),
		done:       make(chan struct{}),
	}
}

// SetLogf sets where the Transport reports read-loop trouble. Call it before
// Start; nil means silent.
func (t *Transport) SetLogf(logf func(format string, args ...any)) {
	if logf == nil {
		logf = func(string, ...any) {}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.started {
		t.logf = logf
	}
}

// Handle registers h for packets whose first byte is kind. It must be called
// before Start (ErrStarted otherwise), at most once per kind
// (ErrHandlerTaken), with a non-nil h (ErrNilHandler). It never panics.
func (t *Transport) Handle(kind wire.Kind, h Handler) error {
	if h == nil {
		return fmt.Errorf("transport: handle %v: %w", kind, ErrNilHandler)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.started || t.closed {
		return fmt.Errorf("transport: handle %v: %w", kind, ErrStarted)
	}
	if t.table[kind] != nil {
		return fmt.Errorf("transport: handle %v: %w", kind, ErrHandlerTaken)
	}
	t.table[kind] = h
	return nil
}

// Start launches the read goroutine. Calling it again, or after Close, does
// nothing.
func (t *Transport) Start() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.started || t.closed {
		return
	}
	t.started = true
	go t.readLoop()
}

// Send writes one datagram to dst. It is safe for concurrent use, does not
// keep pkt, and may block briefly if the kernel's send buffer is full.
// Empty or oversize packets and invalid addresses are refused. Every failure
// is counted in Stats.SendErrors.
func (t *Transport) Send(dst netip.AddrPort, pkt []byte) error {
	if len(pkt) == 0 || len(pkt) > wire.MaxUDPPacketSize {
		t.stats.sendErrors.Add(1)
		return fmt.Errorf("transport: send %d bytes to %v: %w", len(pkt), dst, ErrPacketSize)
	}
	if !dst.IsValid() || dst.Port() == 0 {
		t.stats.sendErrors.Add(1)
		return fmt.Errorf("transport: send to %v: %w", dst, ErrBadAddr)
	}
	n, err := t.conn.WriteToUDPAddrPort(pkt, dst)
	if err != nil {
		t.stats.sendErrors.Add(1)
		return fmt.Errorf("transport: send to %v: %w", dst, err)
	}
	t.stats.sent.Add(1)
	t.stats.sentBytes.Add(uint64(n))
	return nil
}

// LocalAddr is the socket's bound address.
func (t *Transport) LocalAddr() netip.AddrPort { return t.conn.LocalAddr() }

// Close closes the socket and waits for the read goroutine to exit. Later
// calls return nil. A handler must not call Close (it would wait for itself).
func (t *Transport) Close() error {
	t.mu.Lock()
	if t.closed {
		t.mu.Unlock()
		<-t.done
		return nil
	}
	t.closed = true
	close(t.closing)
	t.closeErr = t.conn.Close()
	if !t.started {
		close(t.done) // no read goroutine will ever run
	}
	err := t.closeErr
	t.mu.Unlock()
	<-t.done
	return err
}

// Done is closed when the read goroutine has exited: after Close, or when it
// gave up on a socket whose reads keep failing (see Err).
func (t *Transport) Done() <-chan struct{} { return t.done }

// Err reports why the read goroutine stopped: nil while it runs and after a
// clean Close, an error wrapping ErrReadFailed if it gave up.
func (t *Transport) Err() error {
	select {
	case <-t.done:
		return t.loopErr
	default:
		return nil
	}
}

// Stats returns a snapshot of the counters. Safe from any goroutine.
func (t *Transport) Stats() Stats { return t.stats.snapshot() }

// CountDrop records a packet a handler threw away (a full hand-off queue, a
// parse or decryption failure). Safe from any goroutine; unknown reasons are
// ignored.
func (t *Transport) CountDrop(r DropReason) {
	if r >= 0 && r < numDropReasons {
		t.stats.drops[r].Add(1)
	}
}

var (
	_ Sender      = (*Transport)(nil)
	_ DropCounter = (*Transport)(nil)
)
