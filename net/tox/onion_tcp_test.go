package tox

import (
	"context"
	"net"
	"net/netip"
	"sync/atomic"
	"testing"
	"time"

	"parley/net/key"
	"parley/net/wire"
)

// DisableUDP without a relay to run on is refused.
func TestDisableUDPNeedsRelays(t *testing.T) {
	if n, err := Start(Config{DisableUDP: true}); err == nil {
		n.Close()
		t.Fatal("Start without TCPRelays succeeded")
	}
}

// A DisableUDP node binds loopback only, sends nothing on its socket, dials
// its relay, and takes bootstrap nodes as onion hops (not DHT contacts).
func TestDisableUDPNoSocketTraffic(t *testing.T) {
	var dials atomic.Int32
	k, err := key.NewPair(nil)
	if err != nil {
		t.Fatal(err)
	}
	boot := wire.Node{PK: k.Public, Addr: netip.MustParseAddrPort("192.0.2.7:33445")}
	relay := relayNode(t, 9)
	n, err := Start(Config{
		DisableUDP: true,
		Bootstrap:  []wire.Node{boot},
		TCPRelays:  []wire.Node{relay},
		DialTCP: func(ctx context.Context, _ netip.AddrPort) (net.Conn, error) {
			dials.Add(1)
			<-ctx.Done()
			return nil, ctx.Err()
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	if a := n.LocalAddr().Addr(); !a.IsLoopback() {
		t.Fatalf("socket bound to %v, want loopback", a)
	}
	k2, err := key.NewPair(nil)
	if err != nil {
		t.Fatal(err)
	}
	extra := wire.Node{PK: k2.Public, Addr: netip.MustParseAddrPort("192.0.2.8:33445")}
	if err := n.Bootstrap(context.Background(), extra); err != nil {
		t.Fatal(err)
	}
	waitFor(t, n, "a relay dial and two onion ticks", func(now time.Time) bool {
		return dials.Load() > 0 && n.onion.Stats().PathNodes > 0
	})
	err = n.Do(context.Background(), func(now time.Time) {
		hops := n.tcpPathNodes()
		if len(hops) != 2 || hops[0] != boot || hops[1] != extra {
			t.Errorf("onion hops %v, want %v and %v", hops, boot, extra)
		}
		if got := len(n.dht.Nodes(now)); got != 0 {
			t.Errorf("%d DHT nodes", got)
		}
		if s := n.tr.Stats(); s.Sent != 0 || s.SendErrors != 0 {
			t.Errorf("socket: %d sent, %d send errors", s.Sent, s.SendErrors)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
}
