package tox

import (
	"context"
	"testing"
	"time"

	"parley/net/key"
	"parley/net/netsim"
	"parley/net/onion"
	"parley/net/wire"
)

// BenchmarkFriendRequestFlood measures what one flood request costs the
// target node itself, in real time: pre-built onion data packets (0x86,
// what the last hop of Bob's onion path hands him) carrying friend
// requests from fresh random keys with Bob's nospam are sent straight to
// Bob's socket over a zero-delay netsim link, and the clock stops when
// Bob's friend layer has counted them all. Each costs Bob two X25519 box
// openings, the request checks and the rate limiter. (c-toxcore, like
// Parley, takes 0x86 from whichever node sends it, so an attacker who
// knows Bob's address can do exactly this.) The reported requests/s is
// how large a flood Bob's node absorbs with one core.
func BenchmarkFriendRequestFlood(b *testing.B) {
	s := newSimNet(b, 9, netsim.Link{})
	s.startRelays("relay", 4)
	y := s.startNode("bob", s.listen(), nil)
	m := s.startNode("mallory", s.listen(), nil)
	id, err := y.ToxID(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	if err := m.AddFriend(context.Background(), id, "let me in"); err != nil {
		b.Fatal(err)
	}
	dataPK := pollDataKey(b, m, y.PublicKey())
	cr, err := newFloodCrafter(id, dataPK, s.rand("flood"))
	if err != nil {
		b.Fatal(err)
	}
	attacker := s.listen()
	const chunk = 512 // within Bob's netsim queue (1024) and inbox (4096)
	pkts := make([][]byte, 0, chunk)
	for b.Loop() {
		b.StopTimer()
		pkts = pkts[:0]
		for range chunk {
			p, err := cr.packet()
			if err != nil {
				b.Fatal(err)
			}
			pkts = append(pkts, dataResponseOf(p))
		}
		base := guardStats(b, y).RequestsReceived
		b.StartTimer()
		for _, p := range pkts {
			if _, err := attacker.WriteToUDPAddrPort(p, y.LocalAddr()); err != nil {
				b.Fatal(err)
			}
		}
		waitReceived(b, y, base+chunk)
	}
	b.ReportMetric(float64(b.N*chunk)/b.Elapsed().Seconds(), "requests/s")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*chunk), "ns/request")
}

// dataResponseOf turns an onion data request as it reaches an announce
// node (0x85 | dest | rest | 177-byte return) into what the target
// receives: 0x86 | rest.
func dataResponseOf(req []byte) []byte {
	rest := req[1+key.Size : len(req)-onion.Return3Size]
	return append([]byte{byte(wire.KindOnionDataResponse)}, rest...)
}

// pollDataKey waits, in real time, for m's onion search to find pk's
// data key.
func pollDataKey(b testing.TB, m *Node, pk key.PublicKey) key.PublicKey {
	b.Helper()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(benchTimeout)
	for {
		var st onion.FriendStatus
		if err := m.Do(context.Background(), func(now time.Time) { st, _ = m.onion.FriendStatus(now, pk) }); err != nil {
			b.Fatal(err)
		}
		if st.Found && !st.DataPK.IsZero() {
			return st.DataPK
		}
		select {
		case <-tick.C:
		case <-deadline:
			b.Fatalf("the onion search never found %s", pk.Short())
		}
	}
}

// waitReceived polls until n's friend layer has counted want requests.
func waitReceived(b testing.TB, n *Node, want uint64) {
	b.Helper()
	tick := time.NewTicker(200 * time.Microsecond)
	defer tick.Stop()
	deadline := time.After(benchTimeout)
	for guardStats(b, n).RequestsReceived < want {
		select {
		case <-tick.C:
		case <-deadline:
			st := nodeStats(b, n)
			b.Fatalf("only %d of %d requests counted (inbox drops %d, drops %v)", guardStats(b, n).RequestsReceived, want, st.InboxDrops, st.Drops)
		}
	}
}
