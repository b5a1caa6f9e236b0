package netsim

import (
	"math"
	"testing"
	"time"
)

func TestLossRate(t *testing.T) {
	for _, loss := range []float64{0, 0.05, 0.3, 1} {
		n := New(7, epoch)
		n.SetDefaultLink(Link{Loss: loss})
		a := addSink(t, n, "10.0.0.1:1")
		b := addSink(t, n, "10.0.0.2:2")
		total := 100_000
		if raceEnabled {
			total = 25_000
		}
		pkt := seqPkt(0, 20)
		for range total {
			a.host.Send(b.host.Addr(), pkt)
		}
		n.RunFor(time.Second)
		s := n.Stats()
		rate := float64(s.Lost) / float64(total)
		// 5 standard deviations of a binomial proportion.
		tol := 5*math.Sqrt(loss*(1-loss)/float64(total)) + 1e-9
		if math.Abs(rate-loss) > tol {
			t.Errorf("loss %v: observed %v (tolerance %v)", loss, rate, tol)
		}
		if uint64(len(b.got)) != s.Delivered || s.Delivered+s.Lost != uint64(total) {
			t.Errorf("loss %v: got %d delivered %d lost %d", loss, len(b.got), s.Delivered, s.Lost)
		}
		checkBalance(t, s)
	}
}

func TestDelayJitterBounds(t *testing.T) {
	const delay, jitter = 50 * time.Millisecond, 20 * time.Millisecond
	n := New(1, epoch)
	n.SetDefaultLink(Link{Delay: delay, Jitter: jitter})
	a := addSink(t, n, "10.0.0.1:1")
	b := addSink(t, n, "10.0.0.2:2")
	const total = 10_000
	for i := range total {
		a.host.Send(b.host.Addr(), seqPkt(uint32(i), 8))
	}
	sent := n.Now()
	n.RunFor(time.Second)
	if len(b.got) != total {
		t.Fatalf("delivered %d of %d", len(b.got), total)
	}
	lo, hi := time.Duration(math.MaxInt64), time.Duration(0)
	for _, r := range b.got {
		d := r.now.Sub(sent)
		lo, hi = min(lo, d), max(hi, d)
	}
	if lo < delay || hi > delay+jitter {
		t.Errorf("delays in [%v, %v], want within [%v, %v]", lo, hi, delay, delay+jitter)
	}
	// With 10,000 uniform draws the extremes come within 0.1% of the bounds.
	if lo > delay+jitter/100 || hi < delay+jitter*99/100 {
		t.Errorf("delays in [%v, %v] do not span the jitter range", lo, hi)
	}
}

// inversions counts pairs received in the opposite order to their sequence.
func inversions(got []received) int {
	inv, maxSeen := 0, int64(-1)
	for _, r := range got {
		if int64(r.seq) < maxSeen {
			inv++
		}
		maxSeen = max(maxSeen, int64(r.seq))
	}
	return inv
}

func TestReorder(t *testing.T) {
	run := func(l Link) (*sink, Stats) {
		n := New(3, epoch)
		n.SetDefaultLink(l)
		a := addSink(t, n, "10.0.0.1:1")
		b := addSink(t, n, "10.0.0.2:2")
		seq := uint32(0)
		tm := n.Every(time.Millisecond, func(time.Time) {
			a.host.Send(b.host.Addr(), seqPkt(seq, 8))
			seq++
		})
		n.RunFor(time.Second)
		tm.Stop()
		n.RunFor(time.Second)
		return b, n.Stats()
	}
	b, s := run(Link{Delay: 10 * time.Millisecond, Reorder: 0.1})
	if len(b.got) != 1000 {
		t.Fatalf("delivered %d, want 1000", len(b.got))
	}
	if s.Reordered < 50 || s.Reordered > 150 {
		t.Errorf("Reordered = %d, want about 100", s.Reordered)
	}
	if inv := inversions(b.got); inv < 50 {
		t.Errorf("only %d inversions with Reorder 0.1", inv)
	}
	// Without reordering or jitter the order is kept exactly.
	b, _ = run(Link{Delay: 10 * time.Millisecond})
	if inv := inversions(b.got); inv != 0 {
		t.Errorf("%d inversions without reordering", inv)
	}
}

func TestFIFOAtEqualTimes(t *testing.T) {
	n := New(1, epoch)
	n.SetDefaultLink(Link{Delay: 5 * time.Millisecond})
	a := addSink(t, n, "10.0.0.1:1")
	b := addSink(t, n, "10.0.0.2:2")
	for i := range 1000 {
		a.host.Send(b.host.Addr(), seqPkt(uint32(i), 8))
	}
	n.RunFor(time.Second)
	for i, r := range b.got {
		if r.seq != uint32(i) {
			t.Fatalf("packet %d arrived as %d", r.seq, i)
		}
	}
}

func TestDuplicate(t *testing.T) {
	n := New(5, epoch)
	n.SetDefaultLink(Link{Duplicate: 0.2, Jitter: time.Millisecond})
	a := addSink(t, n, "10.0.0.1:1")
	b := addSink(t, n, "10.0.0.2:2")
	const total = 10_000
	for i := range total {
		a.host.Send(b.host.Addr(), seqPkt(uint32(i), 8))
	}
	n.RunFor(time.Second)
	s := n.Stats()
	if s.Duplicated < 1800 || s.Duplicated > 2200 {
		t.Errorf("Duplicated = %d, want about 2000", s.Duplicated)
	}
	if uint64(len(b.got)) != total+s.Duplicated {
		t.Errorf("received %d, want %d", len(b.got), total+s.Duplicated)
	}
	count := make([]int, total)
	for _, r := range b.got {
		count[r.seq]++
	}
	twice := 0
	for seq, c := range count {
		switch c {
		case 1:
		case 2:
			twice++
		default:
			t.Fatalf("packet %d received %d times", seq, c)
		}
	}
	if uint64(twice) != s.Duplicated {
		t.Errorf("%d packets received twice, Duplicated = %d", twice, s.Duplicated)
	}
	checkBalance(t, s)
}

func TestMTU(t *testing.T) {
	n := New(1, epoch)
	n.SetDefaultLink(Link{MTU: 1200})
	a := addSink(t, n, "10.0.0.1:1")
	b := addSink(t, n, "10.0.0.2:2")
	var fates []Fate
	n.Trace(func(e TraceEvent) { fates = append(fates, e.Fate) })
	a.host.Send(b.host.Addr(), seqPkt(1, 1200))
	a.host.Send(b.host.Addr(), seqPkt(2, 1201))
	n.RunFor(time.Millisecond)
	if len(b.got) != 1 || b.got[0].seq != 1 || b.got[0].n != 1200 {
		t.Errorf("got %+v, want only the 1200-byte packet", b.got)
	}
	if s := n.Stats(); s.MTUDropped != 1 {
		t.Errorf("MTUDropped = %d", s.MTUDropped)
	}
	if len(fates) != 2 || fates[0] != MTUDropped || fates[1] != Delivered {
		t.Errorf("trace fates %v, want [mtu-dropped delivered]", fates)
	}
}

func TestPerPairLinks(t *testing.T) {
	n := New(1, epoch)
	n.SetDefaultLink(Link{Delay: 10 * time.Millisecond})
	a := addSink(t, n, "10.0.0.1:1")
	b := addSink(t, n, "10.0.0.2:2")
	c := addSink(t, n, "10.0.0.3:3")
	n.SetLink(ip("10.0.0.1"), ip("10.0.0.2"), Link{Delay: 100 * time.Millisecond})
	n.SetLinkOneWay(ip("10.0.0.1"), ip("10.0.0.3"), Link{Loss: 1})

	start := n.Now()
	a.host.Send(b.host.Addr(), seqPkt(1, 4))
	b.host.Send(a.host.Addr(), seqPkt(2, 4))
	a.host.Send(c.host.Addr(), seqPkt(3, 4)) // lost one way
	c.host.Send(a.host.Addr(), seqPkt(4, 4)) // default the other way
	n.RunFor(time.Second)
	if len(b.got) != 1 || b.got[0].now.Sub(start) != 100*time.Millisecond {
		t.Errorf("a->b: %+v, want one packet after 100ms", b.got)
	}
	if len(a.got) != 2 || a.got[0].seq != 4 || a.got[0].now.Sub(start) != 10*time.Millisecond ||
		a.got[1].now.Sub(start) != 100*time.Millisecond {
		t.Errorf("to a: %+v, want c's after 10ms then b's after 100ms", a.got)
	}
	if len(c.got) != 0 {
		t.Errorf("a->c should be lost, got %+v", c.got)
	}

	n.ResetLink(ip("10.0.0.3"), ip("10.0.0.1"))
	a.host.Send(c.host.Addr(), seqPkt(5, 4))
	n.RunFor(time.Second)
	if len(c.got) != 1 {
		t.Errorf("after ResetLink a->c: %+v", c.got)
	}
}

func TestInvalidLinkPanics(t *testing.T) {
	for _, l := range []Link{{Loss: -0.1}, {Duplicate: 1.5}, {Reorder: math.NaN()}, {Delay: -1}, {MTU: -1}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("SetDefaultLink(%+v) did not panic", l)
				}
			}()
			New(1, epoch).SetDefaultLink(l)
		}()
	}
}

func TestNoRouteAndHostClose(t *testing.T) {
	n := New(1, epoch)
	a := addSink(t, n, "10.0.0.1:1")
	b := addSink(t, n, "10.0.0.2:2")
	a.host.Send(ap("10.9.9.9:9"), seqPkt(1, 4))
	a.host.Send(b.host.Addr(), seqPkt(2, 4))
	b.host.Close()
	n.RunFor(time.Millisecond)
	if s := n.Stats(); s.NoRoute != 2 || s.Delivered != 0 {
		t.Errorf("stats %+v, want 2 NoRoute", s)
	}
	// The address can be bound again.
	b2 := addSink(t, n, "10.0.0.2:2")
	a.host.Send(b2.host.Addr(), seqPkt(3, 4))
	b.host.Send(a.host.Addr(), seqPkt(4, 4)) // closed host: ignored
	n.RunFor(time.Millisecond)
	if len(b2.got) != 1 || len(a.got) != 0 || n.Stats().Sent != 3 {
		t.Errorf("b2 got %d, a got %d, stats %+v", len(b2.got), len(a.got), n.Stats())
	}
	if _, err := n.AddHost(ap("10.0.0.1:1"), a.recv); err == nil {
		t.Error("binding a bound address succeeded")
	}
}

func TestIPv4MappedAddressesAreUnmapped(t *testing.T) {
	n := New(1, epoch)
	a := addSink(t, n, "10.0.0.1:1")
	b := addSink(t, n, "10.0.0.2:2")
	a.host.Send(ap("[::ffff:10.0.0.2]:2"), seqPkt(1, 4))
	n.RunFor(time.Millisecond)
	if len(b.got) != 1 || b.got[0].src != a.host.Addr() {
		t.Errorf("got %+v", b.got)
	}
}
