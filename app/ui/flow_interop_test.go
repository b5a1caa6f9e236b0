//go:build interop

package ui

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"parley/app/account"
	"parley/app/settings"
	"parley/app/store"
	"parley/app/viewmodel"
	"parley/net/key"
	"parley/net/toxtest"
	"parley/net/transport"
	"parley/net/wire"
)

// TestFlowWithToxcore drives the GUI against a c-toxcore 0.2.18 peer over
// a real tox-bootstrapd on loopback: create a profile → copy the ID → a
// mistyped ID of the peer shows its error → the peer sends a friend
// request to the copied ID → accept → chat both ways with a delivery
// receipt → close and start the app again: the history is there, the peer
// comes back online and a new message reaches it.
func TestFlowWithToxcore(t *testing.T) {
	const timeout = 90 * time.Second
	bs := toxtest.StartBootstrapd(t)
	c := toxtest.StartPeer(t, toxtest.PeerOptions{Name: "c", SelfName: "Toxcore Tom", Bootstrap: []wire.Node{bs.Node()}})

	lo := transport.Config{Ephemeral: true, BindAddr: netip.MustParseAddr("127.0.0.1")}
	dir := t.TempDir()
	newApp := func() *harness {
		h := &harness{t: t, q: viewmodel.NewQueue(), a: test.NewTempApp(t)}
		h.w = New(h.a, Options{Dir: dir, Do: h.q.Do, Start: func(acct *account.Account) (viewmodel.Core, error) {
			n, err := viewmodel.StartNodeWith(acct, viewmodel.NodeOptions{Settings: settings.Default(), Local: true,
				Bootstrap: []wire.Node{bs.Node()}, Listen: lo})
			if err != nil {
				return nil, err
			}
			return n, nil
		}})
		t.Cleanup(h.w.Close)
		return h
	}
	h := newApp()

	test.Type(h.w.first.name, "Alice")
	test.Tap(h.w.first.createBtn)
	h.until("the main screen shows", func() bool { return h.w.main != nil })
	m := h.w.main
	h.until("own ID loaded", func() bool { return !h.w.vm.Self().ID.PublicKey.IsZero() })
	test.Tap(m.myIDBtn)
	test.Tap(m.ownID.copy)
	copied := h.a.Clipboard().Content()
	if len(copied) != 76 || copied != h.w.vm.Self().ID.String() {
		t.Fatalf("clipboard = %q, want the 76-character ID", copied)
	}
	m.ownID.dlg.Hide()

	// A mistyped ID of the c-toxcore user is refused with its reason.
	test.Tap(m.addBtn)
	typo := []byte(c.Address.String())
	if typo[20] == '0' {
		typo[20] = '1'
	} else {
		typo[20] = '0'
	}
	test.Type(m.add.id, string(typo))
	test.Tap(m.add.send)
	if !m.add.idErr.Visible() || !strings.Contains(m.add.idErr.Text, "checksum") {
		t.Fatalf("mistyped ID error = %q (visible %v)", m.add.idErr.Text, m.add.idErr.Visible())
	}
	m.add.dlg.Hide()

	id, err := key.ParseToxID(copied)
	if err != nil {
		t.Fatal(err)
	}
	cf := c.FriendAdd(id, "hi Alice, from c-toxcore")
	if !h.q.RunUntil(func() bool { return len(h.w.vm.Requests()) == 1 }, timeout) {
		t.Fatal("the c-toxcore friend request never showed")
	}
	if r := h.w.vm.Requests()[0]; r.From != c.PublicKey || r.Message != "hi Alice, from c-toxcore" {
		t.Fatalf("request = %+v", r)
	}
	test.Tap(findButton(t, m.requests, "Accept"))
	if !h.q.RunUntil(func() bool {
		f, ok := h.w.vm.Friend(c.PublicKey)
		return ok && f.Online && f.Name == "Toxcore Tom"
	}, timeout) {
		f, _ := h.w.vm.Friend(c.PublicKey)
		t.Fatalf("c-toxcore not online with its name: %+v", f)
	}
	c.MustWait(timeout, toxtest.Is("friend_connection", toxtest.FriendArg(cf)))

	m.list.Select(0)
	test.Type(m.chat.entry, "hello from the Parley GUI ✓")
	m.chat.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	got := c.MustWait(timeout, toxtest.Is("message", toxtest.FriendArg(cf)))
	if text, err := got.Text(2); err != nil || text != "hello from the Parley GUI ✓" {
		t.Fatalf("c-toxcore got %q (%v)", text, err)
	}
	if !h.q.RunUntil(func() bool {
		_, msgs, _ := h.w.vm.Chat()
		return len(msgs) == 1 && msgs[0].State == store.Delivered
	}, timeout) {
		_, msgs, _ := h.w.vm.Chat()
		t.Fatalf("no delivery receipt from c-toxcore: %+v", msgs)
	}
	c.Send(cf, "hi back from c-toxcore")
	if !h.q.RunUntil(func() bool {
		_, msgs, _ := h.w.vm.Chat()
		return len(msgs) == 2 && msgs[1].Text == "hi back from c-toxcore" && !msgs[1].Outgoing
	}, timeout) {
		t.Fatal("the c-toxcore message never showed")
	}
	if n := len(m.chat.msgs.Objects); n != 2 {
		t.Errorf("chat shows %d bubbles, want 2", n)
	}
	h.w.Close()
	c.MustWait(timeout, toxtest.Is("friend_connection", toxtest.FriendArg(cf), "none"))

	// Start again: the history is there and c-toxcore comes back.
	h = newApp()
	test.Tap(h.w.first.openBtn)
	h.until("the main screen shows again", func() bool { return h.w.main != nil })
	h.until("the friend is listed", func() bool { return len(h.w.main.shown) == 1 })
	h.w.main.list.Select(0)
	h.until("the chat opens", func() bool { _, _, ok := h.w.vm.Chat(); return ok })
	_, msgs, _ := h.w.vm.Chat()
	if len(msgs) != 2 || msgs[0].Text != "hello from the Parley GUI ✓" || msgs[1].Text != "hi back from c-toxcore" {
		t.Fatalf("history after restart: %+v", msgs)
	}
	if n := len(h.w.main.chat.msgs.Objects); n != 2 {
		t.Errorf("restored chat shows %d bubbles, want 2", n)
	}
	if !h.q.RunUntil(func() bool { f, _ := h.w.vm.Friend(c.PublicKey); return f.Online }, timeout) {
		t.Fatal("c-toxcore did not come back online after the restart")
	}
	test.Type(h.w.main.chat.entry, "and again after a restart")
	h.w.main.chat.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	got = c.MustWait(timeout, toxtest.Is("message", toxtest.FriendArg(cf)))
	if text, err := got.Text(2); err != nil || text != "and again after a restart" {
		t.Fatalf("c-toxcore got %q (%v) after the restart", text, err)
	}
}
