//go:build interop

package tox

import (
	"net/netip"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"parley/net/key"
	"parley/net/toxtest"
	"parley/net/transport"
	"parley/net/wire"
)

// gateConn drops every datagram both ways while down: a network outage.
type gateConn struct {
	transport.PacketConn
	down atomic.Bool
}

func (g *gateConn) ReadFromUDPAddrPort(b []byte) (int, netip.AddrPort, error) {
	for {
		n, a, err := g.PacketConn.ReadFromUDPAddrPort(b)
		if err != nil || !g.down.Load() {
			return n, a, err
		}
	}
}

func (g *gateConn) WriteToUDPAddrPort(b []byte, a netip.AddrPort) (int, error) {
	if g.down.Load() {
		return len(b), nil
	}
	return g.PacketConn.WriteToUDPAddrPort(b, a)
}

// parleyReconnect measures, for two Parley friends on loopback, the time
// from the restart of one until it is online with the other again, with
// or without the peer cache.
func parleyReconnect(t testing.TB, bs wire.Node, cache bool) time.Duration {
	a, b := newLoopPeer(t, "alice", bs), newLoopPeer(t, "bob", bs)
	if cache {
		a.cache = filepath.Join(t.TempDir(), "alice.peers")
	}
	a.friends, b.friends = []key.PublicKey{b.keys.Public}, []key.PublicKey{a.keys.Public}
	a.start()
	b.start()
	waitOnlineEvent(t, a.ev, b.keys.Public, chatTimeout)
	a.stop()
	started := a.start()
	waitOnlineEvent(t, a.ev, b.keys.Public, 3*chatTimeout)
	return time.Since(started)
}

// toxcoreReconnect: the same for two c-toxcore peers, one restarted from
// its savedata on the same port.
func toxcoreReconnect(t testing.TB, bs wire.Node) time.Duration {
	k1, _ := key.NewPair(nil)
	k2, _ := key.NewPair(nil)
	c1 := toxtest.StartPeer(t, toxtest.PeerOptions{Name: "c1", SecretKey: &k1.Secret, Bootstrap: []wire.Node{bs}})
	c2 := toxtest.StartPeer(t, toxtest.PeerOptions{Name: "c2", SecretKey: &k2.Secret, Bootstrap: []wire.Node{bs}})
	f1 := c1.FriendAddNoRequest(k2.Public)
	c2.FriendAddNoRequest(k1.Public)
	connected := func(f uint32) func(toxtest.Event) bool {
		return func(e toxtest.Event) bool {
			return e.Name == "friend_connection" && e.Arg(0) == toxtest.FriendArg(f) && e.Arg(1) != "none"
		}
	}
	c1.MustWait(chatTimeout, connected(f1))
	save := filepath.Join(t.TempDir(), "c1.tox")
	c1.Save(save, "")
	port := c1.Port
	if err := c1.Close(); err != nil {
		t.Fatal(err)
	}
	started := time.Now()
	c1 = toxtest.StartPeer(t, toxtest.PeerOptions{Name: "c1b", Savedata: save, StartPort: port, EndPort: port, Bootstrap: []wire.Node{bs}})
	c1.MustWait(3*chatTimeout, connected(f1))
	return time.Since(started)
}

// parleyOutage: both Parley friends online, then alice's network is down
// for outage; the time from its return until a queued message is
// delivered.
func parleyOutage(t testing.TB, bs wire.Node, outage time.Duration) time.Duration {
	a, b := newLoopPeer(t, "alice", bs), newLoopPeer(t, "bob", bs)
	a.friends, b.friends = []key.PublicKey{b.keys.Public}, []key.PublicKey{a.keys.Public}
	conn, err := transport.Listen(transport.Config{Ephemeral: true, BindAddr: netip.MustParseAddr("127.0.0.1")})
	if err != nil {
		t.Fatal(err)
	}
	gate := &gateConn{PacketConn: conn}
	n, err := Start(Config{Conn: gate, Bootstrap: []wire.Node{bs}, Self: a.keys, Friends: a.friends,
		OutboxPath: a.outbox, Logf: func(string, ...any) {}})
	if err != nil {
		t.Fatal(err)
	}
	ch, cancel := n.Subscribe()
	a.n, a.ev, a.cancel = n, &events{t: t, name: "alice", ch: ch}, cancel
	b.start()
	waitOnlineEvent(t, a.ev, b.keys.Public, chatTimeout)
	gate.down.Store(true)
	time.Sleep(outage) // the outage itself, not a wait for a condition
	id := queue(t, a.n, b.keys.Public, "after the outage")
	back := time.Now()
	gate.down.Store(false)
	waitDelivered(t, a.ev, id, 3*chatTimeout)
	return time.Since(back)
}

// toxcoreOutage: two c-toxcore friends online, then c1 is frozen (SIGSTOP)
// for outage; the time from its thaw until a message it sends then is
// receipted.
func toxcoreOutage(t testing.TB, bs wire.Node, outage time.Duration) time.Duration {
	k1, _ := key.NewPair(nil)
	k2, _ := key.NewPair(nil)
	c1 := toxtest.StartPeer(t, toxtest.PeerOptions{Name: "o1", SecretKey: &k1.Secret, Bootstrap: []wire.Node{bs}})
	c2 := toxtest.StartPeer(t, toxtest.PeerOptions{Name: "o2", SecretKey: &k2.Secret, Bootstrap: []wire.Node{bs}})
	f1 := c1.FriendAddNoRequest(k2.Public)
	c2.FriendAddNoRequest(k1.Public)
	c1.MustWait(chatTimeout, func(e toxtest.Event) bool {
		return e.Name == "friend_connection" && e.Arg(0) == toxtest.FriendArg(f1) && e.Arg(1) != "none"
	})
	if err := c1.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	time.Sleep(outage) // the outage itself, not a wait for a condition
	back := time.Now()
	if err := c1.Signal(syscall.SIGCONT); err != nil {
		t.Fatal(err)
	}
	// The message is refused until the friend connection is back; retry.
	deadline := time.Now().Add(3 * chatTimeout)
	for {
		mark := c1.Mark()
		reply, err := c1.Do("send", toxtest.FriendArg(f1), "normal", toxtest.Hex("after the outage"))
		if err == nil && len(reply) > 0 {
			id, perr := strconv.ParseUint(reply[0], 10, 32)
			if perr != nil {
				t.Fatalf("send reply %v", reply)
			}
			if _, err := c1.Wait(chatTimeout, toxtest.Since(mark, toxtest.Is("receipt", toxtest.FriendArg(f1), toxtest.FriendArg(uint32(id))))); err == nil {
				return time.Since(back)
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("c-toxcore never delivered after the outage: %v", err)
		}
		c1.Wait(time.Second, toxtest.Since(mark, toxtest.Is("friend_connection", toxtest.FriendArg(f1)))) // paces the retry on a state change, at most 1 s
	}
}

// BenchmarkReconnect prints, in one run, how long a friend takes to be
// back: after the sender restarts (Parley with and without its peer cache,
// c-toxcore from its savedata) and after a 30 s outage (Parley's socket
// dropping everything; a c-toxcore peer frozen with SIGSTOP). It asserts
// nothing. About two minutes.
func BenchmarkReconnect(b *testing.B) {
	for _, sc := range []struct {
		name string
		run  func(t testing.TB, bs wire.Node) time.Duration
	}{
		{"parley-restart-cache", func(t testing.TB, bs wire.Node) time.Duration { return parleyReconnect(t, bs, true) }},
		{"parley-restart-nocache", func(t testing.TB, bs wire.Node) time.Duration { return parleyReconnect(t, bs, false) }},
		{"toxcore-restart", toxcoreReconnect},
		{"parley-outage-30s", func(t testing.TB, bs wire.Node) time.Duration { return parleyOutage(t, bs, 30*time.Second) }},
		{"toxcore-outage-30s", func(t testing.TB, bs wire.Node) time.Duration { return toxcoreOutage(t, bs, 30*time.Second) }},
	} {
		b.Run(sc.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				bs := toxtest.StartBootstrapd(b).Node()
				b.ReportMetric(sc.run(b, bs).Seconds(), "reconnect-s")
			}
		})
	}
}
