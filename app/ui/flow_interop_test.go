//go:build interop

package ui

import (
	"net/netip"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"parley/app/account"
	"parley/app/settings"
	"parley/app/store"
	"parley/app/viewmodel"
	"parley/net/toxtest"
	"parley/net/transport"
	"parley/net/wire"
)

// TestFlowWithToxcore drives the GUI against a c-toxcore 0.2.18 peer over
// a real tox-bootstrapd on loopback: create a profile → the peer's friend
// request shows → accept → chat both ways with a delivery receipt.
func TestFlowWithToxcore(t *testing.T) {
	const timeout = 90 * time.Second
	bs := toxtest.StartBootstrapd(t)
	c := toxtest.StartPeer(t, toxtest.PeerOptions{Name: "c", SelfName: "Toxcore Tom", Bootstrap: []wire.Node{bs.Node()}})

	lo := transport.Config{Ephemeral: true, BindAddr: netip.MustParseAddr("127.0.0.1")}
	h := &harness{t: t, q: viewmodel.NewQueue(), a: test.NewTempApp(t)}
	h.w = New(h.a, Options{Dir: t.TempDir(), Do: h.q.Do, Start: func(acct *account.Account) (viewmodel.Core, error) {
		n, err := viewmodel.StartNodeWith(acct, viewmodel.NodeOptions{Settings: settings.Default(), Local: true,
			Bootstrap: []wire.Node{bs.Node()}, Listen: lo})
		if err != nil {
			return nil, err
		}
		return n, nil
	}})
	t.Cleanup(h.w.Close)

	test.Type(h.w.first.name, "Alice")
	test.Tap(h.w.first.createBtn)
	h.until("the main screen shows", func() bool { return h.w.main != nil })
	m := h.w.main
	h.until("own ID loaded", func() bool { return !h.w.vm.Self().ID.PublicKey.IsZero() })

	cf := c.FriendAdd(h.w.vm.Self().ID, "hi Alice, from c-toxcore")
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
}
