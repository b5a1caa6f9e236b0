package tox

import (
	"context"
	"fmt"
	"net/netip"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"parley/net/netsim"
	"parley/net/session"
	"parley/net/wire"
)

// Forged, replayed and truncated session packets sent into an established
// session are refused and counted, and the session goes on delivering
// messages, in order and once each, with no reconnection.
//
// The attacker is on the wire with Alice's source address: the packets go
// out of Alice's own netsim socket (netsim gives every host its own source
// address, so this is how a spoofer is modelled) and cross the network to
// Bob like any other packet. The material is what a passive observer
// captured: Alice's data packets and her handshake.
func TestSecurityTamperedSessionPackets(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := newSimNet(t, 6, simLink)
		s.startRelay("boot")
		aconn, bconn := s.listen(), s.listen()
		aaddr, baddr := aconn.LocalAddr(), bconn.LocalAddr()
		var tap sessionTap
		s.net.Trace(tap.hook(aaddr, baddr))
		a, aev := s.startSimClient("alice", aconn, nil)
		b, bev := s.startSimClient("bob", bconn, nil)
		befriend(t, a, aev, b, bev, "tamper test", simTimeout)
		// Data packets from here on reached an established session, so Bob
		// accepted each once. (One that raced ahead of its handshake was
		// refused then, and its "replay" would be its first delivery.)
		tap.resetData()

		// Some traffic to capture.
		const warmup = 40
		ids := make([]MessageID, 0, 200)
		for i := range warmup {
			ids = append(ids, sendText(t, a, b.PublicKey(), MessageNormal, tamperText(i)))
		}
		checkTamperTexts(t, bev, a, 0, warmup)
		data, control := tap.captured()
		if len(data) < warmup || len(control) == 0 {
			t.Fatalf("captured %d data packets and %d handshakes", len(data), len(control))
		}

		bconnBefore := sessionConn(t, b, a)
		before, _ := connStats(t, b, a.PublicKey())
		nodeBefore := nodeStats(t, b)

		// Rounds of attack, each followed by a legitimate message.
		var want tamperCounts
		inject := func(pkt []byte) {
			if _, err := aconn.WriteToUDPAddrPort(pkt, baddr); err != nil {
				t.Fatal(err)
			}
		}
		const rounds = 100
		for r := range rounds {
			p := data[r%len(data)]
			// Forged: one bit flipped anywhere after the kind byte (nonce
			// bytes, MAC or ciphertext).
			pos := 1 + (r*37)%(len(p)-1)
			forged := append([]byte(nil), p...)
			forged[pos] ^= 1 << (r % 8)
			inject(forged)
			want.badMAC++
			// Replayed: an exact copy of a delivered packet.
			inject(p)
			want.replays++
			// Truncated: too short to be a data packet, or long enough but
			// cut through the MAC or ciphertext.
			for _, n := range []int{1, 3, session.MinDataPacketSize - 1, session.MinDataPacketSize, len(p) / 2, len(p) - 1} {
				if n >= len(p) {
					continue
				}
				inject(append([]byte(nil), p[:n]...))
				if n < session.MinDataPacketSize {
					want.short++
				} else {
					want.badMAC++
				}
			}
			// A replayed handshake (refused: the session is established,
			// or the cookie inside has expired).
			inject(control[r%len(control)])
			want.rest++
			ids = append(ids, sendText(t, a, b.PublicKey(), MessageNormal, tamperText(warmup+r)))
			time.Sleep(50 * time.Millisecond) // virtual: spread the rounds over 5 s
		}
		checkTamperTexts(t, bev, a, warmup, warmup+rounds)
		checkReceipts(t, aev, b, ids)
		time.Sleep(5 * time.Second) // virtual: every packet in flight (≤ 22 ms of link delay) lands

		after, _ := connStats(t, b, a.PublicKey())
		nodeAfter := nodeStats(t, b)
		got := tamperCounts{
			badMAC:  after.BadMAC - before.BadMAC,
			replays: after.Replays - before.Replays,
			short:   nodeAfter.Drops["short"] - nodeBefore.Drops["short"],
			rest:    sumDrops(nodeAfter.Drops) - sumDrops(nodeBefore.Drops), // every drop, any reason
		}
		t.Logf("injected %d forged or cut (bad MAC), %d replayed, %d short data packets and %d replayed handshakes; bob counted %+v",
			want.badMAC, want.replays, want.short, want.rest, got)
		if got.badMAC != want.badMAC || got.replays != want.replays || got.short != want.short {
			t.Errorf("bob counted %d bad MACs, %d replays, %d short; want %d, %d, %d",
				got.badMAC, got.replays, got.short, want.badMAC, want.replays, want.short)
		}
		if all := want.badMAC + want.replays + want.short + want.rest; got.rest < all {
			t.Errorf("bob's node counted %d drops, want at least the %d injected", got.rest, all)
		}
		if c := sessionConn(t, b, a); c != bconnBefore || c.State() != session.StateEstablished {
			t.Errorf("bob's session to alice was replaced or closed")
		}
		for _, ev := range []*events{aev, bev} {
			checkStayedOnline(t, ev)
		}
	})
}

// tamperCounts: packets with a bad MAC, replays, too-short packets, and
// (injected) handshakes or (counted) drops of any reason.
type tamperCounts struct{ badMAC, replays, short, rest uint64 }

func tamperText(i int) string { return fmt.Sprintf("legitimate message %03d", i) }

// checkTamperTexts waits for tamperText(from) .. tamperText(to-1) from a,
// in order, with nothing else in between.
func checkTamperTexts(t *testing.T, ev *events, a *Node, from, to int) {
	t.Helper()
	for i := from; i < to; i++ {
		m := ev.wait(simTimeout, fmt.Sprintf("message %d", i), friendEvent[MessageReceived](nil)).(FriendEvent).Event.(MessageReceived)
		if m.Friend != a.PublicKey() || m.Text != tamperText(i) {
			t.Fatalf("message %d: got %q", i, m.Text)
		}
	}
}

// checkStayedOnline fails if ev saw a friend go offline or a session close.
func checkStayedOnline(t *testing.T, ev *events) {
	t.Helper()
	for more := true; more; {
		synctest.Wait()
		select {
		case e := <-ev.ch:
			ev.seen = append(ev.seen, e)
		default:
			more = false
		}
	}
	for _, e := range ev.seen {
		switch e := e.(type) {
		case FriendConnection:
			if !e.Connected {
				t.Errorf("%s: a session closed during the attack", ev.name)
			}
		case FriendEvent:
			if _, ok := e.Event.(FriendOffline); ok {
				t.Errorf("%s: a friend went offline during the attack", ev.name)
			}
		}
	}
}

// sessionConn returns n's live session to peer.
func sessionConn(t *testing.T, n, peer *Node) *session.Conn {
	t.Helper()
	var c *session.Conn
	if err := n.Do(context.Background(), func(time.Time) { c = n.sessions.Conn(peer.PublicKey()) }); err != nil {
		t.Fatal(err)
	}
	if c == nil {
		t.Fatal("no session")
	}
	return c
}

func nodeStats(t testing.TB, n *Node) Stats {
	t.Helper()
	s, err := n.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func sumDrops(d map[string]uint64) uint64 {
	var n uint64
	for _, v := range d {
		n += v
	}
	return n
}

// sessionTap keeps copies of the session packets one address delivered to
// another: data packets and handshakes.
type sessionTap struct {
	mu            sync.Mutex
	data, control [][]byte
}

func (st *sessionTap) hook(from, to netip.AddrPort) func(netsim.TraceEvent) {
	return func(e netsim.TraceEvent) {
		if e.Fate != netsim.Delivered || e.Src != from || e.To != to || len(e.Data) == 0 {
			return
		}
		st.mu.Lock()
		defer st.mu.Unlock()
		switch wire.Kind(e.Data[0]) {
		case wire.KindCryptoData:
			st.data = append(st.data, append([]byte(nil), e.Data...))
		case wire.KindCryptoHandshake:
			st.control = append(st.control, append([]byte(nil), e.Data...))
		}
	}
}

func (st *sessionTap) resetData() {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.data = nil
}

func (st *sessionTap) captured() (data, control [][]byte) {
	st.mu.Lock()
	defer st.mu.Unlock()
	return append([][]byte(nil), st.data...), append([][]byte(nil), st.control...)
}
