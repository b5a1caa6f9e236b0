package viewmodel

import (
	"sync"
	"time"
)

// Queue is a dispatcher for Options.Do that runs nothing by itself: the
// owner of the "UI goroutine" (a test) runs the queued functions with Run
// or RunUntil. Under Fyne's test driver fyne.Do runs a function at once on
// the calling goroutine, which would touch widgets from the view model's
// goroutines; a Queue keeps every UI change on the test's goroutine.
type Queue struct {
	c chan func()
}

// NewQueue returns an empty queue.
func NewQueue() *Queue { return &Queue{c: make(chan func(), 1<<16)} }

// Do queues f.
func (q *Queue) Do(f func()) { q.c <- f }

// Run runs the queued functions until none is left.
func (q *Queue) Run() {
	for {
		select {
		case f := <-q.c:
			f()
		default:
			return
		}
	}
}

// RunUntil runs queued functions as they come until cond holds (checked
// after each, and every 10 ms for conditions that change off the queue)
// or timeout passes; it reports whether cond held.
func (q *Queue) RunUntil(cond func() bool, timeout time.Duration) bool {
	q.Run()
	if cond() {
		return true
	}
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	poll := time.NewTicker(10 * time.Millisecond)
	defer poll.Stop()
	for {
		select {
		case f := <-q.c:
			f()
			if cond() {
				return true
			}
		case <-poll.C:
			if cond() {
				return true
			}
		case <-deadline.C:
			return cond()
		}
	}
}

// serial runs jobs one at a time, in order, on one goroutine, without ever
// blocking the caller (the queue is unbounded).
type serial struct {
	mu   sync.Mutex
	jobs []func()
	wake chan struct{}
	quit chan struct{}
	done chan struct{}
}

func newSerial() *serial {
	s := &serial{wake: make(chan struct{}, 1), quit: make(chan struct{}), done: make(chan struct{})}
	go s.run()
	return s
}

func (s *serial) post(f func()) {
	s.mu.Lock()
	s.jobs = append(s.jobs, f)
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

func (s *serial) run() {
	defer close(s.done)
	for {
		s.mu.Lock()
		jobs := s.jobs
		s.jobs = nil
		s.mu.Unlock()
		for _, f := range jobs {
			select {
			case <-s.quit:
				return
			default:
			}
			f()
		}
		select {
		case <-s.wake:
		case <-s.quit:
			return
		}
	}
}

// stop ends the goroutine after the running job and waits for it.
func (s *serial) stop() {
	close(s.quit)
	<-s.done
}
