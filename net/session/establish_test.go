package session

import (
	"errors"
	"net/netip"
	"slices"
	"testing"
	"time"
)

func TestEstablishOneInitiator(t *testing.T) {
	l := newLink(t, 1)
	a, b := l.addNode("a", 1001, nil), l.addNode("b", 1002, nil)
	ca := a.connect(b)
	if ca.State() != StateCookieRequesting {
		t.Fatalf("after Connect: %v", ca.State())
	}
	if !l.runUntil(time.Second, func() bool { return bothEstablished(a, b) }, nil) {
		t.Fatalf("not established: a %v, b %v", stateOf(a.conn(b)), stateOf(b.conn(a)))
	}
	// Cookie request, response, handshake, handshake, data: 4 one-way
	// delays of 5 ms, plus the data packet back.
	if took := l.now.Sub(t0); took > 40*time.Millisecond {
		t.Errorf("establishing took %v", took)
	}
	want := []State{StateHandshakeSent, StateNotConfirmed, StateEstablished}
	if !slices.Equal(a.states, want) {
		t.Errorf("initiator states %v, want %v", a.states, want)
	}
	if want := []State{StateNotConfirmed, StateEstablished}; !slices.Equal(b.states, want) {
		t.Errorf("responder states %v, want %v", b.states, want)
	}
	if len(b.dhtKeys) != 1 || b.dhtKeys[0] != a.dht.Public {
		t.Errorf("responder learned DHT keys %v, want [%v]", b.dhtKeys, a.dht.Public.Short())
	}
	cb := b.conn(a)
	if cb.Peer() != a.self.Public || cb.PeerDHT() != a.dht.Public {
		t.Errorf("responder's conn: peer %v dht %v", cb.Peer().Short(), cb.PeerDHT().Short())
	}
	if addr, ok := cb.Addr(l.now); !ok || addr != a.addr {
		t.Errorf("responder sends to %v, want %v", addr, a.addr)
	}
	if a.m.Stats().CookieResponsesIn != 1 || b.m.Stats().CookieRequestsIn != 1 || b.m.Stats().Accepted != 1 {
		t.Errorf("stats a %+v b %+v", a.m.Stats(), b.m.Stats())
	}
	// The session keys are fresh and differ from the long-term ones.
	if ca.session.Public == a.self.Public || ca.shared != cb.shared || ca.session.Public == cb.session.Public {
		t.Error("session keys are not a fresh shared pair")
	}
	exchange(t, l, a, b, 10)
}

func TestEstablishBothInitiate(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		l := newLink(t, seed)
		l.Jitter = 10 * time.Millisecond
		a, b := l.addNode("a", 1001, nil), l.addNode("b", 1002, nil)
		a.connect(b)
		b.connect(a)
		if !l.runUntil(3*time.Second, func() bool { return bothEstablished(a, b) }, nil) {
			t.Fatalf("seed %d: not established: a %v, b %v", seed, stateOf(a.conn(b)), stateOf(b.conn(a)))
		}
		if a.m.Conns() != 1 || b.m.Conns() != 1 || len(a.conns) != 1 || len(b.conns) != 1 {
			t.Fatalf("seed %d: connections a %d/%d b %d/%d", seed, a.m.Conns(), len(a.conns), b.m.Conns(), len(b.conns))
		}
		exchange(t, l, a, b, 20)
	}
}

func TestEstablishUnderHeavyLoss(t *testing.T) {
	for seed := uint64(1); seed <= 10; seed++ {
		l := newLink(t, seed)
		l.Loss, l.Dup, l.Jitter = 0.3, 0.1, 20*time.Millisecond
		a, b := l.addNode("a", 1001, nil), l.addNode("b", 1002, nil)
		a.connect(b)
		if !l.runUntil(8*time.Second, func() bool { return bothEstablished(a, b) }, nil) {
			t.Fatalf("seed %d: not established under 30%% loss: a %v, b %v (a errs %v, b errs %v)",
				seed, stateOf(a.conn(b)), stateOf(b.conn(a)), a.errs, b.errs)
		}
		exchange(t, l, a, b, 50)
	}
}

func TestNotAccepted(t *testing.T) {
	l := newLink(t, 1)
	a, b := l.addNode("a", 1001, nil), l.addNode("b", 1002, nil)
	b.accept = false
	ca := a.connect(b)
	l.run(20 * time.Second)
	if ca.State() != StateClosed || !errors.Is(ca.Err(), ErrTimeout) {
		t.Fatalf("initiator: %v, %v; want closed by timeout", ca.State(), ca.Err())
	}
	if b.m.Conns() != 0 || b.errs[ErrNotAccepted] != MaxTempSends {
		t.Fatalf("responder: %d conns, %d refusals (want %d)", b.m.Conns(), b.errs[ErrNotAccepted], MaxTempSends)
	}
}

func TestNilAcceptRefuses(t *testing.T) {
	l := newLink(t, 1)
	a := l.addNode("a", 1001, nil)
	b := l.addNode("b", 1002, func(c *Config) { c.Accept = nil })
	a.connect(b)
	l.run(2 * time.Second)
	if b.m.Conns() != 0 || b.errs[ErrNotAccepted] == 0 {
		t.Fatalf("nil Accept: %d conns, errs %v", b.m.Conns(), b.errs)
	}
}

func TestConnectExistingAndSelf(t *testing.T) {
	l := newLink(t, 1)
	a, b := l.addNode("a", 1001, nil), l.addNode("b", 1002, nil)
	c1 := a.connect(b)
	if c2 := a.connect(b); c2 != c1 {
		t.Fatal("a second Connect made a second connection")
	}
	if _, err := a.m.Connect(l.now, a.self.Public, a.dht.Public, b.addr); err == nil {
		t.Fatal("Connect to our own key succeeded")
	}
}

// TestConnectWithoutAddress: the cookie request waits for an address.
func TestConnectWithoutAddress(t *testing.T) {
	l := newLink(t, 1)
	a, b := l.addNode("a", 1001, nil), l.addNode("b", 1002, nil)
	c, err := a.m.Connect(l.now, b.self.Public, b.dht.Public, netip.AddrPort{})
	if err != nil {
		t.Fatal(err)
	}
	l.run(30 * time.Second)
	if c.State() != StateCookieRequesting || l.sent != 0 {
		t.Fatalf("without an address: %v, %d packets sent", c.State(), l.sent)
	}
	if !a.m.SetAddr(l.now, b.self.Public, b.addr) {
		t.Fatal("SetAddr found no connection")
	}
	if !l.runUntil(time.Second, func() bool { return bothEstablished(a, b) }, nil) {
		t.Fatal("not established after SetAddr")
	}
}

func TestReplacedByNewDHTKey(t *testing.T) {
	l := newLink(t, 1)
	a, b := established(t, l)
	old := b.conn(a)
	a.restart() // a's old Manager is gone: its connection dies silently
	a.connect(b)
	if !l.runUntil(2*time.Second, func() bool { return bothEstablished(a, b) }, nil) {
		t.Fatalf("not re-established: a %v, b %v", stateOf(a.conn(b)), stateOf(b.conn(a)))
	}
	if old.State() != StateClosed || !errors.Is(old.Err(), ErrReplaced) {
		t.Fatalf("old connection: %v, %v", old.State(), old.Err())
	}
	if b.conn(a) == old || b.conn(a).PeerDHT() != a.dht.Public {
		t.Fatal("new connection does not carry the new DHT key")
	}
	if n := len(b.dhtKeys); n != 2 || b.dhtKeys[1] != a.dht.Public {
		t.Fatalf("OnDHTKey saw %d keys", n)
	}
	if b.m.Stats().Replaced != 1 {
		t.Fatalf("Replaced = %d", b.m.Stats().Replaced)
	}
	exchange(t, l, a, b, 10)
}
