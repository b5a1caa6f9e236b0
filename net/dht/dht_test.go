package dht

import (
	"net/netip"
	"testing"
	"time"

	"parley/net/key"
	"parley/net/wire"
)

func hasNode(nodes []wire.Node, pk key.PublicKey) bool {
	for _, n := range nodes {
		if n.PK == pk {
			return true
		}
	}
	return false
}

func TestBootstrapTwoNodes(t *testing.T) {
	n := newTestNet(t, 1)
	a, b := n.add(addr4(1)), n.add(addr4(2))
	if a.Connected(n.now) || b.Connected(n.now) {
		t.Fatal("connected before bootstrap")
	}
	a.Bootstrap(n.now, addr4(2), b.Self())
	n.deliver()
	// b answered a's get-nodes: a lists b at once.
	if !hasNode(a.Nodes(n.now), b.Self()) {
		t.Fatalf("a does not list b after its reply")
	}
	// b queued a to be pinged; the ping goes out within TimeToPing.
	n.run(3*time.Second, 500*time.Millisecond)
	if !hasNode(b.Nodes(n.now), a.Self()) {
		t.Fatalf("b does not list a: %v", n)
	}
	if a.GoodNodes(n.now) != 1 || b.GoodNodes(n.now) != 1 {
		t.Fatalf("good nodes a=%d b=%d, want 1 each", a.GoodNodes(n.now), b.GoodNodes(n.now))
	}
	if !a.NonLANConnected(n.now) {
		t.Fatal("a not non-LAN connected")
	}
	if len(n.drops) != 0 {
		t.Fatalf("drops: %v", n.drops)
	}
	// b reports a's address when asked for nodes close to a: a's entry for
	// b records it (ret_ip_port with ret_ip_self).
	n.run(25*time.Second, time.Second)
	if got := a.SelfAddrs(n.now); len(got) != 1 || got[0] != addr4(1) {
		t.Fatalf("self addrs %v, want [%v]", got, addr4(1))
	}
}

func TestBootstrapSelfIsNoop(t *testing.T) {
	n := newTestNet(t, 1)
	a := n.add(addr4(1))
	a.Bootstrap(n.now, addr4(9), a.Self())
	if len(n.queue) != 0 {
		t.Fatalf("bootstrap off ourselves sent %d packets", len(n.queue))
	}
}

// TestListsFill bootstraps 40 nodes off one and checks that every node
// ends up knowing its closest peers.
func TestListsFill(t *testing.T) {
	n := newTestNet(t, 2)
	first := n.add(addr4(0))
	for i := 1; i < 40; i++ {
		d := n.add(addr4(i))
		d.Bootstrap(n.now, addr4(0), first.Self())
		n.run(time.Second, time.Second)
	}
	n.run(90*time.Second, time.Second)
	for _, a := range n.order {
		d := n.nodes[a]
		good := d.GoodNodes(n.now)
		if good < 8 {
			t.Errorf("%v knows %d good nodes", a, good)
		}
		for _, pk := range n.trueClosest(d.Self(), 3, d.Self()) {
			if !hasNode(d.Nodes(n.now), pk) {
				t.Errorf("%v does not list one of its 3 closest peers %s", a, pk.Short())
			}
		}
	}
	s := first.Stats()
	if s.GoodNodes != first.GoodNodes(n.now) || s.CloseNodes < s.GoodNodes || s.Buckets == 0 {
		t.Fatalf("stats %+v", s)
	}
	if n.drops[ErrUnsolicited.Error()] != 0 {
		t.Fatalf("drops without loss: %v", n.drops)
	}
}

// TestNodeTimeouts kills nodes and checks BAD_NODE_TIMEOUT (no longer
// returned or counted), KILL_NODE_TIMEOUT (no longer queried) and the
// revival of a close list whose every node is past it.
func TestNodeTimeouts(t *testing.T) {
	n := newTestNet(t, 3)
	a, b, c := n.add(addr4(1)), n.add(addr4(2)), n.add(addr4(3))
	b.Bootstrap(n.now, addr4(1), a.Self())
	c.Bootstrap(n.now, addr4(1), a.Self())
	n.run(30*time.Second, time.Second)
	if a.GoodNodes(n.now) != 2 {
		t.Fatalf("a has %d good nodes, want 2", a.GoodNodes(n.now))
	}
	dead := map[netip.AddrPort]bool{addr4(2): true}
	toB := 0
	n.block = func(p tpacket) bool { return dead[p.dst] || dead[p.src] }
	n.seen = func(p tpacket) {
		if p.src == addr4(1) && p.dst == addr4(2) {
			toB++
		}
	}
	// b was last heard at most ~20 s ago; give it BadNodeTimeout.
	n.run(BadNodeTimeout, time.Second)
	if hasNode(a.Nodes(n.now), b.Self()) || hasNode(a.Closest(b.Self(), 4, true), b.Self()) {
		t.Fatal("dead b still good after BadNodeTimeout")
	}
	if a.GoodNodes(n.now) != 1 {
		t.Fatalf("a has %d good nodes, want 1 (c)", a.GoodNodes(n.now))
	}
	if toB == 0 {
		t.Fatal("a never tried b while it was not yet killed")
	}
	n.run(KillNodeTimeout-BadNodeTimeout, time.Second)
	toB = 0
	n.run(3*PingInterval, time.Second)
	if toB != 0 {
		t.Fatalf("a sent %d packets to b after KillNodeTimeout while c is alive", toB)
	}
	// Now c dies too: once every close node is past KillNodeTimeout, a
	// resets them to bad and keeps querying them.
	dead[addr4(3)] = true
	n.run(KillNodeTimeout+2*time.Second, time.Second)
	toB = 0
	n.run(2*PingInterval, time.Second)
	if toB == 0 {
		t.Fatal("a gave up on its whole close list instead of reviving it")
	}
	if a.Connected(n.now) {
		t.Fatal("a connected with every node dead")
	}
	// b comes back: it answers and is good again.
	delete(dead, addr4(2))
	n.run(2*PingInterval, time.Second)
	if !hasNode(a.Nodes(n.now), b.Self()) {
		t.Fatal("revived b not good again")
	}
}

func TestTickCheapWhenIdle(t *testing.T) {
	n := newTestNet(t, 4)
	a, b := n.add(addr4(1)), n.add(addr4(2))
	a.Bootstrap(n.now, addr4(2), b.Self())
	n.run(30*time.Second, time.Second)
	dl := a.NextDeadline()
	if !dl.After(n.now) {
		t.Fatalf("deadline %v not after now %v", dl, n.now)
	}
	sent := len(n.queue)
	for i := 0; i < 100; i++ {
		a.Tick(n.now)
	}
	if len(n.queue) != sent {
		t.Fatal("ticks at the same instant sent packets")
	}
	// Nothing is due before the deadline.
	a.Tick(dl.Add(-time.Millisecond))
	if len(n.queue) != sent {
		t.Fatal("tick before the deadline sent packets")
	}
}

func TestFriendAnswersCallsOnAddr(t *testing.T) {
	n := newTestNet(t, 5)
	a, b := n.add(addr4(1)), n.add(addr4(2))
	var got []netip.AddrPort
	a.AddFriend(b.Self(), func(_ time.Time, addr netip.AddrPort) { got = append(got, addr) })
	if a.Stats().Friends != 1 {
		t.Fatal("friend not counted")
	}
	if _, ok := a.FriendAddr(n.now, b.Self()); ok {
		t.Fatal("friend address before contact")
	}
	a.Bootstrap(n.now, addr4(2), b.Self())
	n.deliver()
	if len(got) == 0 || got[0] != addr4(2) {
		t.Fatalf("onAddr calls %v, want %v", got, addr4(2))
	}
	if addr, ok := a.FriendAddr(n.now, b.Self()); !ok || addr != addr4(2) {
		t.Fatalf("FriendAddr = %v %v", addr, ok)
	}
	if !hasNode(a.FriendNodes(b.Self()), b.Self()) {
		t.Fatal("friend not in its own list")
	}
	// Reference counting: two registrations need two removals.
	release := a.AddFriendRef(b.Self(), nil)
	release()
	release() // harmless
	if a.Stats().Friends != 1 {
		t.Fatal("friend removed while a reference is held")
	}
	a.RemoveFriend(b.Self())
	if a.Stats().Friends != 0 || a.FriendNodes(b.Self()) != nil {
		t.Fatal("friend still there after its last reference")
	}
}

func TestFriendListKeepsClosest(t *testing.T) {
	n := newTestNet(t, 6)
	a := n.add(addr4(0))
	target := n.add(addr4(1)) // never contacted: a's friend
	a.AddFriend(target.Self(), nil)
	for i := 2; i < 40; i++ {
		d := n.add(addr4(i))
		d.Bootstrap(n.now, addr4(0), a.Self())
	}
	n.block = func(p tpacket) bool { return p.dst == addr4(1) || p.src == addr4(1) }
	n.run(60*time.Second, time.Second)
	got := a.FriendNodes(target.Self())
	if len(got) != FriendListSize {
		t.Fatalf("friend list has %d nodes, want %d", len(got), FriendListSize)
	}
	want := n.trueClosest(target.Self(), FriendListSize+1, target.Self())
	for _, pk := range want[:FriendListSize-2] {
		if !hasNode(got, pk) {
			t.Errorf("friend list misses close node %s", pk.Short())
		}
	}
}

func TestFakeFriendsGiveRandomNodes(t *testing.T) {
	n := newTestNet(t, 7)
	a := n.add(addr4(0))
	for i := 1; i < 20; i++ {
		d := n.add(addr4(i))
		d.Bootstrap(n.now, addr4(0), a.Self())
	}
	n.run(40*time.Second, time.Second)
	nodes := a.RandomNodes(4)
	if len(nodes) != 4 {
		t.Fatalf("RandomNodes gave %d", len(nodes))
	}
	if a.Stats().Friends != 0 {
		t.Fatal("fake friends counted as friends")
	}
}
