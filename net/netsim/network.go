package netsim

import (
	"errors"
	"math/rand/v2"
	"net/netip"
	"sync"
	"time"
)

// Errors returned when adding hosts, NATs and conns, and by Conn writes.
var (
	ErrAddrInUse      = errors.New("netsim: address already in use")
	ErrInvalidAddr    = errors.New("netsim: invalid address")
	ErrMessageTooLong = errors.New("netsim: datagram longer than MaxDatagram")
	ErrPortsExhausted = errors.New("netsim: no free port")
)

// DefaultQueueLen is the receive queue length of a Conn unless
// SetQueueLen says otherwise.
const DefaultQueueLen = 1024

// firstEphemeral is where port-0 binds start looking for a free port.
const firstEphemeral = 49152

// Network is an in-memory IP network of hosts, conns and NATs. All its
// methods, and those of its Hosts, Conns, NATs and Timers, are safe for
// concurrent use; Step, RunFor and RunUntil must not be called from inside
// a callback.
type Network struct {
	// runMu serialises event processing (Step, RunFor, RunUntil, and the
	// realtime timer), so callbacks never run concurrently with each other.
	runMu   sync.Mutex
	pending []byte // buffer to recycle after the last callback; guarded by runMu

	mu       sync.Mutex
	realtime bool
	start    time.Time
	now      int64 // event mode: virtual ns since start
	closed   bool
	rng      *rand.Rand
	deflink  Link
	links    map[linkKey]*Link
	hosts    map[netip.AddrPort]*Host // hosts on the public network
	nats     map[netip.Addr]*NAT      // by public address
	q        queue
	bufs     bufPool
	stats    Stats
	trace    func(TraceEvent)
	queueLen int

	// realtime mode: one timer armed for the earliest event.
	timer   *time.Timer
	armedAt int64 // when timer is set to fire; -1 if not armed
}

// New returns an event-mode network: virtual time starts at start and moves
// only when Step, RunFor or RunUntil process events. The seed fixes every
// random draw, so the same scenario gives the same trace.
func New(seed uint64, start time.Time) *Network {
	return newNetwork(seed, start, false)
}

// NewRealtime returns a network whose time is the time package's: packets
// arrive when a time.Timer fires. Inside a testing/synctest bubble that
// time is the bubble's fake clock, so a 5 s link delay takes no wall time.
// Create and use it inside one bubble (or none): its timer and its conns'
// channels belong to the bubble that first touches them.
func NewRealtime(seed uint64) *Network {
	return newNetwork(seed, time.Now(), true)
}

func newNetwork(seed uint64, start time.Time, realtime bool) *Network {
	return &Network{
		realtime: realtime,
		start:    start,
		rng:      rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		hosts:    make(map[netip.AddrPort]*Host),
		nats:     make(map[netip.Addr]*NAT),
		queueLen: DefaultQueueLen,
		armedAt:  -1,
	}
}

// Now returns the network's current time: virtual in event mode, time.Now
// in realtime mode.
func (n *Network) Now() time.Time {
	if n.realtime {
		return time.Now()
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.timeAt(n.now)
}

// SetQueueLen sets the receive queue length of conns created afterwards.
// A full queue drops arriving packets (Stats.QueueDrop, Conn.Dropped).
func (n *Network) SetQueueLen(l int) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.queueLen = max(l, 1)
}

// Close closes every conn, stops every timer and drops every packet in
// flight. Later sends are ignored and Listen and AddHost fail.
func (n *Network) Close() error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.closed {
		return nil
	}
	n.closed = true
	if n.timer != nil {
		n.timer.Stop()
		n.armedAt = -1
	}
	n.q.reset()
	for _, h := range n.hosts {
		h.closeLocked()
	}
	for _, nat := range n.nats {
		for _, h := range nat.hosts {
			h.closeLocked()
		}
	}
	return nil
}

// nowLocked returns the current time in ns since start. n.mu is held.
func (n *Network) nowLocked() int64 {
	if n.realtime {
		return int64(time.Since(n.start))
	}
	return n.now
}

// timeAt converts ns since start to a time.
func (n *Network) timeAt(ns int64) time.Time { return n.start.Add(time.Duration(ns)) }

// schedule queues ev at time at and, in realtime mode, makes sure the timer
// fires by then. n.mu is held.
func (n *Network) schedule(at int64, ev event) {
	if n.closed {
		return
	}
	n.q.push(at, ev)
	if n.realtime && (n.armedAt < 0 || at < n.armedAt) {
		n.arm(at)
	}
}

// arm sets the realtime timer for time at. n.mu is held.
func (n *Network) arm(at int64) {
	d := time.Duration(at - n.nowLocked())
	if n.timer == nil {
		n.timer = time.AfterFunc(d, n.fire)
	} else {
		n.timer.Reset(d)
	}
	n.armedAt = at
}
