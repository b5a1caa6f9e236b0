package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"parley/net/tox"
)

// foreground is the hooks the driver calls when the app gains or loses
// the focus.
type foreground interface {
	OnEnteredForeground() func()
	OnExitedForeground() func()
}

// TestNotificationWiring: with the window in the background, a friend
// request and a message reach App.SendNotification; back in the
// foreground, a message for the open chat does not.
func TestNotificationWiring(t *testing.T) {
	h := newHarness(t, t.TempDir())
	if !h.w.settings.Notifications {
		t.Fatal("notifications off by default")
	}
	test.Type(h.w.first.name, "Alice")
	test.Tap(h.w.first.createBtn)
	h.until("the main screen shows", func() bool { return h.w.main != nil })
	// The first load must be over: it would show a request the fake
	// already holds before the event that notifies it is handled.
	loaded := false
	h.w.vm.NewNospam(func(error) { loaded = true }) // a job after the load
	h.until("the view model loaded", func() bool { return loaded })
	lc, ok := h.a.Lifecycle().(foreground)
	if !ok {
		t.Fatalf("lifecycle %T has no foreground hooks", h.a.Lifecycle())
	}
	lc.OnExitedForeground()()
	if h.w.vm.Focused() {
		t.Fatal("view model still focused after the app left the foreground")
	}

	carol := newPK(t)
	test.AssertNotificationSent(t, fyne.NewNotification("Friend request from "+carol.Short()+"…", "hi alice"), func() {
		h.core().Emit(tox.FriendEvent{Event: tox.FriendRequest{From: carol, Message: "hi alice"}})
		h.until("the request shows", func() bool { return len(h.w.vm.Requests()) == 1 })
	})
	h.w.vm.Accept(carol)
	h.until("carol is a friend", func() bool { _, ok := h.w.vm.Friend(carol); return ok })
	h.core().Emit(tox.FriendEvent{Event: tox.NameChanged{Friend: carol, Name: "Carol"}})
	h.until("carol's name", func() bool { f, _ := h.w.vm.Friend(carol); return f.Name == "Carol" })
	h.w.vm.OpenChat(carol)

	test.AssertNotificationSent(t, fyne.NewNotification("Carol", "are you there?"), func() {
		h.core().Emit(tox.FriendEvent{Event: tox.MessageReceived{Friend: carol, Text: "are you there?"}})
		h.until("received", func() bool { f, _ := h.w.vm.Friend(carol); return f.Last.Text == "are you there?" })
	})

	lc.OnEnteredForeground()()
	test.AssertNotificationSent(t, nil, func() {
		h.core().Emit(tox.FriendEvent{Event: tox.MessageReceived{Friend: carol, Text: "seen"}})
		h.until("received", func() bool { f, _ := h.w.vm.Friend(carol); return f.Last.Text == "seen" })
	})
}
