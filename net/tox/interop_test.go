//go:build interop

package tox

import (
	"context"
	"testing"
	"time"

	"parley/net/toxtest"
)

// Two Parley nodes that know only tox-bootstrapd find each other: each can
// only have learned the other from c-toxcore's send-nodes replies, so
// c-toxcore accepted both into its lists.
func TestInteropNodesMeetThroughBootstrapd(t *testing.T) {
	t.Parallel()
	bs := toxtest.StartBootstrapd(t)
	a := startLoopbackNode(t, bs.Node())
	b := startLoopbackNode(t, bs.Node())
	start := time.Now()
	eventually(t, 30*time.Second, "A and B never learned of each other through tox-bootstrapd", func() bool {
		return knows(t, a, b.DHTPublicKey()) && knows(t, b, a.DHTPublicKey())
	})
	t.Logf("A and B know each other after %v", time.Since(start))

	// A lookup for B's key from A ends at B itself.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	got, err := a.Lookup(ctx, b.DHTPublicKey(), 8)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) == 0 || got[0].PK != b.DHTPublicKey() || got[0].Addr != b.LocalAddr() {
		t.Fatalf("lookup of B from A: %v, want B (%s at %s) first", got, b.DHTPublicKey().Short(), b.LocalAddr())
	}
	st, err := a.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.DHT.Received.PingRequest == 0 || st.DHT.Received.NodesRequest == 0 {
		t.Fatalf("tox-bootstrapd never pinged or queried A: %+v", st.DHT.Received)
	}
}

// A c-toxcore peer with local discovery on bootstraps from a Parley node
// that sent it a LAN discovery packet (§4.3), and Parley lists it.
func TestInteropLANDiscovery(t *testing.T) {
	t.Parallel()
	p := toxtest.StartPeer(t, toxtest.PeerOptions{Name: "lan", LAN: true})
	n := startLoopbackNode(t)
	if err := n.SendLANDiscovery(p.Node().Addr); err != nil {
		t.Fatal(err)
	}
	eventually(t, 20*time.Second, "the c-toxcore peer never came into Parley's close list after LAN discovery", func() bool {
		return knows(t, n, p.DHTID)
	})
	// And the other way: a LAN discovery packet from c-toxcore makes
	// Parley bootstrap from it. c-toxcore broadcasts, which loopback does
	// not carry, so a second Parley node plays its part here.
	m := startLoopbackNode(t)
	if err := m.SendLANDiscovery(n.LocalAddr()); err != nil {
		t.Fatal(err)
	}
	eventually(t, 20*time.Second, "LAN discovery between two Parley nodes", func() bool {
		return knows(t, n, m.DHTPublicKey())
	})
}
