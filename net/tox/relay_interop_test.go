//go:build interop

package tox

import (
	"context"
	"net/netip"
	"testing"
	"time"

	"parley/net/toxtest"
	"parley/net/transport"
	"parley/net/wire"
)

// A c-toxcore peer without UDP (TCP relays only) and Parley, on UDP with
// tox-bootstrapd as its TCP relay, become friends and chat: the session
// can only run through the relay. Parley reports the link as relayed and
// c-toxcore sees a TCP friend connection. Two plain c-toxcore peers fill
// the DHT so that both sides can build onion paths.
func TestInteropChatThroughTCPRelay(t *testing.T) {
	t.Parallel()
	bs := startFilledBootstrapd(t)
	c := toxtest.StartPeer(t, toxtest.PeerOptions{Name: "c", SelfName: "toxcore-tcp", DisableUDP: true,
		Bootstrap: []wire.Node{bs.Node(), bs.TCPNode()}})
	p, ev := startClientWith(t, "parley", Config{
		Listen:    transport.Config{Ephemeral: true, BindAddr: netip.MustParseAddr("127.0.0.1")},
		Bootstrap: []wire.Node{bs.Node()},
		TCPRelays: []wire.Node{bs.TCPNode()},
	})
	ctx := context.Background()
	start := time.Now()
	if err := p.AddFriend(ctx, c.Address, "hello over TCP"); err != nil {
		t.Fatal(err)
	}
	req := c.MustWait(chatTimeout, toxtest.Is("friend_request"))
	if pk, err := req.PublicKey(0); err != nil || pk != p.PublicKey() {
		t.Fatalf("request from %v (%v), want %s", pk, err, p.PublicKey())
	}
	t.Logf("request arrived after %v", time.Since(start))
	cf := c.FriendAddNoRequest(p.PublicKey())
	conn := ev.wait(chatTimeout, "relayed friend connection", func(e Event) bool {
		fc, ok := e.(FriendConnection)
		return ok && fc.Friend == c.PublicKey && fc.Connected
	}).(FriendConnection)
	if !conn.Relayed || conn.Addr != "tcp via "+bs.TCPNode().Addr.String() {
		t.Fatalf("friend connection %+v, want relayed via %v", conn, bs.TCPNode().Addr)
	}
	exchange(t, p, ev, c, cf, start)
	for _, e := range c.Events() {
		if e.Name == "friend_connection" && e.Arg(0) == toxtest.FriendArg(cf) && e.Arg(1) != "tcp" && e.Arg(1) != "none" {
			t.Fatalf("c-toxcore saw a %s connection; only TCP is possible", e.Arg(1))
		}
	}
}

// startFilledBootstrapd starts tox-bootstrapd and two plain c-toxcore
// peers on it: with the daemon alone the onion has too few nodes to build
// paths.
func startFilledBootstrapd(t *testing.T) *toxtest.Bootstrapd {
	t.Helper()
	bs := toxtest.StartBootstrapd(t)
	for _, name := range []string{"fill1", "fill2"} {
		toxtest.StartPeer(t, toxtest.PeerOptions{Name: name, Bootstrap: []wire.Node{bs.Node()}})
	}
	return bs
}
