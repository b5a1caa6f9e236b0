package clock_test

import (
	"testing"
	"time"

	"parley/net/clock"
)

func TestRealNow(t *testing.T) {
	before := time.Now()
	got := clock.Real{}.Now()
	after := time.Now()
	if got.Before(before) || got.After(after) {
		t.Fatalf("Real.Now() = %v, not between %v and %v", got, before, after)
	}
}

func TestRealTimer(t *testing.T) {
	var c clock.Clock = clock.Real{}
	tm := c.NewTimer(time.Millisecond)
	select {
	case <-tm.C():
	case <-time.After(10 * time.Second):
		t.Fatalf("a 1 ms real timer did not fire within 10 s")
	}
	if tm.Stop() {
		t.Errorf("Stop after the timer fired and was received = true")
	}

	long := c.NewTimer(time.Hour)
	if !long.Stop() {
		t.Errorf("Stop on a pending hour timer = false")
	}
	long.Reset(time.Millisecond)
	select {
	case <-long.C():
	case <-time.After(10 * time.Second):
		t.Fatalf("a real timer reset to 1 ms did not fire within 10 s")
	}
}
