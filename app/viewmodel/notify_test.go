package viewmodel

import (
	"strings"
	"testing"
	"time"

	"parley/net/key"
	"parley/net/tox"
)

// notice is one Notifier call.
type notice struct{ title, body string }

// notifyVM is fakeVM with a recording Notifier and notifications set to on.
func notifyVM(t *testing.T, on bool) (*VM, func(tox.Event), *[]notice, key.PublicKey) {
	t.Helper()
	var got []notice
	vm, core, q, pk := fakeVM(t, Options{Notifications: on, Notifier: func(title, body string) {
		got = append(got, notice{title, body})
	}})
	// The first load must be over: it would show a request the fake
	// already holds before the event that notifies it is handled.
	loaded := false
	vm.NewNospam(func(error) { loaded = true }) // a job after the load
	if !q.RunUntil(func() bool { return loaded }, 5*time.Second) {
		t.Fatal("the view model did not load")
	}
	emit := func(ev tox.Event) {
		t.Helper()
		core.Emit(ev)
		if !q.RunUntil(func() bool { return handled(vm, ev) }, 5*time.Second) {
			t.Fatalf("%T not handled", ev)
		}
	}
	return vm, emit, &got, pk
}

// handled reports whether the view model shows the message or request ev.
func handled(vm *VM, ev tox.Event) bool {
	switch e := ev.(tox.FriendEvent).Event.(type) {
	case tox.MessageReceived:
		f, _ := vm.Friend(e.Friend)
		return f.Last.Text == e.Text
	case tox.FriendRequest:
		for _, r := range vm.Requests() {
			if r.From == e.From && r.Message == e.Message {
				return true
			}
		}
	}
	return false
}

func message(pk key.PublicKey, text string) tox.Event {
	return tox.FriendEvent{Event: tox.MessageReceived{Friend: pk, Kind: tox.MessageNormal, Text: text}}
}

func TestNotifyUnfocused(t *testing.T) {
	vm, emit, got, pk := notifyVM(t, true)
	if !vm.Focused() || !vm.Notifications() {
		t.Fatalf("Focused %v, Notifications %v at start", vm.Focused(), vm.Notifications())
	}
	vm.SetFocused(false)
	long := strings.Repeat("word ", 60)
	emit(message(pk, "hello\nthere"))
	emit(message(pk, long))
	f, _ := vm.Friend(pk)
	if len(*got) != 2 {
		t.Fatalf("notifications = %q, want 2", *got)
	}
	if n := (*got)[0]; n.title != f.DisplayName() || n.body != "hello there" {
		t.Errorf("notification = %q", n)
	}
	if n := (*got)[1]; len([]rune(n.body)) > previewRunes || !strings.HasSuffix(n.body, "…") {
		t.Errorf("long message notified as %q", n.body)
	}

	var from key.PublicKey
	from[0] = 0xab
	emit(tox.FriendEvent{Event: tox.FriendRequest{From: from, Message: "it's Dave"}})
	if len(*got) != 3 {
		t.Fatalf("notifications = %q, want 3", *got)
	}
	if n := (*got)[2]; n.title != "Friend request from "+from.Short()+"…" || n.body != "it's Dave" {
		t.Errorf("request notification = %q", n)
	}
}

func TestNoNotifyOpenChatFocused(t *testing.T) {
	vm, emit, got, pk := notifyVM(t, true)
	if c, ok := vm.ActiveChat(); !ok || c != pk {
		t.Fatalf("ActiveChat = %v, %v", c, ok)
	}
	emit(message(pk, "you are looking at this"))
	var from key.PublicKey
	from[0] = 0xcd
	emit(tox.FriendEvent{Event: tox.FriendRequest{From: from, Message: "shown in the list"}})
	if len(*got) != 0 {
		t.Fatalf("notified %q while focused on the chat", *got)
	}
	// Focused, but on another chat: the message is notified.
	var other key.PublicKey
	other[0] = 0xef
	vm.friends[other] = &Friend{PK: other, Name: "Other"}
	vm.OpenChat(other)
	emit(message(pk, "elsewhere"))
	if len(*got) != 1 || (*got)[0].body != "elsewhere" {
		t.Fatalf("notifications = %q, want the message for the closed chat", *got)
	}
}

func TestNoNotifyDisabled(t *testing.T) {
	vm, emit, got, pk := notifyVM(t, false)
	vm.SetFocused(false)
	emit(message(pk, "quiet"))
	var from key.PublicKey
	from[0] = 0x12
	emit(tox.FriendEvent{Event: tox.FriendRequest{From: from, Message: "quiet too"}})
	if len(*got) != 0 {
		t.Fatalf("notified %q with notifications off", *got)
	}
	// Turned on: notified.
	vm.SetNotifications(true)
	emit(message(pk, "loud"))
	if len(*got) != 1 {
		t.Fatalf("notifications = %q after turning them on", *got)
	}
}
