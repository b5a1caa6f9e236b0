package ui

import (
	"context"
	"net/netip"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"parley/app/account"
	"parley/app/settings"
	"parley/app/store"
	"parley/app/viewmodel"
	"parley/net/key"
	"parley/net/netsim"
	"parley/net/tox"
	"parley/net/wire"
)

// simWait bounds every wait of the netsim flow, in virtual time.
const simWait = 5 * time.Minute

// simPeer is a Parley client on the simulated network, driven directly
// through its tox.Node: the "second client" of the flow.
type simPeer struct {
	t    *testing.T
	name string
	n    *tox.Node
	ev   <-chan tox.Event
}

func (p *simPeer) id() key.ToxID {
	p.t.Helper()
	id, err := p.n.ToxID(context.Background())
	if err != nil {
		p.t.Fatal(err)
	}
	return id
}

// waitFor reads p's events until match accepts one.
func (p *simPeer) waitFor(what string, match func(tox.Event) bool) tox.Event {
	p.t.Helper()
	deadline := time.NewTimer(simWait)
	defer deadline.Stop()
	for {
		select {
		case e := <-p.ev:
			if match(e) {
				return e
			}
		case <-deadline.C:
			p.t.Fatalf("%s: timed out waiting for %s", p.name, what)
			return nil
		}
	}
}

// friendEvent matches a FriendEvent whose inner event is a T that ok accepts.
func friendEvent[T any](ok func(T) bool) func(tox.Event) bool {
	return func(e tox.Event) bool {
		fe, isFE := e.(tox.FriendEvent)
		if !isFE {
			return false
		}
		v, isT := fe.Event.(T)
		return isT && ok(v)
	}
}

// TestFlowWithParleyPeersOverNetsim is the whole GUI flow against Parley
// peers on a simulated Internet (net/netsim: 20 ms links with jitter and
// 2% loss, public addresses, a relay-only Parley bootstrap node, no
// c-toxcore, no loopback shortcut), in virtual time:
// create a profile → copy the ID → add Bob (a bad ID first shows its
// error) → Bob accepts → Carol adds us with the copied ID → accept her
// request → messages both ways with Bob and Carol, with receipts → close
// the app and start it again on the same directory: the history is there,
// Bob comes back online and a new message goes through.
func TestFlowWithParleyPeersOverNetsim(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sim := netsim.NewRealtime(11)
		sim.SetDefaultLink(netsim.Link{Delay: 20 * time.Millisecond, Jitter: 2 * time.Millisecond, Loss: 0.02})
		t.Cleanup(func() {
			if err := sim.Close(); err != nil {
				t.Errorf("netsim close: %v", err)
			}
		})
		host := 0
		listen := func() *netsim.Conn {
			host++
			c, err := sim.Listen(netip.AddrPortFrom(netip.AddrFrom4([4]byte{11, 0, 0, byte(host)}), 33445))
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		start := func(cfg tox.Config) *tox.Node {
			n, err := tox.Start(cfg)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { n.Close() })
			return n
		}
		relayConn := listen()
		relay := start(tox.Config{Conn: relayConn, RelayOnly: true})
		boot := []wire.Node{{PK: relay.DHTPublicKey(), Addr: relayConn.LocalAddr()}}
		peer := func(name string) *simPeer {
			n := start(tox.Config{Conn: listen(), Bootstrap: boot, Name: name})
			ch, cancel := n.Subscribe()
			t.Cleanup(cancel)
			return &simPeer{t: t, name: name, n: n, ev: ch}
		}
		bob, carol := peer("Bob"), peer("Carol")

		dir := t.TempDir()
		aliceAddr := netip.AddrPortFrom(netip.AddrFrom4([4]byte{11, 0, 0, 100}), 33445)
		newApp := func() *harness {
			h := &harness{t: t, q: viewmodel.NewQueue(), a: test.NewTempApp(t)}
			h.w = New(h.a, Options{Dir: dir, Do: h.q.Do, Start: func(acct *account.Account) (viewmodel.Core, error) {
				conn, err := sim.Listen(aliceAddr)
				if err != nil {
					return nil, err
				}
				n, err := viewmodel.StartNodeWith(acct, viewmodel.NodeOptions{
					Settings: settings.Default(), Local: true, Bootstrap: boot, Conn: conn})
				if err != nil {
					conn.Close()
					return nil, err
				}
				return n, nil
			}})
			t.Cleanup(h.w.Close)
			return h
		}
		waitUI := func(h *harness, what string, cond func() bool) {
			t.Helper()
			if !h.q.RunUntil(cond, simWait) {
				t.Fatalf("timed out waiting until %s", what)
			}
		}
		openChat := func(h *harness, pk key.PublicKey) {
			t.Helper()
			m := h.w.main
			m.search.SetText("")
			for i, f := range m.shown {
				if f.PK == pk {
					m.list.Select(i)
					waitUI(h, "the chat opens", func() bool { got, _, ok := h.w.vm.Chat(); return ok && got == pk })
					return
				}
			}
			t.Fatalf("friend %s not in the list", pk.Short())
		}
		send := func(h *harness, text string) {
			t.Helper()
			e := h.w.main.chat.entry
			test.Type(e, text)
			e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		}
		delivered := func(h *harness, text string) func() bool {
			return func() bool {
				_, msgs, _ := h.w.vm.Chat()
				for _, m := range msgs {
					if m.Outgoing && m.Text == text && m.State == store.Delivered {
						return true
					}
				}
				return false
			}
		}
		shown := func(h *harness, text string) func() bool {
			return func() bool {
				_, msgs, _ := h.w.vm.Chat()
				for _, m := range msgs {
					if !m.Outgoing && m.Text == text {
						return true
					}
				}
				return false
			}
		}
		received := func(from key.PublicKey, text string) func(tox.Event) bool {
			return friendEvent(func(m tox.MessageReceived) bool { return m.Friend == from && m.Text == text })
		}

		// First run: create the profile, copy the ID.
		h := newApp()
		test.Type(h.w.first.name, "Alice")
		test.Tap(h.w.first.createBtn)
		waitUI(h, "the main screen shows", func() bool { return h.w.main != nil })
		m := h.w.main
		waitUI(h, "own ID loaded", func() bool { return !h.w.vm.Self().ID.PublicKey.IsZero() })
		test.Tap(m.myIDBtn)
		test.Tap(m.ownID.copy)
		copied := h.a.Clipboard().Content()
		if len(copied) != 76 || copied != h.w.vm.Self().ID.String() {
			t.Fatalf("clipboard = %q, want the 76-character ID", copied)
		}
		m.ownID.dlg.Hide()
		alice := h.w.vm.Self().ID.PublicKey

		// Add Bob: a mistyped ID shows its error, the right one goes.
		test.Tap(m.addBtn)
		bad := []rune(bob.id().String())
		bad[10] = map[bool]rune{true: 'B', false: 'A'}[bad[10] == 'A']
		test.Type(m.add.id, string(bad))
		test.Tap(m.add.send)
		if !m.add.idErr.Visible() || !strings.Contains(m.add.idErr.Text, "checksum") {
			t.Fatalf("mistyped ID error = %q (visible %v)", m.add.idErr.Text, m.add.idErr.Visible())
		}
		m.add.id.SetText(bob.id().String())
		m.add.msg.SetText("Hi Bob, it's Alice")
		test.Tap(m.add.send)
		waitUI(h, "the add-friend dialog closes", func() bool { return m.add == nil })
		req := bob.waitFor("Alice's request", friendEvent(func(r tox.FriendRequest) bool { return r.From == alice })).(tox.FriendEvent).Event.(tox.FriendRequest)
		if req.Message != "Hi Bob, it's Alice" {
			t.Fatalf("Bob got request text %q", req.Message)
		}
		if err := bob.n.Accept(context.Background(), alice); err != nil {
			t.Fatal(err)
		}

		// Carol adds Alice with the ID Alice copied; Alice accepts in the GUI.
		cid, err := key.ParseToxID(copied)
		if err != nil {
			t.Fatal(err)
		}
		if err := carol.n.AddFriend(context.Background(), cid, "Carol here"); err != nil {
			t.Fatal(err)
		}
		waitUI(h, "Carol's request shows", func() bool { return len(h.w.vm.Requests()) == 1 })
		if r := h.w.vm.Requests()[0]; r.From != carol.n.PublicKey() || r.Message != "Carol here" {
			t.Fatalf("request = %+v", r)
		}
		test.Tap(findButton(t, m.requests, "Accept"))
		waitUI(h, "Bob and Carol online with their names", func() bool {
			b, ok1 := h.w.vm.Friend(bob.n.PublicKey())
			c, ok2 := h.w.vm.Friend(carol.n.PublicKey())
			return ok1 && ok2 && b.Online && c.Online && b.Name == "Bob" && c.Name == "Carol"
		})

		// Chat with each, both ways, with receipts.
		for _, p := range []*simPeer{bob, carol} {
			openChat(h, p.n.PublicKey())
			out := "hello " + p.name + " ✓"
			send(h, out)
			p.waitFor("Alice's message", received(alice, out))
			waitUI(h, "delivered to "+p.name, delivered(h, out))
			in := "hi Alice, " + p.name + " here"
			if _, err := p.n.SendMessage(context.Background(), alice, tox.MessageNormal, in); err != nil {
				t.Fatal(err)
			}
			waitUI(h, p.name+"'s message shows", shown(h, in))
			if f, _ := h.w.vm.Friend(p.n.PublicKey()); !strings.Contains(m.chat.subText, "direct UDP "+f.Link) || f.Link == "" {
				t.Errorf("chat header %q does not show the direct link %q", m.chat.subText, f.Link)
			}
		}
		if n := len(m.chat.msgs.Objects); n != 2 {
			t.Errorf("Carol's chat shows %d bubbles, want 2", n)
		}
		h.w.Close()

		// Start again on the same directory: history, and Bob comes back.
		h = newApp()
		test.Tap(h.w.first.openBtn)
		waitUI(h, "the main screen shows again", func() bool { return h.w.main != nil })
		openChat(h, bob.n.PublicKey())
		_, msgs, _ := h.w.vm.Chat()
		var texts []string
		for _, msg := range msgs {
			texts = append(texts, msg.Text)
		}
		if got := strings.Join(texts, "|"); got != "hello Bob ✓|hi Alice, Bob here" {
			t.Fatalf("Bob's history after restart = %q", got)
		}
		if n := len(h.w.main.chat.msgs.Objects); n != 2 {
			t.Errorf("restored chat shows %d bubbles, want 2", n)
		}
		waitUI(h, "Bob back online", func() bool { f, _ := h.w.vm.Friend(bob.n.PublicKey()); return f.Online })
		send(h, "back again")
		bob.waitFor("the message after the restart", received(alice, "back again"))
		waitUI(h, "delivered after restart", delivered(h, "back again"))
		h.w.Close()
	})
}
