package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"parley/app/account"
	"parley/app/store"
	"parley/app/viewmodel"
	"parley/app/viewmodel/vmtest"
	"parley/net/key"
	"parley/net/profile"
	"parley/net/tox"
)

func TestMain(m *testing.M) {
	DefaultLocale() // keeps Fyne's "Error parsing user locale C" out of the test log
	os.Exit(m.Run())
}

const wait = 10 * time.Second

// harness runs a Window under the test driver with fake cores; every UI
// change runs on the test goroutine through q.
type harness struct {
	t     *testing.T
	q     *viewmodel.Queue
	w     *Window
	a     fyne.App
	cores []*vmtest.Core
}

func newHarness(t *testing.T, dir string) *harness {
	h := &harness{t: t, q: viewmodel.NewQueue(), a: test.NewTempApp(t)}
	h.w = New(h.a, harnessOptions(h, dir))
	t.Cleanup(h.w.Close)
	return h
}

// harnessOptions are the window options of h: profiles in dir, UI changes
// through h.q, fake cores.
func harnessOptions(h *harness, dir string) Options {
	return Options{Dir: dir, Do: h.q.Do, Start: func(acct *account.Account) (viewmodel.Core, error) {
		p := acct.Profile()
		var fs []key.PublicKey
		for _, f := range p.Friends {
			if f.Status >= profile.FriendConfirmed {
				fs = append(fs, f.PublicKey)
			}
		}
		c := vmtest.New(p.Address(), fs...)
		h.cores = append(h.cores, c)
		return c, nil
	}}
}

func (h *harness) until(what string, cond func() bool) {
	h.t.Helper()
	if !h.q.RunUntil(cond, wait) {
		h.t.Fatalf("timed out waiting until %s", what)
	}
}

func (h *harness) core() *vmtest.Core { return h.cores[len(h.cores)-1] }

// findButton finds a visible button by its text under o.
func findButton(t *testing.T, o fyne.CanvasObject, text string) *widget.Button {
	t.Helper()
	for _, c := range test.LaidOutObjects(o) {
		if b, ok := c.(*widget.Button); ok && b.Text == text && b.Visible() {
			return b
		}
	}
	t.Fatalf("no button %q", text)
	return nil
}

func newPK(t *testing.T) key.PublicKey {
	t.Helper()
	p, err := key.NewPair(nil)
	if err != nil {
		t.Fatal(err)
	}
	return p.Public
}

func TestFirstRunTitle(t *testing.T) {
	h := newHarness(t, t.TempDir())
	if got := h.w.Window().Title(); got != "Parley" {
		t.Errorf("title = %q, want Parley", got)
	}
	test.Tap(h.w.first.createBtn) // no name
	h.until("the error shows", func() bool { return h.w.first.status.Text == account.ErrNoName.Error() })
	test.Type(h.w.first.name, "Dora")
	test.Type(h.w.first.pass, "a")
	test.Type(h.w.first.pass2, "b")
	test.Tap(h.w.first.createBtn)
	if h.w.first.status.Text != account.ErrPassMatch.Error() {
		t.Errorf("status = %q, want the mismatch error", h.w.first.status.Text)
	}
}

// TestFlow: create a profile → copy the ID → add a friend (bad ID, then a
// good one) → accept a request → send and receive → restart and see the
// history.
func TestFlow(t *testing.T) {
	dir := t.TempDir()
	h := newHarness(t, dir)
	test.Type(h.w.first.name, "Alice")
	test.Tap(h.w.first.createBtn)
	h.until("the main screen shows", func() bool { return h.w.main != nil })
	if _, err := os.Stat(filepath.Join(dir, "Alice.tox")); err != nil {
		t.Fatalf("profile not saved: %v", err)
	}
	m := h.w.main
	h.until("own ID loaded", func() bool { return m.selfName.Text == "Alice" })

	// Own ID: Copy puts the 76-character ID on the clipboard.
	test.Tap(m.myIDBtn)
	if m.ownID == nil || m.ownID.qr.Image == nil {
		t.Fatal("own-ID view without QR code")
	}
	test.Tap(m.ownID.copy)
	got := h.a.Clipboard().Content()
	if len(got) != 76 || got != h.w.vm.Self().ID.String() {
		t.Fatalf("clipboard = %q (%d chars), want the 76-character ID", got, len(got))
	}
	if m.ownID.uri.Text != "tox:"+got {
		t.Errorf("URI = %q", m.ownID.uri.Text)
	}
	test.Tap(m.ownID.share)
	if inv := h.a.Clipboard().Content(); !strings.Contains(inv, got) || !strings.Contains(inv, "Alice") {
		t.Errorf("invitation = %q", inv)
	}
	m.ownID.dlg.Hide()

	// Add friend: a bad ID shows its error under the field.
	test.Tap(m.addBtn)
	add := m.add
	test.Type(add.id, "1234")
	test.Tap(add.send)
	if !add.idErr.Visible() || !strings.Contains(add.idErr.Text, "76") {
		t.Errorf("short ID error = %q (visible %v)", add.idErr.Text, add.idErr.Visible())
	}
	bob := key.ToxID{PublicKey: newPK(t), Nospam: key.Nospam{1, 2, 3, 4}}
	bad := []byte(bob.String())
	if bad[0] == 'A' {
		bad[0] = 'B'
	} else {
		bad[0] = 'A'
	}
	add.id.SetText(string(bad))
	test.Tap(add.send)
	if !add.idErr.Visible() || !strings.Contains(add.idErr.Text, "checksum") {
		t.Errorf("checksum error = %q", add.idErr.Text)
	}
	add.id.SetText(bob.URI())
	test.Tap(add.send)
	h.until("the request is sent and the dialog closes", func() bool { return m.add == nil })
	if !h.core().HasFriend(bob.PublicKey) {
		t.Fatal("core has no friend bob")
	}

	// An incoming request, accepted.
	carol := newPK(t)
	h.core().Emit(tox.FriendEvent{Event: tox.FriendRequest{From: carol, Message: "hi alice"}})
	h.until("the request shows", func() bool { return len(h.w.vm.Requests()) == 1 })
	test.Tap(findButton(t, m.requests, "Accept"))
	h.until("carol is a friend", func() bool {
		_, ok := h.w.vm.Friend(carol)
		return ok && len(h.w.vm.Requests()) == 0
	})

	// Chat with carol.
	h.core().Emit(tox.FriendEvent{Event: tox.NameChanged{Friend: carol, Name: "Carol Jones"}})
	h.core().Emit(tox.FriendEvent{Event: tox.FriendOnline{Friend: carol}})
	h.until("carol online", func() bool { f, _ := h.w.vm.Friend(carol); return f.Online && f.Name == "Carol Jones" })
	test.Type(m.search, "carol")
	if len(m.shown) != 1 || m.shown[0].PK != carol {
		t.Fatalf("search shows %d friends", len(m.shown))
	}
	m.list.Select(0)
	entry := m.chat.entry
	test.Type(entry, "hello")
	entry.KeyDown(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
	entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	entry.KeyUp(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
	test.Type(entry, "carol")
	if entry.Text != "hello\ncarol" {
		t.Fatalf("Shift+Enter: entry = %q", entry.Text)
	}
	entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.until("the message is sent", func() bool {
		_, msgs, _ := h.w.vm.Chat()
		return len(msgs) == 1 && msgs[0].State == store.Sent
	})
	sent := h.core().Sent()
	if len(sent) != 1 || sent[0].Text != "hello\ncarol" || entry.Text != "" {
		t.Fatalf("sent = %+v, entry = %q", sent, entry.Text)
	}
	h.core().Emit(tox.FriendEvent{Event: tox.Receipt{Friend: carol, ID: sent[0].IDs[0]}})
	h.until("delivered", func() bool { _, msgs, _ := h.w.vm.Chat(); return msgs[0].State == store.Delivered })
	h.core().Emit(tox.FriendEvent{Event: tox.TypingChanged{Friend: carol, Typing: true}})
	h.until("typing shows", func() bool { return strings.Contains(m.chat.typing.Text, "typing") })
	h.core().Emit(tox.FriendEvent{Event: tox.MessageReceived{Friend: carol, Text: "hi back"}})
	h.until("received", func() bool { _, msgs, _ := h.w.vm.Chat(); return len(msgs) == 2 })
	test.Type(entry, "/me waves")
	entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.until("action sent", func() bool { return len(h.core().Sent()) == 2 })
	if s := h.core().Sent()[1]; s.Kind != tox.MessageAction || s.Text != "waves" {
		t.Errorf("action sent as %+v", s)
	}
	if len(m.chat.msgs.Objects) != 3 {
		t.Errorf("chat shows %d bubbles, want 3", len(m.chat.msgs.Objects))
	}
	// A message to an offline friend stays queued, and goes when they return.
	h.core().Emit(tox.FriendEvent{Event: tox.FriendOffline{Friend: carol}})
	h.until("carol offline", func() bool { f, _ := h.w.vm.Friend(carol); return !f.Online })
	test.Type(entry, "later")
	entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.until("queued shows", func() bool { _, msgs, _ := h.w.vm.Chat(); return len(msgs) == 4 && msgs[3].State == store.Queued })
	h.core().Emit(tox.FriendEvent{Event: tox.FriendOnline{Friend: carol}})
	h.until("outbox flushed", func() bool { _, msgs, _ := h.w.vm.Chat(); return msgs[3].State == store.Sent })
	h.w.Close()

	// Restart on the same directory: the profile, friends and history are there.
	h2 := newHarness(t, dir)
	if got := h2.w.first.profiles.Selected; got != "Alice" {
		t.Fatalf("profile list selects %q", got)
	}
	test.Tap(h2.w.first.openBtn)
	h2.until("the main screen shows", func() bool { return h2.w.main != nil })
	h2.until("carol's last message shows", func() bool {
		f, ok := h2.w.vm.Friend(carol)
		return ok && f.Last.Text == "later" && f.Name == "Carol Jones"
	})
	h2.w.vm.OpenChat(carol)
	_, msgs, _ := h2.w.vm.Chat()
	var texts []string
	for _, m := range msgs {
		texts = append(texts, m.Text)
	}
	if strings.Join(texts, "|") != "hello\ncarol|hi back|waves|later" {
		t.Fatalf("history after restart = %q", texts)
	}
}

func TestUnlockEncrypted(t *testing.T) {
	dir := t.TempDir()
	if _, err := account.Create(dir, "Eve", "pw"); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, dir)
	if !h.w.first.unlock.Visible() {
		t.Fatal("no passphrase field for an encrypted profile")
	}
	test.Type(h.w.first.unlock, "nope")
	test.Tap(h.w.first.openBtn)
	h.until("wrong passphrase", func() bool { return h.w.first.status.Text == "wrong passphrase" })
	h.w.first.unlock.SetText("pw")
	test.Tap(h.w.first.openBtn)
	h.until("the main screen shows", func() bool { return h.w.main != nil })
}

func TestMainWindowRenders(t *testing.T) {
	h := newHarness(t, t.TempDir())
	img := h.w.Window().Canvas().Capture()
	if b := img.Bounds(); b.Dx() < 900 || b.Dy() < 600 {
		t.Fatalf("captured window is %dx%d, want at least 900x600", b.Dx(), b.Dy())
	}
}
