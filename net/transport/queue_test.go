package transport

import (
	"sync"
	"testing"
)

type dropTally struct {
	mu sync.Mutex
	n  map[DropReason]int
}

func (d *dropTally) CountDrop(r DropReason) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.n[r]++
}

func TestQueue(t *testing.T) {
	tally := &dropTally{n: map[DropReason]int{}}
	q := NewQueue[int](2, tally)
	if !q.TryPush(1) || !q.TryPush(2) {
		t.Fatal("push into a queue with room failed")
	}
	if q.TryPush(3) {
		t.Fatal("push into a full queue succeeded")
	}
	if q.Len() != 2 || q.Cap() != 2 || q.Drops() != 1 || tally.n[DropHandlerFull] != 1 {
		t.Errorf("len %d cap %d drops %d reported %v", q.Len(), q.Cap(), q.Drops(), tally.n)
	}
	if v := <-q.C(); v != 1 {
		t.Errorf("head %d, want 1 (FIFO)", v)
	}
	if !q.TryPush(4) {
		t.Error("push after a pop failed")
	}
}

func TestQueueConcurrentPush(t *testing.T) {
	q := NewQueue[int](10, nil) // nil DropCounter is allowed
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for i := range 100 {
				q.TryPush(i)
			}
		})
	}
	wg.Wait()
	if q.Len() != 10 || q.Drops() != 390 {
		t.Errorf("len %d drops %d, want 10 390", q.Len(), q.Drops())
	}
}

func TestQueueMinimumSize(t *testing.T) {
	if q := NewQueue[string](0, nil); q.Cap() != 1 {
		t.Errorf("cap %d, want 1", q.Cap())
	}
}
