package netsim

import "net/netip"

// eventKind says what an event does when it comes due.
type eventKind uint8

const (
	evPacket eventKind = iota + 1 // a packet copy reaches its destination address
	evTimer                       // an After or Every callback fires
)

// event is one scheduled happening. Events live in an arena and the heap
// orders small (at, seq, index) items, so sifting moves 24 bytes rather than
// the whole event.
type event struct {
	kind eventKind
	dup  bool // this copy is the extra one made by Link.Duplicate
	held bool // this copy was held back by Link.Reorder

	sent int64          // ns since start when the packet was sent
	from *Host          // the sending endpoint (its own, maybe private, address)
	via  *NAT           // non-nil for LAN delivery behind this NAT
	src  netip.AddrPort // source on the wire, after the sender's NAT
	dst  netip.AddrPort // destination as addressed by the sender
	pkt  []byte         // the packet's own copy, from the buffer pool

	tm *Timer
}

// item is a heap entry. Items with equal at keep insertion (FIFO) order by
// seq, which is what makes runs reproducible.
type item struct {
	at  int64
	seq uint64
	idx int32
}

// queue is a binary min-heap of events by (at, seq). It is not safe for
// concurrent use; the Network's mutex guards it.
type queue struct {
	items   []item
	arena   []event
	free    []int32
	seq     uint64
	packets int // packet events queued, reported as Stats.InFlight
}

func (q *queue) len() int { return len(q.items) }

// push schedules ev at time at (ns since the network's start).
func (q *queue) push(at int64, ev event) {
	var idx int32
	if n := len(q.free); n > 0 {
		idx = q.free[n-1]
		q.free = q.free[:n-1]
		q.arena[idx] = ev
	} else {
		idx = int32(len(q.arena))
		q.arena = append(q.arena, ev)
	}
	if ev.kind == evPacket {
		q.packets++
	}
	q.seq++
	q.items = append(q.items, item{at: at, seq: q.seq, idx: idx})
	q.up(len(q.items) - 1)
}

// peek returns the time of the earliest event.
func (q *queue) peek() (int64, bool) {
	if len(q.items) == 0 {
		return 0, false
	}
	return q.items[0].at, true
}

// pop removes and returns the earliest event. The queue must not be empty.
func (q *queue) pop() (int64, event) {
	it := q.items[0]
	ev := q.arena[it.idx]
	q.arena[it.idx] = event{} // drop references for the GC
	q.free = append(q.free, it.idx)
	last := len(q.items) - 1
	q.items[0] = q.items[last]
	q.items = q.items[:last]
	if last > 0 {
		q.down(0)
	}
	if ev.kind == evPacket {
		q.packets--
	}
	return it.at, ev
}

// reset drops every queued event.
func (q *queue) reset() {
	clear(q.arena)
	q.items, q.arena, q.free, q.packets = nil, nil, nil, 0
}

func (q *queue) less(i, j int) bool {
	a, b := q.items[i], q.items[j]
	return a.at < b.at || (a.at == b.at && a.seq < b.seq)
}

func (q *queue) up(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !q.less(i, p) {
			return
		}
		q.items[i], q.items[p] = q.items[p], q.items[i]
		i = p
	}
}

func (q *queue) down(i int) {
	n := len(q.items)
	for {
		l := 2*i + 1
		if l >= n {
			return
		}
		m := l
		if r := l + 1; r < n && q.less(r, l) {
			m = r
		}
		if !q.less(m, i) {
			return
		}
		q.items[i], q.items[m] = q.items[m], q.items[i]
		i = m
	}
}
