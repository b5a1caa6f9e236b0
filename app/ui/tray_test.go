package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"parley/app/viewmodel"
	"parley/net/tox"
)

// trayTestApp is the test app with a system tray, as the GLFW driver's app
// has one.
type trayTestApp struct {
	fyne.App
	menu *fyne.Menu
	icon fyne.Resource
	quit bool
}

func (a *trayTestApp) SetSystemTrayMenu(m *fyne.Menu)    { a.menu = m }
func (a *trayTestApp) SetSystemTrayIcon(r fyne.Resource) { a.icon = r }
func (a *trayTestApp) Quit()                             { a.quit = true }

func TestUnreadLabel(t *testing.T) {
	for n, want := range map[int]string{0: "No unread messages", 1: "1 unread message", 3: "3 unread messages"} {
		if got := unreadLabel(n); got != want {
			t.Errorf("unreadLabel(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestNoTray: the test app has no tray; closing is not intercepted.
func TestNoTray(t *testing.T) {
	h := newHarness(t, t.TempDir())
	if h.w.tray != nil || h.w.UnreadLabel() != "" {
		t.Fatal("a tray without a desktop tray")
	}
	h.w.tray.setUnread(3) // a nil tray ignores counts
}

// TestTray: with a tray, the menu shows Parley, the unread count as
// messages come and are read, and quits; closing the window hides it.
func TestTray(t *testing.T) {
	q := viewmodel.NewQueue()
	ta := &trayTestApp{App: test.NewTempApp(t)}
	h := &harness{t: t, q: q, a: ta}
	o := harnessOptions(h, t.TempDir())
	o.HasTray = func() bool { return true }
	h.w = New(ta, o)
	t.Cleanup(h.w.Close)
	if ta.menu == nil || ta.icon == nil {
		t.Fatal("no tray menu or icon")
	}
	labels := func() []string {
		var out []string
		for _, it := range ta.menu.Items {
			if !it.IsSeparator {
				out = append(out, it.Label)
			}
		}
		return out
	}
	if got := labels(); len(got) != 3 || got[0] != "Show Parley" || got[1] != "No unread messages" || got[2] != "Quit" {
		t.Fatalf("tray menu = %q", got)
	}

	test.Type(h.w.first.name, "Alice")
	test.Tap(h.w.first.createBtn)
	h.until("the main screen shows", func() bool { return h.w.main != nil })
	carol := newPK(t)
	h.core().Emit(tox.FriendEvent{Event: tox.FriendRequest{From: carol, Message: "hi"}})
	h.until("the request shows", func() bool { return len(h.w.vm.Requests()) == 1 })
	h.w.vm.Accept(carol)
	h.until("carol is a friend", func() bool { _, ok := h.w.vm.Friend(carol); return ok })
	for _, text := range []string{"a", "b", "c"} {
		h.core().Emit(tox.FriendEvent{Event: tox.MessageReceived{Friend: carol, Text: text}})
	}
	h.until("3 unread", func() bool { return ta.menu.Items[1].Label == "3 unread messages" })
	if h.w.UnreadLabel() != "3 unread messages" {
		t.Fatalf("UnreadLabel = %q", h.w.UnreadLabel())
	}
	h.w.vm.OpenChat(carol)
	if got := ta.menu.Items[1].Label; got != "No unread messages" {
		t.Fatalf("after reading, tray says %q", got)
	}

	// The test driver's windows do not say whether they are shown: check
	// that closing keeps the window and the node, and that "Show Parley"
	// gives it the focus back.
	h.w.closeRequested()
	if ta.quit || h.core().Closed() || !hasWindow(ta, h.w.win) {
		t.Fatal("closing with a tray quit instead of hiding")
	}
	ta.menu.Items[0].Action() // Show Parley
	if !hasWindow(ta, h.w.win) {
		t.Fatal("Show Parley lost the window")
	}
	ta.menu.Items[len(ta.menu.Items)-1].Action() // Quit
	if !ta.quit {
		t.Fatal("Quit did not quit")
	}
	if !h.core().Closed() {
		t.Fatal("Quit did not stop the node")
	}
}

func hasWindow(a fyne.App, w fyne.Window) bool {
	for _, x := range a.Driver().AllWindows() {
		if x == w {
			return true
		}
	}
	return false
}
