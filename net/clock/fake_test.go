package clock_test

import (
	"sync"
	"testing"
	"time"

	"parley/net/clock"
)

var (
	_ clock.Clock = (*clock.Fake)(nil)
	_ clock.Clock = clock.Real{}
)

var start = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// fired returns the value waiting on c, if any, without blocking.
func fired(c <-chan time.Time) (time.Time, bool) {
	select {
	case v := <-c:
		return v, true
	default:
		return time.Time{}, false
	}
}

func mustFire(t *testing.T, name string, tm clock.Timer, want time.Time) {
	t.Helper()
	got, ok := fired(tm.C())
	if !ok {
		t.Fatalf("timer %s did not fire", name)
	}
	if !got.Equal(want) {
		t.Fatalf("timer %s fired with %v, want %v", name, got, want)
	}
}

func mustNotFire(t *testing.T, name string, tm clock.Timer) {
	t.Helper()
	if v, ok := fired(tm.C()); ok {
		t.Fatalf("timer %s fired with %v, want nothing", name, v)
	}
}

func TestFakeNowAdvanceSet(t *testing.T) {
	f := clock.NewFake(start)
	if got := f.Now(); !got.Equal(start) {
		t.Fatalf("Now() = %v, want %v", got, start)
	}
	f.Advance(1500 * time.Millisecond)
	if got, want := f.Now(), start.Add(1500*time.Millisecond); !got.Equal(want) {
		t.Fatalf("after Advance Now() = %v, want %v", got, want)
	}
	f.Advance(-time.Hour)
	f.Set(start)
	if got, want := f.Now(), start.Add(1500*time.Millisecond); !got.Equal(want) {
		t.Fatalf("after going backwards Now() = %v, want it unchanged at %v", got, want)
	}
	later := start.Add(time.Hour)
	f.Set(later)
	if got := f.Now(); !got.Equal(later) {
		t.Fatalf("after Set Now() = %v, want %v", got, later)
	}
}

func TestFakeTimersFireInOrder(t *testing.T) {
	f := clock.NewFake(start)
	t3 := f.NewTimer(3 * time.Second)
	t1 := f.NewTimer(1 * time.Second)
	t2 := f.NewTimer(2 * time.Second)

	f.Advance(999 * time.Millisecond)
	for name, tm := range map[string]clock.Timer{"1s": t1, "2s": t2, "3s": t3} {
		mustNotFire(t, name, tm)
	}
	f.Advance(time.Millisecond) // exactly due
	mustFire(t, "1s", t1, start.Add(time.Second))
	mustNotFire(t, "2s", t2)

	f.Advance(1500 * time.Millisecond)
	mustFire(t, "2s", t2, start.Add(2*time.Second))
	mustNotFire(t, "3s", t3)

	// Well past the due time: the value is the fire time, not the new now.
	f.Advance(time.Minute)
	mustFire(t, "3s", t3, start.Add(3*time.Second))
	if _, ok := f.NextTimer(); ok {
		t.Fatalf("NextTimer reports a timer after all fired")
	}
	f.Advance(time.Hour)
	mustNotFire(t, "1s (one-shot)", t1)
}

func TestFakeOneAdvanceFiresAll(t *testing.T) {
	f := clock.NewFake(start)
	var timers []clock.Timer
	for i := 5; i >= 1; i-- {
		timers = append(timers, f.NewTimer(time.Duration(i)*time.Second))
	}
	f.Advance(10 * time.Second)
	for i, tm := range timers {
		mustFire(t, "", tm, start.Add(time.Duration(5-i)*time.Second))
	}
}

func TestFakeStop(t *testing.T) {
	f := clock.NewFake(start)
	tm := f.NewTimer(time.Second)
	if !tm.Stop() {
		t.Fatalf("Stop on a pending timer = false, want true")
	}
	if tm.Stop() {
		t.Fatalf("second Stop = true, want false")
	}
	f.Advance(time.Hour)
	mustNotFire(t, "stopped", tm)

	// Fired and received: Stop reports false.
	tm2 := f.NewTimer(time.Second)
	f.Advance(time.Second)
	mustFire(t, "tm2", tm2, f.Now())
	if tm2.Stop() {
		t.Fatalf("Stop after the value was received = true, want false")
	}

	// Fired but not received: as time.Timer since Go 1.23, Stop discards
	// the value and reports true.
	tm3 := f.NewTimer(time.Second)
	f.Advance(time.Second)
	if !tm3.Stop() {
		t.Fatalf("Stop with an unreceived value = false, want true")
	}
	mustNotFire(t, "tm3 after Stop", tm3)
}

func TestFakeReset(t *testing.T) {
	f := clock.NewFake(start)
	tm := f.NewTimer(time.Second)

	// Reset of a pending timer moves it, relative to the current time.
	f.Advance(500 * time.Millisecond)
	tm.Reset(2 * time.Second)
	f.Advance(1900 * time.Millisecond)
	mustNotFire(t, "moved", tm)
	f.Advance(100 * time.Millisecond)
	mustFire(t, "moved", tm, start.Add(2500*time.Millisecond))

	// Reset of a fired timer arms it again.
	tm.Reset(time.Second)
	f.Advance(time.Second)
	mustFire(t, "re-armed", tm, start.Add(3500*time.Millisecond))

	// Reset discards a fired, unreceived value: only the new time arrives.
	tm.Reset(time.Second)
	f.Advance(time.Second) // fires at 4.5 s; nobody receives
	tm.Reset(time.Second)
	f.Advance(time.Second)
	f.Advance(time.Second) // not fired again: the timer is one-shot
	mustFire(t, "after discarding", tm, start.Add(5500*time.Millisecond))
	mustNotFire(t, "after discarding", tm)

	// Reset(0) and negative durations fire at once.
	tm.Reset(0)
	mustFire(t, "Reset(0)", tm, f.Now())
	tm.Reset(-time.Second)
	mustFire(t, "Reset(-1s)", tm, f.Now().Add(-time.Second))
	if _, ok := f.NextTimer(); ok {
		t.Fatalf("a timer reset to fire at once is still pending")
	}
	z := f.NewTimer(0)
	mustFire(t, "NewTimer(0)", z, f.Now())
}

func TestFakeNextTimer(t *testing.T) {
	f := clock.NewFake(start)
	if _, ok := f.NextTimer(); ok {
		t.Fatalf("NextTimer on a new clock reports a timer")
	}
	a := f.NewTimer(5 * time.Second)
	b := f.NewTimer(2 * time.Second)
	c := f.NewTimer(9 * time.Second)
	check := func(want time.Duration) {
		t.Helper()
		got, ok := f.NextTimer()
		if !ok || !got.Equal(start.Add(want)) {
			t.Fatalf("NextTimer() = %v, %v; want %v", got, ok, start.Add(want))
		}
	}
	check(2 * time.Second)
	b.Stop()
	check(5 * time.Second)
	a.Reset(12 * time.Second)
	check(9 * time.Second)
	f.Advance(9 * time.Second)
	mustFire(t, "c", c, start.Add(9*time.Second))
	check(12 * time.Second)
}

// TestFakeConcurrent drives timers from other goroutines while the test
// advances the clock, for the race detector: an owner goroutine waits on
// its timer and re-arms it, the way protocol loops use a Clock.
func TestFakeConcurrent(t *testing.T) {
	f := clock.NewFake(start)
	const ticks = 50
	tm := f.NewTimer(time.Second)
	got := make(chan time.Time)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < ticks; i++ {
			v := <-tm.C()
			tm.Reset(time.Second)
			got <- v
		}
	}()
	for i := 1; i <= ticks; i++ {
		f.Advance(time.Second)
		v := <-got
		if want := start.Add(time.Duration(i) * time.Second); !v.Equal(want) {
			t.Fatalf("tick %d at %v, want %v", i, v, want)
		}
	}
	<-done

	// Concurrent Advance calls add up: none is lost.
	var wg sync.WaitGroup
	before := f.Now()
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 100; j++ {
				f.Advance(time.Millisecond)
				f.NextTimer()
			}
		}()
	}
	wg.Wait()
	if got, want := f.Now().Sub(before), 800*time.Millisecond; got != want {
		t.Fatalf("8x100 concurrent Advance(1ms) moved the clock %v, want %v", got, want)
	}
}
