package tox

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"parley/net/friend"
	"parley/net/key"
	"parley/net/transport"
	"parley/net/wire"
)

// benchTimeout bounds every wait of the benchmarks (real time).
const benchTimeout = 60 * time.Second

// BenchmarkParleyToParleyConnect measures the time from starting two
// Parley clients to both being online for each other: A adds B by Tox ID
// through the onion, B accepts, the session comes up. The network is a
// netsim one with 20 ms links (±2 ms) and one relay-only Parley bootstrap
// node, as in TestSimChat.
//
// The time is real, not virtual: testing/synctest bubbles need a
// *testing.T, so a benchmark runs netsim on the real clock. The result is
// dominated by protocol timers (the nodes' 1 s ticks, the onion's announce
// and search intervals), which run the same in both; TestSimChat logs the
// virtual time of the same exchange for comparison.
func BenchmarkParleyToParleyConnect(b *testing.B) {
	var total time.Duration
	runs := 0
	for b.Loop() {
		runs++
		s := newSimNet(b, uint64(100+runs), simLink)
		s.startRelay("boot")
		start := time.Now()
		x := s.startNode("alice", s.listen(), nil)
		y := s.startNode("bob", s.listen(), nil)
		connectPair(b, x, y)
		total += time.Since(start)
		s.closeAll()
	}
	b.ReportMetric(total.Seconds()/float64(runs), "connect-s")
}

// connectPair has x add y by Tox ID, y accept the first request, and
// waits until each is online for the other.
func connectPair(b testing.TB, x, y *Node) {
	b.Helper()
	ctx := context.Background()
	xev, xstop := x.Subscribe()
	defer xstop()
	yev, ystop := y.Subscribe()
	defer ystop()
	id, err := y.ToxID(ctx)
	if err != nil {
		b.Fatal(err)
	}
	if err := x.AddFriend(ctx, id, "benchmark"); err != nil {
		b.Fatal(err)
	}
	req := waitEvent(b, yev, "friend request", friendEvent[FriendRequest](nil)).(FriendEvent).Event.(FriendRequest)
	if err := y.Accept(ctx, req.From); err != nil {
		b.Fatal(err)
	}
	waitEvent(b, xev, "y online", friendEvent(func(e FriendOnline) bool { return e.Friend == y.PublicKey() }))
	waitEvent(b, yev, "x online", friendEvent(func(e FriendOnline) bool { return e.Friend == x.PublicKey() }))
}

// waitEvent returns the first event on ch that matches, or fails after
// benchTimeout.
func waitEvent(b testing.TB, ch <-chan Event, what string, match func(Event) bool) Event {
	b.Helper()
	deadline := time.NewTimer(benchTimeout)
	defer deadline.Stop()
	for {
		select {
		case e, ok := <-ch:
			if !ok {
				b.Fatalf("event stream closed while waiting for %s", what)
			}
			if match(e) {
				return e
			}
		case <-deadline.C:
			b.Fatalf("no %s within %v", what, benchTimeout)
		}
	}
}

// loopbackPair starts a relay-only Parley node and two clients on
// 127.0.0.1 (real UDP sockets) and makes the clients friends. It returns
// the sender, the receiver and the sender's event stream.
func loopbackPair(b *testing.B) (x, y *Node, xev <-chan Event) {
	b.Helper()
	start := func(cfg Config) *Node {
		cfg.Listen = transport.Config{Ephemeral: true, BindAddr: netip.MustParseAddr("127.0.0.1")}
		cfg.LANDiscovery = true
		n, err := Start(cfg)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { n.Close() })
		return n
	}
	relay := start(Config{RelayOnly: true})
	boot := []wire.Node{{PK: relay.DHTPublicKey(), Addr: relay.LocalAddr()}}
	x = start(Config{Bootstrap: boot, Name: "sender"})
	y = start(Config{Bootstrap: boot, Name: "receiver"})
	connectPair(b, x, y)
	ev, stop := x.Subscribe()
	b.Cleanup(stop)
	return x, y, ev
}

// BenchmarkMessageRoundTrip measures the time from SendMessage to the
// message's Receipt between two Parley clients over loopback UDP: real
// sockets and the real kernel path, which is what a user runs (netsim on
// the real clock would add its timer's latency instead). A receipt is the
// peer's session acknowledgement, which Parley sends within 10 ms
// (session.AckDelay) unless other data carries it first, so the round trip
// is at least that.
func BenchmarkMessageRoundTrip(b *testing.B) {
	x, y, xev := loopbackPair(b)
	ctx := context.Background()
	var total time.Duration
	n := 0
	for b.Loop() {
		t0 := time.Now()
		ids, err := x.SendMessage(ctx, y.PublicKey(), MessageNormal, "ping")
		if err != nil {
			b.Fatal(err)
		}
		waitEvent(b, xev, "receipt", friendEvent(func(r Receipt) bool { return r.ID == ids[0] }))
		total += time.Since(t0)
		n++
	}
	b.ReportMetric(float64(total.Microseconds())/1000/float64(n), "rtt-ms")
}

// BenchmarkMessagesPerSecond measures sustained throughput between two
// Parley clients over loopback UDP: messages are sent as fast as the API
// takes them, with at most benchWindow unacknowledged, and the clock stops
// at the last receipt.
func BenchmarkMessagesPerSecond(b *testing.B) {
	x, y, xev := loopbackPair(b)
	for _, size := range []int{16, MaxMessageSize} {
		b.Run(fmt.Sprintf("bytes=%d", size), func(b *testing.B) {
			text := strings.Repeat("m", size)
			b.SetBytes(int64(size))
			start := time.Now()
			sendWindowed(b, x, y.PublicKey(), xev, text, b.N)
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "msgs/s")
		})
	}
}

// benchWindow bounds the unacknowledged messages of the throughput
// benchmark, well inside the session's 32768-packet send ring.
const benchWindow = 4096

// sendWindowed sends count copies of text to pk and waits for every
// receipt.
func sendWindowed(b *testing.B, x *Node, pk key.PublicKey, ev <-chan Event, text string, count int) {
	b.Helper()
	ctx := context.Background()
	isReceipt := friendEvent[Receipt](nil)
	acked := 0
	for sent := 0; sent < count; {
		if sent-acked >= benchWindow {
			waitEvent(b, ev, "receipt", isReceipt)
			acked++
			continue
		}
		if _, err := x.SendMessage(ctx, pk, MessageNormal, text); err != nil {
			if errors.Is(err, friend.ErrSend) { // the ring is full after all: wait
				waitEvent(b, ev, "receipt", isReceipt)
				acked++
				continue
			}
			b.Fatal(err)
		}
		sent++
	}
	for ; acked < count; acked++ {
		waitEvent(b, ev, "receipt", isReceipt)
	}
}
