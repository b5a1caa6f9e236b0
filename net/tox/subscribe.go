package tox

import "sync"

// subscription delivers events to one subscriber in order and without
// loss: the node loop appends to an unbounded queue (it never blocks on a
// slow reader) and a pump goroutine hands them to the channel.
type subscription struct {
	c      chan Event
	mu     sync.Mutex
	queue  []Event
	wake   chan struct{}
	cancel chan struct{}
	once   sync.Once
}

func newSubscription() *subscription {
	s := &subscription{c: make(chan Event), wake: make(chan struct{}, 1), cancel: make(chan struct{})}
	go s.pump()
	return s
}

func (s *subscription) push(e Event) {
	s.mu.Lock()
	s.queue = append(s.queue, e)
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

func (s *subscription) pump() {
	defer close(s.c)
	for {
		s.mu.Lock()
		q := s.queue
		s.queue = nil
		s.mu.Unlock()
		for _, e := range q {
			select {
			case s.c <- e:
			case <-s.cancel:
				return
			}
		}
		select {
		case <-s.wake:
		case <-s.cancel:
			return
		}
	}
}

func (s *subscription) stop() { s.once.Do(func() { close(s.cancel) }) }

// subscribers is the node's set of subscriptions.
type subscribers struct {
	mu   sync.Mutex
	subs map[*subscription]struct{}
}

func (ss *subscribers) add() *subscription {
	s := newSubscription()
	ss.mu.Lock()
	if ss.subs == nil {
		ss.subs = make(map[*subscription]struct{})
	}
	ss.subs[s] = struct{}{}
	ss.mu.Unlock()
	return s
}

func (ss *subscribers) remove(s *subscription) {
	ss.mu.Lock()
	delete(ss.subs, s)
	ss.mu.Unlock()
	s.stop()
}

func (ss *subscribers) publish(e Event) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	for s := range ss.subs {
		s.push(e)
	}
}

func (ss *subscribers) closeAll() {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	for s := range ss.subs {
		s.stop()
	}
	ss.subs = nil
}

// Subscribe returns a channel of every event from now on, in order, and a
// function that ends the subscription (the channel is then closed). Events
// are never dropped for a slow reader; they queue.
func (n *Node) Subscribe() (<-chan Event, func()) {
	s := n.subs.add()
	return s.c, func() { n.subs.remove(s) }
}
