package session

import (
	"testing"
	"time"
)

// TestOutageRecovery: an established session carries friend_connection's
// traffic (an ALIVE-like lossless packet every 8 s each way, plus the 1 s
// keep-alive request packets); the network drops everything both ways for
// 25 s; one side sends a message whose first copy is lost (sent at the
// instant before the link returns, or 100 ms before). Its ack must come
// within a few RTTs, not after an RTT estimate inflated by the outage.
func TestOutageRecovery(t *testing.T) {
	for _, tc := range []struct {
		name   string
		early  time.Duration // the message goes out this long before the link returns
		oneWay bool          // only b->a is cut: a's packets arrive, b's acks do not
	}{
		{"at-restore", 0, false},
		{"100ms-before", 100 * time.Millisecond, false},
		{"1s-before", time.Second, false},
		{"acks-lost", 100 * time.Millisecond, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := newLink(t, 11)
			l.Delay = 500 * time.Microsecond // 1 ms RTT, as on loopback
			a, b := established(t, l)
			ca, cb := a.conn(b), b.conn(a)
			down := false
			l.Filter = func(d *datagram) bool { return !down || (tc.oneWay && d.src == a.addr) }
			nextAlive := l.now
			alive := func() {
				if l.now.Before(nextAlive) {
					return
				}
				nextAlive = nextAlive.Add(8 * time.Second)
				for _, c := range []*Conn{ca, cb} {
					if _, err := c.SendLossless(l.now, []byte{16}); err != nil {
						t.Fatalf("alive: %v", err)
					}
				}
			}
			l.runUntil(20*time.Second, nil, alive)
			exchange(t, l, a, b, 5)
			before := ca.Stats().RTT

			// The outage begins while acks are in flight, as when friend_connection's
			// first packets go out: the peer gets them, its acks are lost.
			for _, c := range []*Conn{ca, cb} {
				if _, err := c.SendLossless(l.now, []byte{17, 'x'}); err != nil {
					t.Fatal(err)
				}
			}
			l.run(2 * time.Millisecond)
			down = true
			l.runUntil(25*time.Second-tc.early, nil, alive)
			acked := len(a.acked)
			pn, err := ca.SendLossless(l.now, []byte{64, 'm'})
			if err != nil {
				t.Fatal(err)
			}
			l.runUntil(tc.early, nil, alive)
			down = false
			up := l.now
			if !l.runUntil(10*time.Second, func() bool { return ca.Acked(pn) }, alive) {
				t.Fatalf("message %d not acked 10 s after the link returned", pn)
			}
			took := l.now.Sub(up)
			sa := ca.Stats()
			t.Logf("acked %v after the link returned; rtt %v before the outage, %v after (min %v); %d acks during the run",
				took, before, sa.RTT, sa.MinRTT, len(a.acked)-acked)
			if took > time.Second {
				t.Errorf("message acked %v after the link returned, want within 1 s", took)
			}
			if sa.RTT > 100*time.Millisecond {
				t.Errorf("smoothed RTT %v after the outage on a 1 ms link", sa.RTT)
			}
			if ca.State() != StateEstablished || cb.State() != StateEstablished {
				t.Fatalf("states %v %v", ca.State(), cb.State())
			}
			l.run(2 * time.Second) // the ALIVEs held up by the outage arrive
			exchange(t, l, a, b, 5)
		})
	}
}

// TestRequestFreesOnlyCovered: a request frees only the slots its list
// passes over; the packets after the last slot it describes stay held
// (and resendable) however far our buffer_end is.
func TestRequestFreesOnlyCovered(t *testing.T) {
	l := newLink(t, 12)
	a, b := established(t, l)
	ca := a.conn(b)
	l.Loss = 1
	const n = 600
	for i := range n {
		if _, err := ca.SendLossless(l.now, msg(i)); err != nil {
			t.Fatal(err)
		}
	}
	l.now = l.now.Add(2 * time.Second) // every packet is due for a resend
	bs := ca.send.start
	// The peer got 0..299 except 7 and 260, and knows nothing after 299:
	// its list names 7 and 260 and then describes whole runs of 255 only.
	received := make([]bool, 300)
	for i := range received {
		received[i] = i != 7 && i != 260
	}
	wire := specGenerate(received)
	req, err := ParseRequest(wire)
	if err != nil {
		t.Fatal(err)
	}
	if req.Covered != 261 {
		t.Fatalf("the list covers %d slots, want 261", req.Covered)
	}
	resentBefore := ca.Stats().Resent
	ca.takeRequest(l.now, bs, &req)
	for i := range uint32(n) {
		held := ca.send.at(bs+i).data != nil
		want := i == 7 || i == 260 || i >= req.Covered
		if held != want {
			t.Fatalf("slot %d held %v, want %v", i, held, want)
		}
	}
	if got := ca.Stats().Resent - resentBefore; got != 2 {
		t.Fatalf("%d packets resent, want the 2 named", got)
	}
}
