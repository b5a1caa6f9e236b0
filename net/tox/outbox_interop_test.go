//go:build interop

package tox

import (
	"context"
	"net/netip"
	"path/filepath"
	"testing"
	"time"

	"parley/net/key"
	"parley/net/toxtest"
	"parley/net/transport"
	"parley/net/wire"
)

// loopPeer is a Parley client on 127.0.0.1 with fixed keys, an outbox and
// (for the benchmark) a peer cache, restartable as the same user.
type loopPeer struct {
	t       testing.TB
	name    string
	keys    key.Pair
	outbox  string
	cache   string
	port    uint16 // kept across restarts once bound
	friends []key.PublicKey
	boot    []wire.Node
	n       *Node
	ev      *events
	cancel  func()
}

func newLoopPeer(t testing.TB, name string, boot ...wire.Node) *loopPeer {
	t.Helper()
	k, err := key.NewPair(nil)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	p := &loopPeer{t: t, name: name, keys: k, boot: boot,
		outbox: filepath.Join(dir, name+".outbox")}
	t.Cleanup(p.stop)
	return p
}

func (p *loopPeer) start() time.Time {
	p.t.Helper()
	lc := transport.Config{Ephemeral: p.port == 0, BindAddr: netip.MustParseAddr("127.0.0.1")}
	if p.port != 0 {
		lc.Port = p.port
	}
	started := time.Now()
	n, err := Start(Config{
		Listen:        lc,
		Bootstrap:     p.boot,
		LANDiscovery:  true,
		Name:          p.name,
		Self:          p.keys,
		Friends:       p.friends,
		OutboxPath:    p.outbox,
		PeerCachePath: p.cache,
		Logf:          func(f string, a ...any) { p.t.Logf(p.name+": "+f, a...) },
	})
	if err != nil {
		p.t.Fatal(err)
	}
	p.port = n.LocalAddr().Port()
	ch, cancel := n.Subscribe()
	p.n, p.ev, p.cancel = n, &events{t: p.t, name: p.name, ch: ch}, cancel
	return started
}

func (p *loopPeer) stop() {
	if p.n == nil {
		return
	}
	p.cancel()
	if err := p.n.Close(); err != nil {
		p.t.Errorf("close %s: %v", p.name, err)
	}
	p.n = nil
}

// Messages queued to an offline c-toxcore friend, before and after a
// restart of the Parley sender, arrive at c-toxcore exactly once and in
// order once it comes online.
func TestInteropOutboxToToxcore(t *testing.T) {
	t.Parallel()
	bs := toxtest.StartBootstrapd(t)
	csk, err := key.NewPair(nil)
	if err != nil {
		t.Fatal(err)
	}
	p := newLoopPeer(t, "parley", bs.Node())
	p.friends = []key.PublicKey{csk.Public}
	p.start()
	first := offlineTexts("before restart")
	for _, m := range first {
		queue(t, p.n, csk.Public, m)
	}
	p.stop()
	p.start()
	second := []string{"after restart 1", "after restart 2"}
	var last OutboxID
	for _, m := range second {
		last = queue(t, p.n, csk.Public, m)
	}
	// c-toxcore comes online only now.
	c := toxtest.StartPeer(t, toxtest.PeerOptions{Name: "c", SecretKey: &csk.Secret, Bootstrap: []wire.Node{bs.Node()}})
	cf := c.FriendAddNoRequest(p.keys.Public)
	waitDelivered(t, p.ev, last, chatTimeout)
	marker := "marker"
	f := toxtest.FriendArg(cf)
	waitDelivered(t, p.ev, queue(t, p.n, csk.Public, marker), chatTimeout)
	c.MustWait(chatTimeout, toxtest.Is("message", f, "normal", toxtest.Hex(marker)))
	var got []string
	for _, e := range c.Events() {
		if e.Name == "message" && e.Arg(0) == f {
			text, err := e.Text(2)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, text)
		}
	}
	sameTexts(t, got, wireParts(append(append(first, second...), marker)...))
}

// The same between two Parley peers on loopback: the receiver is offline
// (not started) while the sender queues and restarts.
func TestInteropOutboxToParley(t *testing.T) {
	t.Parallel()
	bs := toxtest.StartBootstrapd(t)
	a, b := newLoopPeer(t, "alice", bs.Node()), newLoopPeer(t, "bob", bs.Node())
	a.friends, b.friends = []key.PublicKey{b.keys.Public}, []key.PublicKey{a.keys.Public}
	a.start()
	first := offlineTexts("before restart")
	for _, m := range first {
		queue(t, a.n, b.keys.Public, m)
	}
	a.stop()
	a.start()
	last := queue(t, a.n, b.keys.Public, "after restart")
	b.start()
	waitDelivered(t, a.ev, last, chatTimeout)
	waitDelivered(t, a.ev, queue(t, a.n, b.keys.Public, "marker"), chatTimeout)
	got := collectUntil(t, b.ev, a.keys.Public, "marker", chatTimeout)
	sameTexts(t, got, wireParts(append(first, "after restart", "marker")...))
	ctx := context.Background()
	l, err := a.n.Outbox(ctx, b.keys.Public)
	if err != nil || len(l) != len(first)+2 {
		t.Fatalf("outbox %+v %v", l, err)
	}
}
