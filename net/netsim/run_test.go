package netsim

import (
	"net/netip"
	"testing"
	"time"
)

func TestTimers(t *testing.T) {
	n := New(1, epoch)
	var log []time.Duration
	at := func(now time.Time) { log = append(log, now.Sub(epoch)) }
	n.After(3*time.Second, at)
	stopped := n.After(2*time.Second, at)
	tick := n.Every(time.Second, at)
	if !stopped.Stop() || stopped.Stop() {
		t.Error("Stop should report true once, then false")
	}
	n.RunFor(3500 * time.Millisecond)
	want := []time.Duration{time.Second, 2 * time.Second, 3 * time.Second, 3 * time.Second}
	if len(log) != len(want) {
		t.Fatalf("fired at %v, want %v", log, want)
	}
	for i := range want {
		if log[i] != want[i] {
			t.Fatalf("fired at %v, want %v", log, want)
		}
	}
	if got := n.Now().Sub(epoch); got != 3500*time.Millisecond {
		t.Errorf("Now after RunFor = +%v", got)
	}
	if !tick.Stop() {
		t.Error("Every timer was not active")
	}
	n.RunFor(10 * time.Second)
	if len(log) != 4 {
		t.Errorf("stopped ticker fired: %v", log)
	}
	if n.Step() {
		t.Error("Step on an empty queue reported an event")
	}
}

func TestTimerSameTimeFIFO(t *testing.T) {
	n := New(1, epoch)
	var order []int
	for i := range 100 {
		n.After(time.Second, func(time.Time) { order = append(order, i) })
	}
	for n.Step() {
	}
	for i, v := range order {
		if v != i {
			t.Fatalf("order %v", order)
		}
	}
	if n.Now() != epoch.Add(time.Second) {
		t.Errorf("Step left the clock at %v", n.Now())
	}
}

func TestRunUntil(t *testing.T) {
	n := New(1, epoch)
	a := addSink(t, n, "10.0.0.1:1")
	b := addSink(t, n, "10.0.0.2:2")
	n.SetDefaultLink(Link{Delay: 40 * time.Millisecond})
	n.Every(100*time.Millisecond, func(time.Time) { a.host.Send(b.host.Addr(), seqPkt(0, 4)) })
	if !n.RunUntil(func() bool { return len(b.got) == 3 }, time.Minute) {
		t.Fatal("RunUntil gave up")
	}
	if got := n.Now().Sub(epoch); got != 340*time.Millisecond {
		t.Errorf("third packet at +%v, want +340ms", got)
	}
	if n.RunUntil(func() bool { return false }, time.Second) {
		t.Error("RunUntil reported a false condition as met")
	}
	if got := n.Now().Sub(epoch); got != 1340*time.Millisecond {
		t.Errorf("clock after a failed RunUntil at +%v, want +1.34s", got)
	}
}

func TestEventModeMethodsPanicOnRealtime(t *testing.T) {
	n := NewRealtime(1)
	defer n.Close()
	for name, f := range map[string]func(){
		"Step":     func() { n.Step() },
		"RunFor":   func() { n.RunFor(time.Second) },
		"RunUntil": func() { n.RunUntil(func() bool { return true }, time.Second) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s did not panic", name)
				}
			}()
			f()
		}()
	}
}

func TestCloseEventMode(t *testing.T) {
	n := New(1, epoch)
	a := addSink(t, n, "10.0.0.1:1")
	b := addSink(t, n, "10.0.0.2:2")
	fired := false
	n.After(time.Second, func(time.Time) { fired = true })
	a.host.Send(b.host.Addr(), seqPkt(1, 4))
	if err := n.Close(); err != nil {
		t.Fatal(err)
	}
	a.host.Send(b.host.Addr(), seqPkt(2, 4))
	n.RunFor(time.Minute)
	if fired || len(b.got) != 0 {
		t.Errorf("events ran after Close: fired %v, got %d", fired, len(b.got))
	}
	if _, err := n.AddHost(ap("10.0.0.3:3"), b.recv); err == nil {
		t.Error("AddHost on a closed network succeeded")
	}
}

// TestSteadyStateAllocs checks the event loop allocates nothing once its
// heap and buffer pool have grown.
func TestSteadyStateAllocs(t *testing.T) {
	n := New(1, epoch)
	n.SetDefaultLink(Link{Delay: time.Millisecond, Jitter: time.Millisecond, Loss: 0.01})
	a := addSink(t, n, "10.0.0.1:1")
	var hits int
	b, err := n.AddHost(ap("10.0.0.2:2"), func(time.Time, netip.AddrPort, []byte) { hits++ })
	if err != nil {
		t.Fatal(err)
	}
	pkt := make([]byte, 100)
	cycle := func() {
		for range 10 {
			a.host.Send(b.Addr(), pkt)
		}
		n.RunFor(10 * time.Millisecond)
	}
	cycle()
	if allocs := testing.AllocsPerRun(100, cycle); allocs != 0 {
		t.Errorf("%v allocations per 10 packets", allocs)
	}
	if hits == 0 {
		t.Error("nothing delivered")
	}
}
