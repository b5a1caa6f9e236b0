package tox

import (
	"context"
	"net/netip"
	"testing"
	"time"

	"parley/net/key"
	"parley/net/transport"
	"parley/net/wire"
)

// startLoopbackNode starts a node on 127.0.0.1 with a kernel-chosen port.
func startLoopbackNode(t *testing.T, boot ...wire.Node) *Node {
	t.Helper()
	n, err := Start(Config{
		Listen:       transport.Config{Ephemeral: true, BindAddr: netip.MustParseAddr("127.0.0.1")},
		Bootstrap:    boot,
		LANDiscovery: true, // answered only from LAN sources; tests never broadcast
		Logf:         t.Logf,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := n.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return n
}

// knows reports whether n has pk among its good close-list nodes.
func knows(t *testing.T, n *Node, pk key.PublicKey) bool {
	t.Helper()
	nodes, err := n.Nodes(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range nodes {
		if x.PK == pk {
			return true
		}
	}
	return false
}

// eventually polls cond until it holds or timeout passes. Polling a
// condition with a deadline is how tests wait for a real network; it is not
// a sleep standing in for the condition.
func eventually(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after %v: %s", timeout, what)
		}
		<-tick.C
	}
}
