package tox

import (
	"context"
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	"parley/net/netsim"
)

// lossyLink loses 5% of packets, holds 5% back by 30 ms so later ones
// overtake them, duplicates 5%, and jitters every packet by up to 10 ms
// (which reorders too).
var lossyLink = netsim.Link{
	Delay:        20 * time.Millisecond,
	Jitter:       10 * time.Millisecond,
	Loss:         0.05,
	Reorder:      0.05,
	ReorderDelay: 30 * time.Millisecond,
	Duplicate:    0.05,
}

const lossyMessages = 10000

// Over links that lose, reorder and duplicate 5% of packets each (every
// link, the relay's included), A and B become friends and A sends B
// 10,000 messages: B gets each exactly once and in order, and A gets a
// receipt for each, exactly once.
func TestSimLossy10000Messages(t *testing.T) {
	var virtual time.Duration
	wall := time.Now()
	synctest.Test(t, func(t *testing.T) {
		s := newSimNet(t, 4, lossyLink)
		s.startRelay("boot")
		a, aev := s.startSimClient("alice", s.listen(), nil)
		b, bev := s.startSimClient("bob", s.listen(), nil)
		took := befriend(t, a, aev, b, bev, "lossy hello", simTimeout)
		t.Logf("request to both online over lossy links: %v virtual", took)

		start := time.Now()
		sent := sendMany(t, a, b, lossyMessages)
		checkInOrder(t, bev, a, lossyMessages)
		checkReceipts(t, aev, b, sent)
		virtual = time.Since(start)

		// Let every retransmission and duplicate still in flight land: none
		// may deliver a message twice.
		time.Sleep(10 * time.Second)
		checkNoMoreMessages(t, bev)

		st := s.net.Stats()
		t.Logf("netsim: sent %d, lost %d, duplicated %d, reordered %d, queue-dropped %d",
			st.Sent, st.Lost, st.Duplicated, st.Reordered, st.QueueDrop)
		if cs, ok := connStats(t, a, b.PublicKey()); ok {
			t.Logf("alice's session: %d data packets out, %d resent, %d requests in, rtt %v", cs.PacketsOut, cs.Resent, cs.RequestsIn, cs.RTT)
		}
		if cs, ok := connStats(t, b, a.PublicKey()); ok {
			t.Logf("bob's session: %d data packets in, %d delivered, %d duplicates and %d replays refused", cs.PacketsIn, cs.Delivered, cs.Duplicates, cs.Replays)
		}
		if st.Lost == 0 || st.Duplicated == 0 || st.Reordered == 0 {
			t.Errorf("the links did not lose, duplicate and reorder: %+v", st)
		}
	})
	t.Logf("%d messages: %v virtual, %v wall", lossyMessages, virtual, time.Since(wall))
}

// sendMany sends count numbered messages from a to b as fast as the API
// takes them and returns their IDs in order.
func sendMany(t *testing.T, a, b *Node, count int) []MessageID {
	t.Helper()
	ids := make([]MessageID, 0, count)
	for i := range count {
		id, err := a.SendMessage(context.Background(), b.PublicKey(), MessageNormal, numbered(i))
		if err != nil || len(id) != 1 {
			t.Fatalf("message %d: %v %v", i, id, err)
		}
		ids = append(ids, id[0])
	}
	return ids
}

func numbered(i int) string { return fmt.Sprintf("message %05d of the lossy run", i) }

// checkInOrder reads messages from `from` on ev and fails unless they are
// numbered(0) .. numbered(count-1), in that order.
func checkInOrder(t *testing.T, ev *events, from *Node, count int) {
	t.Helper()
	for i := range count {
		e := ev.wait(simTimeout, fmt.Sprintf("message %d", i), friendEvent[MessageReceived](nil)).(FriendEvent).Event.(MessageReceived)
		if e.Friend != from.PublicKey() || e.Text != numbered(i) {
			t.Fatalf("message %d: got %q from %s", i, e.Text, e.Friend.Short())
		}
	}
}

// checkReceipts reads receipts on ev and fails unless each of ids comes
// exactly once.
func checkReceipts(t *testing.T, ev *events, to *Node, ids []MessageID) {
	t.Helper()
	want := make(map[MessageID]bool, len(ids))
	for _, id := range ids {
		want[id] = true
	}
	for got := 0; got < len(ids); got++ {
		r := ev.wait(simTimeout, fmt.Sprintf("receipt %d", got), friendEvent[Receipt](nil)).(FriendEvent).Event.(Receipt)
		if r.Friend != to.PublicKey() || !want[r.ID] {
			t.Fatalf("receipt %d: id %d from %s: unknown or repeated", got, r.ID, r.Friend.Short())
		}
		delete(want, r.ID)
	}
}

// checkNoMoreMessages fails if ev holds a message event not yet read. It
// must run inside a synctest bubble: synctest.Wait lets the subscription
// pump offer everything queued before each non-blocking read.
func checkNoMoreMessages(t *testing.T, ev *events) {
	t.Helper()
	for more := true; more; {
		synctest.Wait()
		select {
		case e, ok := <-ev.ch:
			if ok {
				ev.seen = append(ev.seen, e)
			}
			more = ok
		default:
			more = false
		}
	}
	for _, e := range ev.seen {
		if fe, ok := e.(FriendEvent); ok {
			if m, ok := fe.Event.(MessageReceived); ok {
				t.Fatalf("a message arrived again: %q", m.Text)
			}
		}
	}
}
