package tox

import (
	"context"
	"fmt"
	"io"
	"net/netip"
	"runtime"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"parley/net/crypto"
	"parley/net/friend"
	"parley/net/key"
	"parley/net/netsim"
	"parley/net/onion"
)

// floodBatch requests leave the attacker every floodEvery: 2,000 a second.
const (
	floodBatch = 100
	floodEvery = 50 * time.Millisecond
)

// A flood of friend requests from floodRequests random keys, each a valid
// onion data packet (type 32) with Bob's correct nospam, sealed to his
// real onion data key, sent over the wire to the announce nodes that
// store Bob, which forward them along Bob's onion return paths like any
// other request. Bob's node rate-limits them (friend.Config's token
// bucket: 16 at once, then one per 2 s), keeps its memory bounded, and a
// friend's messages sent during the flood still arrive as fast as on an
// idle link.
//
// The attacker learns Bob's data key the way anyone can: a Parley client
// of its own searches for Bob's Tox ID through the onion.
func TestSecurityFriendRequestFlood(t *testing.T) {
	wall := time.Now()
	synctest.Test(t, func(t *testing.T) {
		s := newSimNet(t, 7, simLink)
		relays := s.startRelays("relay", natRelays)
		a, aev := s.startSimClient("alice", s.listen(), nil)
		b, bev := s.startSimClient("bob", s.listen(), nil)
		befriend(t, a, aev, b, bev, "a real friend", simTimeout)
		bid, err := b.ToxID(context.Background())
		if err != nil {
			t.Fatal(err)
		}

		// The attacker's client finds Bob's onion data key.
		m := s.startNode("mallory", s.listen(), nil)
		simMust(t, m.AddFriend(context.Background(), bid, "let me in"))
		dataPK := waitDataKey(t, m, b.PublicKey())
		cr, err := newFloodCrafter(bid, dataPK, s.rand("mallory's flood"))
		if err != nil {
			t.Fatal(err)
		}
		attacker := s.listen()
		stores := findStores(t, relays, cr, attacker)
		t.Logf("%d of %d relays store Bob's announcement", len(stores), len(relays))

		before := guardStats(t, b)
		heapBefore := heapInUse()
		cpuBefore := cpuTime(t)

		// The flood runs in its own goroutine while Alice keeps chatting.
		done := make(chan error, 1)
		go func() { done <- cr.flood(floodRequests, attacker, stores) }()
		var lat []time.Duration
		for i, flooding := 0, true; flooding; i++ {
			t0 := time.Now()
			sendText(t, a, b.PublicKey(), MessageNormal, fmt.Sprintf("during the flood %d", i))
			bev.wait(simTimeout, "message during the flood", friendEvent(func(e MessageReceived) bool {
				return e.Friend == a.PublicKey() && e.Text == fmt.Sprintf("during the flood %d", i)
			}))
			lat = append(lat, time.Since(t0))
			select {
			case err := <-done:
				if err != nil {
					t.Fatal(err)
				}
				flooding = false
			case <-time.After(250 * time.Millisecond): // virtual: Alice's typing pace
			}
		}
		time.Sleep(10 * time.Second) // virtual: the flood's last packets land
		after := guardStats(t, b)
		heapAfter := heapInUse()
		cpu := cpuTime(t) - cpuBefore
		pending, err := b.PendingRequests(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		st := nodeStats(t, b)

		got := after.RequestsReceived - before.RequestsReceived
		delivered := after.RequestsDelivered - before.RequestsDelivered
		limited := after.RequestsRateLimited - before.RequestsRateLimited
		floodTime := time.Duration(floodRequests/floodBatch) * floodEvery
		t.Logf("flood of %d requests over %v virtual: bob received %d, delivered %d, rate-limited %d; %d pending; inbox drops %d",
			floodRequests, floodTime, got, delivered, limited, len(pending), st.InboxDrops)
		t.Logf("alice's %d messages during the flood: max %v, median %v virtual", len(lat), maxDur(lat), medianDur(lat))
		t.Logf("heap in use: %.1f MB before, %.1f MB after; CPU for the flood (attacker, relays and bob together): %v, %v per request",
			heapBefore/1e6, heapAfter/1e6, cpu, cpu/time.Duration(floodRequests))

		if got < floodRequests*9/10 {
			t.Errorf("only %d of %d requests reached bob's friend layer: the flood did not exercise the guard", got, floodRequests)
		}
		maxDelivered := uint64(friend.DefaultRequestBurst) + uint64(floodTime/friend.DefaultRequestInterval) + 8
		if delivered > maxDelivered {
			t.Errorf("%d requests delivered, want at most %d (the rate limit)", delivered, maxDelivered)
		}
		if len(pending) > friend.DefaultMaxPendingRequests {
			t.Errorf("%d pending requests, want at most %d", len(pending), friend.DefaultMaxPendingRequests)
		}
		if m := maxDur(lat); m > 100*time.Millisecond {
			t.Errorf("a message took %v during the flood (the link takes about 20 ms)", m)
		}
		if growth := heapAfter - heapBefore; growth > 32e6 {
			t.Errorf("heap grew by %.1f MB during the flood", growth/1e6)
		}
	})
	t.Logf("wall time of the whole test: %v", time.Since(wall))
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime(t *testing.T) time.Duration {
	t.Helper()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// waitDataKey polls m's onion search until it has found pk's data key.
func waitDataKey(t *testing.T, m *Node, pk key.PublicKey) key.PublicKey {
	t.Helper()
	deadline := time.Now().Add(simTimeout)
	for time.Now().Before(deadline) {
		var st onion.FriendStatus
		if err := m.Do(context.Background(), func(now time.Time) { st, _ = m.onion.FriendStatus(now, pk) }); err != nil {
			t.Fatal(err)
		}
		if st.Found && !st.DataPK.IsZero() {
			return st.DataPK
		}
		time.Sleep(100 * time.Millisecond) // virtual: polling a condition with a deadline
	}
	t.Fatalf("the attacker's search never found %s", pk.Short())
	return key.PublicKey{}
}

// findStores sends one request to each relay and returns the relays that
// forwarded it: those storing the target's announcement.
func findStores(t *testing.T, relays []*Node, cr *floodCrafter, from *netsim.Conn) []netip.AddrPort {
	t.Helper()
	fwd := func(n *Node) uint64 { return nodeStats(t, n).Onion.DataForwarded }
	var out []netip.AddrPort
	for _, r := range relays {
		before := fwd(r)
		pkt, err := cr.packet()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := from.WriteToUDPAddrPort(pkt, r.LocalAddr()); err != nil {
			t.Fatal(err)
		}
		time.Sleep(200 * time.Millisecond) // virtual: one link delay and then some
		if fwd(r) > before {
			out = append(out, r.LocalAddr())
		}
	}
	if len(out) == 0 {
		t.Fatal("no relay forwards onion data to the target")
	}
	return out
}

// floodCrafter makes onion data requests (0x85) carrying friend requests
// from fresh random keys to one target, as an attacker would.
type floodCrafter struct {
	target key.PublicKey // long-term
	nospam key.Nospam
	temp   key.Pair         // the outer layer's sender key, the same every time
	outer  crypto.SharedKey // beforenm(target's data key, temp)
	rand   io.Reader
	n      int
}

func newFloodCrafter(id key.ToxID, dataPK key.PublicKey, r io.Reader) (*floodCrafter, error) {
	temp, err := key.NewPair(r)
	if err != nil {
		return nil, err
	}
	return &floodCrafter{target: id.PublicKey, nospam: id.Nospam, temp: temp, outer: crypto.Precompute(&dataPK, &temp.Secret), rand: r}, nil
}

// packet returns one request as it arrives at an announce node: the 0x85
// packet and a 177-byte return path (random: nothing comes back).
func (f *floodCrafter) packet() ([]byte, error) {
	f.n++
	sender, err := key.NewPair(f.rand)
	if err != nil {
		return nil, err
	}
	nonce, err := key.RandomNonce(f.rand)
	if err != nil {
		return nil, err
	}
	fr := onion.FriendRequest{Nospam: f.nospam, Message: []byte(fmt.Sprintf("add me, I am spammer number %d", f.n))}
	payload, err := fr.AppendBinary(nil)
	if err != nil {
		return nil, err
	}
	in := onion.DataInner{SenderPK: sender.Public, Sealed: crypto.Seal(nil, payload, &nonce, &f.target, &sender.Secret)}
	inner, err := in.AppendBinary(nil)
	if err != nil {
		return nil, err
	}
	req := onion.DataRequest{Dest: f.target, Nonce: nonce, TempPK: f.temp.Public, Sealed: crypto.SealShared(nil, inner, &nonce, &f.outer)}
	pkt, err := req.AppendBinary(nil)
	if err != nil {
		return nil, err
	}
	ret := make([]byte, onion.Return3Size)
	if _, err := io.ReadFull(f.rand, ret); err != nil {
		return nil, err
	}
	return append(pkt, ret...), nil
}

// flood sends count requests from conn, spread over the stores, in
// batches of floodBatch every floodEvery.
func (f *floodCrafter) flood(count int, conn *netsim.Conn, stores []netip.AddrPort) error {
	for i := range count {
		pkt, err := f.packet()
		if err != nil {
			return err
		}
		if _, err := conn.WriteToUDPAddrPort(pkt, stores[i%len(stores)]); err != nil {
			return err
		}
		if (i+1)%floodBatch == 0 {
			time.Sleep(floodEvery) // virtual: the attacker's sending rate
		}
	}
	return nil
}

func guardStats(t testing.TB, n *Node) friend.Stats {
	t.Helper()
	var s friend.Stats
	if err := n.Do(context.Background(), func(time.Time) { s = n.friends.Stats() }); err != nil {
		t.Fatal(err)
	}
	return s
}

// heapInUse returns the live heap after a collection, in bytes.
func heapInUse() float64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return float64(ms.HeapAlloc)
}

func maxDur(d []time.Duration) time.Duration {
	var m time.Duration
	for _, x := range d {
		m = max(m, x)
	}
	return m
}

func medianDur(d []time.Duration) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), d...)
	for i := range s { // insertion sort: a few dozen values
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	return s[len(s)/2]
}
