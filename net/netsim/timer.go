package netsim

import "time"

// Timer is a callback scheduled on the network's clock by After or Every.
// Timer callbacks run like receive callbacks: never concurrently with each
// other or with packet deliveries.
type Timer struct {
	n      *Network
	fn     func(now time.Time)
	period int64 // 0 for a one-shot timer
	active bool  // guarded by n.mu
}

// After calls fn once, d from now (virtual time in event mode).
func (n *Network) After(d time.Duration, fn func(now time.Time)) *Timer {
	return n.addTimer(max(d, 0), 0, fn)
}

// Every calls fn every d, first d from now, until stopped. It panics if d
// is not positive.
func (n *Network) Every(d time.Duration, fn func(now time.Time)) *Timer {
	if d <= 0 {
		panic("netsim: non-positive interval for Every")
	}
	return n.addTimer(d, int64(d), fn)
}

func (n *Network) addTimer(d time.Duration, period int64, fn func(time.Time)) *Timer {
	t := &Timer{n: n, fn: fn, period: period}
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.closed {
		return t
	}
	t.active = true
	n.schedule(n.nowLocked()+int64(d), event{kind: evTimer, tm: t})
	return t
}

// Stop prevents further calls and reports whether the timer was active.
// A callback already running is not interrupted.
func (t *Timer) Stop() bool {
	t.n.mu.Lock()
	defer t.n.mu.Unlock()
	was := t.active
	t.active = false
	return was
}

// due is called when the timer's event comes up at time at; it reschedules
// a periodic timer and returns the callback to run, or nil if stopped.
// n.mu is held.
func (t *Timer) due(at int64) func(time.Time) {
	if !t.active {
		return nil
	}
	if t.period > 0 {
		t.n.schedule(at+t.period, event{kind: evTimer, tm: t})
	} else {
		t.active = false
	}
	return t.fn
}
