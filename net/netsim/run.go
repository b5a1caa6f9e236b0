package netsim

import (
	"math"
	"time"
)

// Step processes the next event, advancing virtual time to it, and reports
// whether there was one. Event mode only; it panics on a realtime network.
func (n *Network) Step() bool {
	n.mustEventMode("Step")
	n.runMu.Lock()
	defer n.runMu.Unlock()
	return n.step(math.MaxInt64)
}

// RunFor processes every event due within d of now, in time order, then
// sets the clock to now+d. Event mode only.
func (n *Network) RunFor(d time.Duration) {
	n.mustEventMode("RunFor")
	n.runMu.Lock()
	defer n.runMu.Unlock()
	limit := n.deadline(d)
	for n.step(limit) {
	}
	n.advance(limit)
}

// RunUntil processes events until cond reports true or d of virtual time
// has passed, and returns cond's last answer. cond is checked before the
// first event and after each one. Event mode only.
func (n *Network) RunUntil(cond func() bool, d time.Duration) bool {
	n.mustEventMode("RunUntil")
	n.runMu.Lock()
	defer n.runMu.Unlock()
	limit := n.deadline(d)
	for !cond() {
		if !n.step(limit) {
			n.advance(limit)
			return cond()
		}
	}
	return true
}

func (n *Network) mustEventMode(op string) {
	if n.realtime {
		panic("netsim: " + op + " on a realtime Network; its time is the time package's")
	}
}

// deadline returns now+d in ns since start, saturating.
func (n *Network) deadline(d time.Duration) int64 {
	n.mu.Lock()
	defer n.mu.Unlock()
	if d < 0 {
		d = 0
	}
	if n.now > math.MaxInt64-int64(d) {
		return math.MaxInt64
	}
	return n.now + int64(d)
}

// advance moves virtual time forward to t.
func (n *Network) advance(t int64) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if t > n.now && !n.closed {
		n.now = t
	}
}

// fire is the realtime timer's callback: it processes every due event,
// then re-arms the timer for the next one.
func (n *Network) fire() {
	n.runMu.Lock()
	defer n.runMu.Unlock()
	for n.step(-1) {
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if at, ok := n.q.peek(); ok && !n.closed {
		n.arm(at)
	} else {
		n.armedAt = -1
	}
}

// step processes the earliest event if it is due at or before limit (-1:
// the current real time) and reports whether it did. Callbacks run
// without n.mu. n.runMu is held.
func (n *Network) step(limit int64) bool {
	n.mu.Lock()
	if n.pending != nil {
		n.bufs.put(n.pending)
		n.pending = nil
	}
	if limit < 0 {
		limit = n.nowLocked()
	}
	at, ok := n.q.peek()
	if !ok || at > limit {
		n.mu.Unlock()
		return false
	}
	_, ev := n.q.pop()
	if !n.realtime && at > n.now {
		n.now = at
	}
	now := n.timeAt(at)
	if n.realtime {
		now = time.Now()
	}
	switch ev.kind {
	case evPacket:
		to := n.arrive(at, &ev)
		n.mu.Unlock()
		if to != nil {
			to.recv(now, ev.src, ev.pkt)
			n.pending = ev.pkt
		}
	case evTimer:
		fn := ev.tm.due(at)
		n.mu.Unlock()
		if fn != nil {
			fn(now)
		}
	}
	return true
}
