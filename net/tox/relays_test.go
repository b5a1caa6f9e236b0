package tox

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"sync/atomic"
	"testing"
	"time"

	"parley/net/key"
	"parley/net/transport"
	"parley/net/wire"
)

func relayNode(t *testing.T, port uint16) wire.Node {
	t.Helper()
	k, err := key.NewPair(nil)
	if err != nil {
		t.Fatal(err)
	}
	return wire.Node{PK: k.Public, Addr: netip.AddrPortFrom(netip.MustParseAddr("192.0.2.1"), port), TCP: true}
}

// waitFor polls cond on the node loop until it holds or 5 s pass.
func waitFor(t *testing.T, n *Node, what string, cond func(now time.Time) bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		ok := false
		if err := n.Do(context.Background(), func(now time.Time) { ok = cond(now) }); err != nil {
			t.Fatal(err)
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond) // polling a condition with a deadline
	}
}

// The node dials its configured relays (at most MaxTCPRelays), and Close
// ends the attempts: every dial returns before Close does.
func TestRelayDialsEndOnClose(t *testing.T) {
	var dials, active atomic.Int32
	relays := []wire.Node{relayNode(t, 1), relayNode(t, 2), relayNode(t, 3), relayNode(t, 4)}
	n, err := Start(Config{
		Listen:    transport.Config{Ephemeral: true, BindAddr: netip.MustParseAddr("127.0.0.1")},
		TCPRelays: relays,
		DialTCP: func(ctx context.Context, _ netip.AddrPort) (net.Conn, error) {
			dials.Add(1)
			active.Add(1)
			defer active.Add(-1)
			<-ctx.Done() // a relay that never answers
			return nil, ctx.Err()
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, n, "three dials", func(time.Time) bool { return dials.Load() == MaxTCPRelays })
	if err := n.Close(); err != nil {
		t.Fatal(err)
	}
	if a := active.Load(); a != 0 {
		t.Fatalf("%d dials still running after Close", a)
	}
	if d := dials.Load(); d != MaxTCPRelays {
		t.Fatalf("%d dials, want %d", d, MaxTCPRelays)
	}
}

// A relay that refuses is retried only after the backoff.
func TestRelayBackoff(t *testing.T) {
	var dials atomic.Int32
	refused := errors.New("refused")
	r := relayNode(t, 5)
	n, err := Start(Config{
		Listen:    transport.Config{Ephemeral: true, BindAddr: netip.MustParseAddr("127.0.0.1")},
		TCPRelays: []wire.Node{r},
		DialTCP: func(context.Context, netip.AddrPort) (net.Conn, error) {
			dials.Add(1)
			return nil, refused
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	waitFor(t, n, "a failed attempt", func(now time.Time) bool {
		x := n.relays[r.PK]
		return x.failures == 1 && x.link == nil
	})
	if err := n.Do(context.Background(), func(now time.Time) {
		x := n.relays[r.PK]
		if wait := x.retryAt.Sub(now); wait < relayRetryMin-time.Second || wait > relayRetryMin {
			t.Errorf("retry in %v, want about %v", wait, relayRetryMin)
		}
		if len(n.announceNodes()) != 0 && n.announceNodes()[0].TCP {
			t.Error("a relay that is not connected is announced")
		}
	}); err != nil {
		t.Fatal(err)
	}
	if d := dials.Load(); d != 1 {
		t.Fatalf("%d dials before the backoff ended", d)
	}
}
