package netsim

import (
	"testing"
	"time"
)

// TestMassSimulation drives 10,000 hosts through a million deliveries
// (100,000 under the race detector) on a lossy, jittery, reordering
// network, and checks the counters balance.
func TestMassSimulation(t *testing.T) {
	target := 1_000_000
	if raceEnabled {
		target = 100_000
	}
	r := newRelay(t, 3, 10_000, Link{
		Delay: 20 * time.Millisecond, Jitter: 80 * time.Millisecond,
		Reorder: 0.01, Duplicate: 0.01, Loss: 0.01,
	})
	r.seed(2, 120)
	wall := time.Now()
	ok := r.n.RunUntil(func() bool { return r.got >= target }, time.Hour)
	elapsed := time.Since(wall)
	s := r.n.Stats()
	if !ok {
		t.Fatalf("only %d deliveries in an hour of virtual time: %+v", r.got, s)
	}
	if uint64(r.got) != s.Delivered {
		t.Errorf("callbacks saw %d packets, Delivered = %d", r.got, s.Delivered)
	}
	checkBalance(t, s)
	t.Logf("%d deliveries in %v wall, %v virtual (%.0f pkts/s): %+v",
		r.got, elapsed, r.n.Now().Sub(epoch), float64(r.got)/elapsed.Seconds(), s)
}
