package tox

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"parley/net/friend"
	"parley/net/key"
	"parley/net/netsim"
)

// obPeer is a Parley client with fixed keys and an outbox file, so the
// test can restart it as the same user.
type obPeer struct {
	name    string
	keys    key.Pair
	outbox  string
	friends []key.PublicKey
	conn    *netsim.Conn
	n       *Node
	ev      *events
}

func newObPeer(t *testing.T, s *simNet, name string) *obPeer {
	t.Helper()
	k, err := key.NewPair(s.rand(name + "/id"))
	if err != nil {
		t.Fatal(err)
	}
	return &obPeer{name: name, keys: k, outbox: filepath.Join(t.TempDir(), name+".outbox")}
}

// start starts (or restarts) the peer on a fresh address.
func (p *obPeer) start(s *simNet) {
	p.conn = s.listen()
	p.n, p.ev = s.startSimClient(p.name, p.conn, func(c *Config) {
		c.Self = p.keys
		c.Friends = p.friends
		c.OutboxPath = p.outbox
	})
}

func (p *obPeer) stop(t *testing.T) {
	t.Helper()
	if err := p.n.Close(); err != nil {
		t.Fatal(err)
	}
}

func queue(t testing.TB, n *Node, to key.PublicKey, text string) OutboxID {
	t.Helper()
	id, err := n.Queue(context.Background(), to, MessageNormal, text)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// waitDelivered waits for OutboxChanged with id delivered.
func waitDelivered(t testing.TB, ev *events, id OutboxID, timeout time.Duration) {
	t.Helper()
	ev.wait(timeout, fmt.Sprint("outbox message ", id, " delivered"), func(e Event) bool {
		oc, ok := e.(OutboxChanged)
		return ok && oc.Entry.ID == id && oc.Entry.State == OutboxDelivered
	})
}

// collectUntil returns the texts ev received from pk up to and including
// the first equal to last.
func collectUntil(t *testing.T, ev *events, pk key.PublicKey, last string, timeout time.Duration) []string {
	t.Helper()
	var got []string
	for {
		e := ev.wait(timeout, "message "+last, friendEvent(func(m MessageReceived) bool { return m.Friend == pk }))
		text := e.(FriendEvent).Event.(MessageReceived).Text
		got = append(got, text)
		if text == last {
			return got
		}
	}
}

// offlineTexts are the messages queued while the friend is offline; the
// third is three parts long.
func offlineTexts(prefix string) []string {
	return []string{prefix + " one", prefix + " two", prefix + " long " + strings.Repeat("lorem ipsum ", 300), prefix + " four"}
}

// wireParts is what the receiver sees: each text split as on the wire.
func wireParts(texts ...string) []string {
	var out []string
	for _, s := range texts {
		out = append(out, friend.SplitMessage(s, MaxMessageSize)...)
	}
	return out
}

func sameTexts(t *testing.T, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("received %d parts, want %d:\n%q", len(got), len(want), got)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("part %d is %.40q, want %.40q", i, got[i], want[i])
		}
	}
}

// Messages queued to an offline Parley friend, across a restart of the
// sender, arrive once and in order when the friend comes online.
func TestSimOutboxOffline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := newSimNet(t, 7, simLink)
		s.startRelay("boot")
		a, b := newObPeer(t, s, "alice"), newObPeer(t, s, "bob")
		a.friends, b.friends = []key.PublicKey{b.keys.Public}, []key.PublicKey{a.keys.Public}
		a.start(s)
		first := offlineTexts("before restart")
		for _, m := range first {
			queue(t, a.n, b.keys.Public, m)
		}
		a.stop(t)
		a.start(s) // the sender restarts with the same keys and outbox
		l, err := a.n.Outbox(context.Background(), b.keys.Public)
		if err != nil || len(l) != len(first) || l[0].State != OutboxQueued {
			t.Fatalf("outbox after restart: %+v, %v", l, err)
		}
		second := []string{"after restart 1", "after restart 2"}
		var last OutboxID
		for _, m := range second {
			last = queue(t, a.n, b.keys.Public, m)
		}
		b.start(s)
		waitDelivered(t, a.ev, last, simTimeout)
		marker := "marker"
		waitDelivered(t, a.ev, queue(t, a.n, b.keys.Public, marker), simTimeout)
		got := collectUntil(t, b.ev, a.keys.Public, marker, simTimeout)
		sameTexts(t, got, wireParts(append(append(first, second...), marker)...))
		l, err = a.n.Outbox(context.Background(), b.keys.Public)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range l {
			if e.State != OutboxDelivered {
				t.Fatalf("not delivered: %+v", e)
			}
		}
	})
}

// Parts sent but not receipted when the link dies are resent; the Parley
// receiver recognises them by their message id hints and drops them.
func TestSimOutboxResendNoDuplicate(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := newSimNet(t, 8, simLink)
		s.startRelay("boot")
		a, b := newObPeer(t, s, "alice"), newObPeer(t, s, "bob")
		a.friends, b.friends = []key.PublicKey{b.keys.Public}, []key.PublicKey{a.keys.Public}
		a.start(s)
		b.start(s)
		waitOnlineEvent(t, a.ev, b.keys.Public, simTimeout)
		waitOnlineEvent(t, b.ev, a.keys.Public, simTimeout)
		// Bob's packets stop reaching Alice: Bob gets the messages, Alice
		// never sees the acks, and her link dies after ConnectionTimeout.
		cut := netsim.Link{Loss: 1}
		s.net.SetLinkOneWay(b.conn.LocalAddr().Addr(), a.conn.LocalAddr().Addr(), cut)
		texts := offlineTexts("resent")
		var last OutboxID
		for _, m := range texts {
			last = queue(t, a.n, b.keys.Public, m)
		}
		got := collectUntil(t, b.ev, a.keys.Public, texts[len(texts)-1], simTimeout)
		a.ev.wait(simTimeout, "receipts lost", friendEvent(func(e ReceiptsLost) bool { return e.Friend == b.keys.Public }))
		s.net.SetLinkOneWay(b.conn.LocalAddr().Addr(), a.conn.LocalAddr().Addr(), simLink)
		waitDelivered(t, a.ev, last, simTimeout)
		marker := "marker"
		waitDelivered(t, a.ev, queue(t, a.n, b.keys.Public, marker), simTimeout)
		got = append(got, collectUntil(t, b.ev, a.keys.Public, marker, simTimeout)...)
		sameTexts(t, got, wireParts(append(texts, marker)...))
		var dups uint64
		if err := b.n.Do(context.Background(), func(time.Time) { dups = b.n.ob.dups }); err != nil {
			t.Fatal(err)
		}
		if dups == 0 {
			t.Fatal("no resent part was dropped: the test did not exercise a resend")
		}
		t.Logf("bob dropped %d resent parts", dups)
	})
}
