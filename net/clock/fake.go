package clock

import (
	"sort"
	"sync"
	"time"
)

// Fake is a Clock that moves only when Advance or Set is called. It is safe
// for concurrent use.
type Fake struct {
	mu     sync.Mutex
	now    time.Time
	timers []*fakeTimer
}

// NewFake returns a Fake clock starting at start.
func NewFake(start time.Time) *Fake { return &Fake{now: start} }

// Now returns the fake time.
func (f *Fake) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

// Advance moves the clock forward by d, firing due timers in order. A
// negative d is ignored: the clock never goes backwards.
func (f *Fake) Advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.setLocked(f.now.Add(d))
}

// Set moves the clock to t (never backwards), firing due timers in order.
func (f *Fake) Set(t time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.setLocked(t)
}

// setLocked moves the clock and fires the timers that are due, earliest
// first (creation order among equal times), each with its own fire time as
// time.Timer does. Sends never block (the channels hold one value), so
// they happen under the lock: a Stop or Reset racing with Advance then
// sees either a pending timer or a delivered value, never a send in flight.
func (f *Fake) setLocked(t time.Time) {
	if t.Before(f.now) {
		return
	}
	f.now = t
	var due []*fakeTimer
	keep := f.timers[:0]
	for _, ft := range f.timers {
		if !ft.when.After(t) {
			due = append(due, ft)
		} else {
			keep = append(keep, ft)
		}
	}
	clear(f.timers[len(keep):])
	f.timers = keep
	sort.SliceStable(due, func(i, j int) bool { return due[i].when.Before(due[j].when) })
	for _, ft := range due {
		ft.fire()
	}
}

// NextTimer returns when the earliest pending timer fires.
func (f *Fake) NextTimer() (time.Time, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var best time.Time
	for i, ft := range f.timers {
		if i == 0 || ft.when.Before(best) {
			best = ft.when
		}
	}
	return best, len(f.timers) > 0
}

// TimerAt reports whether a pending timer fires exactly at t. Tests use it
// to wait until a goroutine has armed the timer they are about to reach
// with Advance (an Advance before that would jump past it).
func (f *Fake) TimerAt(t time.Time) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, ft := range f.timers {
		if ft.when.Equal(t) {
			return true
		}
	}
	return false
}

// NewTimer returns a timer that fires when the fake time reaches now+d.
func (f *Fake) NewTimer(d time.Duration) Timer {
	ft := &fakeTimer{f: f, c: make(chan time.Time, 1)}
	ft.Reset(d)
	return ft
}

type fakeTimer struct {
	f    *Fake
	c    chan time.Time
	when time.Time
}

func (t *fakeTimer) C() <-chan time.Time { return t.c }

// fire delivers the fire time unless a value is already waiting.
func (t *fakeTimer) fire() {
	select {
	case t.c <- t.when:
	default:
	}
}

// Stop prevents the timer from firing. As time.Timer since Go 1.23, a
// value fired but not yet received is discarded, so no stale time can be
// received after Stop, and Stop then reports true.
func (t *fakeTimer) Stop() bool {
	t.f.mu.Lock()
	defer t.f.mu.Unlock()
	return t.stopLocked()
}

func (t *fakeTimer) stopLocked() bool {
	active := false
	for i, ft := range t.f.timers {
		if ft == t {
			t.f.timers = append(t.f.timers[:i], t.f.timers[i+1:]...)
			active = true
			break
		}
	}
	select {
	case <-t.c:
		active = true
	default:
	}
	return active
}

// Reset stops the timer (discarding any unreceived value, as Stop) and
// arms it to fire when the fake time reaches now+d; d <= 0 fires at once.
func (t *fakeTimer) Reset(d time.Duration) {
	t.f.mu.Lock()
	defer t.f.mu.Unlock()
	t.stopLocked()
	t.when = t.f.now.Add(d)
	if d <= 0 {
		t.fire()
		return
	}
	t.f.timers = append(t.f.timers, t)
}
