package session

import (
	"errors"
	"testing"
	"time"

	"parley/net/wire"
)

func TestKill(t *testing.T) {
	l := newLink(t, 21)
	a, b := established(t, l)
	ca, cb := a.conn(b), b.conn(a)
	ca.Kill(l.now)
	if ca.State() != StateClosed || !errors.Is(ca.Err(), ErrClosed) || a.m.Conns() != 0 {
		t.Fatalf("killer: %v %v, %d conns", ca.State(), ca.Err(), a.m.Conns())
	}
	if !l.runUntil(time.Second, func() bool { return cb.State() == StateClosed }, nil) {
		t.Fatal("the kill packet did not close the peer")
	}
	if !errors.Is(cb.Err(), ErrKilledByPeer) || b.m.Conns() != 0 {
		t.Fatalf("peer: %v, %d conns", cb.Err(), b.m.Conns())
	}
	if a.states[len(a.states)-1] != StateClosed || b.states[len(b.states)-1] != StateClosed {
		t.Fatal("OnState did not report the close")
	}
	if _, err := ca.SendLossless(l.now, msg(1)); !errors.Is(err, ErrClosed) {
		t.Fatalf("send on a killed connection: %v", err)
	}
	ca.Kill(l.now) // twice is harmless
	// A new connection works.
	a.connect(b)
	if !l.runUntil(2*time.Second, func() bool { return bothEstablished(a, b) }, nil) {
		t.Fatal("no new connection after a kill")
	}
	exchange(t, l, a, b, 10)
}

// TestKillFromCallback kills the connection from inside OnLossless while
// more packets wait in order.
func TestKillFromCallback(t *testing.T) {
	l := newLink(t, 22)
	a, b := established(t, l)
	l.Jitter = 20 * time.Millisecond
	b.onData = func(c *Conn, d []byte) {
		if string(d) == string(msg(5)) {
			c.Kill(l.now)
		}
	}
	for i := range 50 {
		if _, err := a.conn(b).SendLossless(l.now, msg(i)); err != nil {
			t.Fatal(err)
		}
	}
	l.run(2 * time.Second)
	if len(b.lossless) != 6 {
		t.Fatalf("%d delivered after a kill at the 6th", len(b.lossless))
	}
}

func TestTimeoutUnanswered(t *testing.T) {
	l := newLink(t, 23)
	a := l.addNode("a", 1001, nil)
	ghost := l.addNode("ghost", 1002, nil)
	delete(l.nodes, ghost.addr) // nobody listens there
	l.order = l.order[:1]
	var sent []time.Duration
	l.Filter = func(d *datagram) bool {
		if wire.Kind(d.data[0]) == wire.KindCookieRequest {
			sent = append(sent, l.now.Sub(t0))
		}
		return true
	}
	c := a.connect(ghost)
	if !l.runUntil(time.Minute, func() bool { return c.State() == StateClosed }, nil) {
		t.Fatal("never timed out")
	}
	took := l.now.Sub(t0)
	if !errors.Is(c.Err(), ErrTimeout) || len(sent) != MaxTempSends || took < 8*time.Second || took > 9*time.Second {
		t.Fatalf("closed by %v after %v and %d cookie requests (at %v)", c.Err(), took, len(sent), sent)
	}
	if a.m.Conns() != 0 || !a.m.NextDeadline().IsZero() {
		t.Fatal("a dead connection remains")
	}
}

// TestTimeoutNotConfirmed: handshakes get through but data never does, so
// both sides give up after 8 handshakes.
func TestTimeoutNotConfirmed(t *testing.T) {
	l := newLink(t, 24)
	a, b := l.addNode("a", 1001, nil), l.addNode("b", 1002, nil)
	l.Filter = func(d *datagram) bool { return wire.Kind(d.data[0]) != wire.KindCryptoData }
	ca := a.connect(b)
	l.run(20 * time.Second)
	if ca.State() != StateClosed || !errors.Is(ca.Err(), ErrTimeout) {
		t.Fatalf("initiator: %v %v", ca.State(), ca.Err())
	}
	if b.m.Conns() != 0 || len(b.conns) != 1 || !errors.Is(b.conns[0].Err(), ErrTimeout) {
		t.Fatalf("responder: %d conns", b.m.Conns())
	}
}

func TestIdleTimeout(t *testing.T) {
	l := newLink(t, 25)
	a := l.addNode("a", 1001, func(c *Config) { c.IdleTimeout = 5 * time.Second })
	b := l.addNode("b", 1002, nil)
	a.connect(b)
	l.runUntil(time.Second, func() bool { return bothEstablished(a, b) }, nil)
	ca := a.conn(b)
	l.run(30 * time.Second) // keep-alives keep it up
	if ca.State() != StateEstablished {
		t.Fatalf("idle but alive connection: %v %v", ca.State(), ca.Err())
	}
	cut := l.now
	l.Loss = 1
	if !l.runUntil(time.Minute, func() bool { return ca.State() == StateClosed }, nil) {
		t.Fatal("never timed out")
	}
	if took := l.now.Sub(cut); !errors.Is(ca.Err(), ErrTimeout) || took > 6*time.Second {
		t.Fatalf("closed by %v after %v", ca.Err(), took)
	}
}

// TestKeepAlive: an idle established connection sends a request packet
// about every second each way (c-toxcore's rate), and nothing else.
func TestKeepAlive(t *testing.T) {
	l := newLink(t, 26)
	a, b := established(t, l)
	l.run(2 * time.Second)
	before := l.sent
	ra, rb := a.conn(b).Stats().RequestsOut, b.conn(a).Stats().RequestsOut
	l.run(60 * time.Second)
	da, db := a.conn(b).Stats().RequestsOut-ra, b.conn(a).Stats().RequestsOut-rb
	if da < 58 || da > 61 || db < 58 || db > 61 || l.sent-before != int(da+db) {
		t.Fatalf("in 60 s idle: %d and %d requests, %d packets", da, db, l.sent-before)
	}
	if !bothEstablished(a, b) {
		t.Fatal("idle connection dropped")
	}
}

// TestManagerClose kills everything and sends kill packets.
func TestManagerClose(t *testing.T) {
	l := newLink(t, 27)
	a, b := established(t, l)
	a.m.Close(l.now)
	if a.m.Conns() != 0 {
		t.Fatal("connections survive Close")
	}
	if !l.runUntil(time.Second, func() bool { return stateOf(b.conn(a)) == StateNone }, nil) {
		t.Fatal("peer not told")
	}
}
