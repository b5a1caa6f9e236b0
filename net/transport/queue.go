package transport

import "sync/atomic"

// Queue is the bounded, non-blocking hand-off from a Handler (running on the
// read goroutine) to the goroutine that owns a protocol's state:
//
//	q := transport.NewQueue[dht.Ping](64, t)
//	t.Handle(wire.KindPingRequest, func(src netip.AddrPort, pkt []byte) {
//		p, err := dht.ParsePing(pkt)
//		if err != nil {
//			t.CountDrop(transport.DropMalformed)
//			return
//		}
//		q.TryPush(p) // never blocks; a full queue drops and counts
//	})
//	// owner goroutine:
//	for { select { case p := <-q.C(): ...; case <-done: return } }
//
// TryPush is safe for concurrent use. The channel is never closed (a close
// would race with TryPush), so the consumer must also watch its own done
// channel or context to exit. Values must not alias the handler's pkt
// buffer: copy bytes into the value before pushing.
type Queue[T any] struct {
	ch    chan T
	drops atomic.Uint64
	dc    DropCounter
}

// NewQueue returns a queue holding at most size values (size < 1 is treated
// as 1). Each drop is counted on the queue and, when dc is not nil, reported
// to dc as DropHandlerFull (pass the Transport).
func NewQueue[T any](size int, dc DropCounter) *Queue[T] {
	if size < 1 {
		size = 1
	}
	return &Queue[T]{ch: make(chan T, size), dc: dc}
}

// TryPush enqueues v if there is room and reports whether it did. It never
// blocks; when the queue is full v is dropped and counted.
func (q *Queue[T]) TryPush(v T) bool {
	select {
	case q.ch <- v:
		return true
	default:
		q.drops.Add(1)
		if q.dc != nil {
			q.dc.CountDrop(DropHandlerFull)
		}
		return false
	}
}

// C is the consumer's end.
func (q *Queue[T]) C() <-chan T { return q.ch }

// Len is the number of values waiting.
func (q *Queue[T]) Len() int { return len(q.ch) }

// Cap is the queue's capacity.
func (q *Queue[T]) Cap() int { return cap(q.ch) }

// Drops is how many values TryPush has refused.
func (q *Queue[T]) Drops() uint64 { return q.drops.Load() }
