//go:build interop

package tox

import (
	"context"
	"testing"
	"time"

	"parley/net/toxtest"
	"parley/net/wire"
)

// Parley without UDP (tox-bootstrapd as its only TCP relay) and a plain
// c-toxcore peer on UDP: Parley's friend request reaches the peer over
// the onion through the relay, the friend connection runs through the
// relay, and messages go both ways with receipts. Two more c-toxcore
// peers fill the DHT so that onion paths have nodes.
func TestInteropOnionOverTCP(t *testing.T) {
	t.Parallel()
	bs := startFilledBootstrapd(t)
	c := toxtest.StartPeer(t, toxtest.PeerOptions{Name: "c", SelfName: "toxcore-udp", Bootstrap: []wire.Node{bs.Node()}})
	p, ev := startClientWith(t, "parley", Config{
		DisableUDP: true,
		Bootstrap:  []wire.Node{bs.Node()},
		TCPRelays:  []wire.Node{bs.TCPNode()},
	})
	ctx := context.Background()
	start := time.Now()
	ev.wait(chatTimeout, "onion connected over TCP", func(e Event) bool {
		sc, ok := e.(SelfConnection)
		return ok && sc.Onion
	})
	t.Logf("onion connected after %v", time.Since(start))
	if err := p.AddFriend(ctx, c.Address, "hello over the TCP onion"); err != nil {
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
	if !conn.Relayed {
		t.Fatalf("friend connection %+v, want relayed", conn)
	}
	exchange(t, p, ev, c, cf, start)

	// The other direction: a c-toxcore peer's request reaches Parley over
	// the onion through the relay.
	d := toxtest.StartPeer(t, toxtest.PeerOptions{Name: "d", SelfName: "toxcore-udp-2", Bootstrap: []wire.Node{bs.Node()}})
	start = time.Now()
	tid, err := p.ToxID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	df := d.FriendAdd(tid, "hello to a TCP-only node")
	ev.wait(chatTimeout, "friend request from d", friendEvent(func(e FriendRequest) bool { return e.From == d.PublicKey }))
	t.Logf("d's request arrived after %v", time.Since(start))
	if err := p.Accept(ctx, d.PublicKey); err != nil {
		t.Fatal(err)
	}
	conn = ev.wait(chatTimeout, "relayed friend connection to d", func(e Event) bool {
		fc, ok := e.(FriendConnection)
		return ok && fc.Friend == d.PublicKey && fc.Connected
	}).(FriendConnection)
	if !conn.Relayed {
		t.Fatalf("friend connection %+v, want relayed", conn)
	}
	// The session is up; messages go once d's ONLINE packet has come.
	waitOnlineEvent(t, ev, d.PublicKey, chatTimeout)
	// Messages both ways with receipts (exchange's profile checks would
	// wait for changes d saw when it connected).
	f := toxtest.FriendArg(df)
	mark := d.Mark()
	ids, err := p.SendMessage(ctx, d.PublicKey, MessageNormal, "to d over TCP")
	if err != nil || len(ids) != 1 {
		t.Fatalf("send: %v %v", ids, err)
	}
	d.MustWait(chatTimeout, toxtest.Since(mark, toxtest.Is("message", f, "normal", toxtest.Hex("to d over TCP"))))
	ev.wait(chatTimeout, "receipt from d", friendEvent(func(r Receipt) bool { return r.ID == ids[0] }))
	mark = d.Mark()
	id := d.Send(df, "from d over TCP")
	ev.wait(chatTimeout, "message from d", friendEvent(func(r MessageReceived) bool {
		return r.Friend == d.PublicKey && r.Text == "from d over TCP"
	}))
	d.MustWait(chatTimeout, toxtest.Since(mark, toxtest.Is("receipt", f, toxtest.FriendArg(id))))
	assertNoUDP(t, p)
}

// assertNoUDP checks that the node never put a packet on its socket.
func assertNoUDP(t *testing.T, p *Node) {
	t.Helper()
	var sent uint64
	if err := p.Do(context.Background(), func(time.Time) { sent = p.tr.Stats().Sent }); err != nil {
		t.Fatal(err)
	}
	if sent != 0 {
		t.Fatalf("%d UDP packets sent with DisableUDP", sent)
	}
}
