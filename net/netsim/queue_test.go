package netsim

import (
	"math/rand/v2"
	"testing"
)

// TestQueueOrder pushes and pops at random and checks events leave in
// (time, insertion) order with the arena slots reused.
func TestQueueOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var q queue
	type key struct {
		at  int64
		seq int
	}
	var pushed, peak int
	var last key
	popped := 0
	check := func() {
		at, ev := q.pop()
		k := key{at, int(ev.sent)}
		if popped > 0 && (k.at < last.at || (k.at == last.at && k.seq < last.seq)) {
			t.Fatalf("popped %+v after %+v", k, last)
		}
		last = k
		popped++
	}
	for range 20_000 {
		if q.len() == 0 || rng.IntN(3) != 0 {
			// Few distinct times, so ties are common. Only push times at or
			// after the last pop, as the network does.
			q.push(last.at+int64(rng.IntN(8)), event{kind: evPacket, sent: int64(pushed)})
			pushed++
			peak = max(peak, q.len())
		} else {
			check()
		}
	}
	for q.len() > 0 {
		check()
	}
	if popped != pushed || q.packets != 0 {
		t.Errorf("pushed %d, popped %d, packets %d", pushed, popped, q.packets)
	}
	if len(q.arena) != peak {
		t.Errorf("arena grew to %d slots for at most %d queued events", len(q.arena), peak)
	}
}

func TestBufPool(t *testing.T) {
	var p bufPool
	for _, tc := range []struct{ n, cap int }{{0, 64}, {1, 64}, {64, 64}, {65, 128}, {1500, 2048}, {MaxDatagram, 65536}} {
		b := p.get(tc.n)
		if len(b) != tc.n || cap(b) != tc.cap {
			t.Errorf("get(%d): len %d cap %d, want cap %d", tc.n, len(b), cap(b), tc.cap)
		}
		p.put(b)
		if b2 := p.get(tc.n); &b2[:1][0] != &b[:1][0] {
			t.Errorf("get(%d) after put did not reuse the buffer", tc.n)
		}
	}
	p.put(make([]byte, 100)) // not from the pool: ignored
	if got := len(p.free[sizeClass(100)]); got != 0 {
		t.Errorf("foreign buffer pooled")
	}
}
