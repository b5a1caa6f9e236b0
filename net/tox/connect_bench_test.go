//go:build interop

package tox

import (
	"context"
	"net/netip"
	"testing"
	"time"

	"parley/net/friend"
	"parley/net/key"
	"parley/net/toxtest"
	"parley/net/transport"
	"parley/net/wire"
)

// BenchmarkConnect measures, in one run on loopback with one tox-bootstrapd,
// the time from start to friend-connected (both sides online after a
// friend request and its acceptance) for c-toxcore↔c-toxcore,
// Parley↔c-toxcore and Parley↔Parley, and the message round trip (send to
// delivery receipt) on each established pair. It prints; it asserts nothing.
func BenchmarkConnect(b *testing.B) {
	for i := 0; i < b.N; i++ {
		bs := toxtest.StartBootstrapd(b)
		boot := []wire.Node{bs.Node()}

		// c-toxcore ↔ c-toxcore.
		t0 := time.Now()
		x := toxtest.StartPeer(b, toxtest.PeerOptions{Name: "x", Bootstrap: boot})
		y := toxtest.StartPeer(b, toxtest.PeerOptions{Name: "y", Bootstrap: boot, AutoAccept: true})
		xf := x.FriendAdd(y.Address, "bench")
		x.MustWait(chatTimeout, connectedTo(xf))
		y.MustWait(chatTimeout, toxtest.Is("friend_connection"))
		cc := time.Since(t0)
		ccRTT := toxcoreRTT(b, x, xf)

		// Parley ↔ c-toxcore.
		t0 = time.Now()
		c := toxtest.StartPeer(b, toxtest.PeerOptions{Name: "c", Bootstrap: boot, AutoAccept: true})
		p := benchClient(b, "p", boot)
		ctx := context.Background()
		if err := p.AddFriend(ctx, c.Address, "bench"); err != nil {
			b.Fatal(err)
		}
		waitOnline(b, p, c.PublicKey)
		pc := time.Since(t0)
		pcRTT := parleyRTT(b, p, c.PublicKey)

		// Parley ↔ Parley.
		t0 = time.Now()
		a := benchClient(b, "a", boot)
		z := benchClient(b, "z", boot)
		zid, err := z.ToxID(ctx)
		if err != nil {
			b.Fatal(err)
		}
		zEvents, stop := z.Subscribe()
		if err := a.AddFriend(ctx, zid, "bench"); err != nil {
			b.Fatal(err)
		}
		acceptFirstRequest(b, z, zEvents)
		stop()
		waitOnline(b, a, z.PublicKey())
		pp := time.Since(t0)
		ppRTT := parleyRTT(b, a, z.PublicKey())

		b.ReportMetric(cc.Seconds(), "toxcore-toxcore-connect-s")
		b.ReportMetric(pc.Seconds(), "parley-toxcore-connect-s")
		b.ReportMetric(pp.Seconds(), "parley-parley-connect-s")
		b.ReportMetric(pp.Seconds()/cc.Seconds(), "parley-parley/toxcore-toxcore")
		b.ReportMetric(float64(ccRTT.Microseconds())/1000, "toxcore-rtt-ms")
		b.ReportMetric(float64(pcRTT.Microseconds())/1000, "parley-toxcore-rtt-ms")
		b.ReportMetric(float64(ppRTT.Microseconds())/1000, "parley-parley-rtt-ms")
	}
}

func connectedTo(f uint32) func(toxtest.Event) bool {
	arg := toxtest.FriendArg(f)
	return func(e toxtest.Event) bool {
		return e.Name == "friend_connection" && e.Arg(0) == arg && e.Arg(1) != "none"
	}
}

// benchClient is startClient for benchmarks (no per-line test logging).
func benchClient(b *testing.B, name string, boot []wire.Node) *Node {
	b.Helper()
	n, err := Start(Config{Listen: transport.Config{Ephemeral: true, BindAddr: netip.MustParseAddr("127.0.0.1")}, Bootstrap: boot, LANDiscovery: true, Name: name})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { n.Close() })
	return n
}

// waitOnline waits until friend pk is online on n.
func waitOnline(b *testing.B, n *Node, pk key.PublicKey) {
	b.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), chatTimeout)
	defer cancel()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		fs, err := n.Friends(ctx)
		if err != nil {
			b.Fatal(err)
		}
		for _, f := range fs {
			if f.PK == pk && f.State == friend.StateOnline {
				return
			}
		}
		select {
		case <-ctx.Done():
			b.Fatalf("friend %x never came online", pk[:4])
		case <-tick.C:
		}
	}
}

func acceptFirstRequest(b *testing.B, n *Node, ev <-chan Event) {
	b.Helper()
	deadline := time.After(chatTimeout)
	for {
		select {
		case e := <-ev:
			if fe, ok := e.(FriendEvent); ok {
				if r, ok := fe.Event.(FriendRequest); ok {
					if err := n.Accept(context.Background(), r.From); err != nil {
						b.Fatal(err)
					}
					return
				}
			}
		case <-deadline:
			b.Fatal("no friend request")
		}
	}
}

const rttSamples = 20

// parleyRTT is the mean time from SendMessage to its Receipt.
func parleyRTT(b *testing.B, n *Node, to key.PublicKey) time.Duration {
	b.Helper()
	ev, stop := n.Subscribe()
	defer stop()
	var total time.Duration
	for i := 0; i < rttSamples; i++ {
		t0 := time.Now()
		ids, err := n.SendMessage(context.Background(), to, MessageNormal, "ping")
		if err != nil {
			b.Fatal(err)
		}
		for got := false; !got; {
			select {
			case e := <-ev:
				if fe, ok := e.(FriendEvent); ok {
					if r, ok := fe.Event.(Receipt); ok && r.ID == ids[0] {
						got = true
					}
				}
			case <-time.After(chatTimeout):
				b.Fatal("no receipt")
			}
		}
		total += time.Since(t0)
	}
	return total / rttSamples
}

// toxcoreRTT is the same for a c-toxcore peer (it includes the test
// peer's stdin/stdout hops, a few hundred microseconds).
func toxcoreRTT(b *testing.B, p *toxtest.Peer, f uint32) time.Duration {
	b.Helper()
	var total time.Duration
	for i := 0; i < rttSamples; i++ {
		t0 := time.Now()
		mark := p.Mark()
		id := p.Send(f, "ping")
		p.MustWait(chatTimeout, toxtest.Since(mark, toxtest.Is("receipt", toxtest.FriendArg(f), toxtest.FriendArg(id))))
		total += time.Since(t0)
	}
	return total / rttSamples
}
