package ui

import (
	"strconv"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"parley/app/account"
	"parley/app/store"
	"parley/app/viewmodel"
	"parley/app/viewmodel/vmtest"
	"parley/net/key"
	"parley/net/tox"
)

// history is a window opened on a profile whose history holds n messages
// with one friend, the friend's chat open. Shared by tests and benchmarks.
type history struct {
	tb     testing.TB
	q      *viewmodel.Queue
	w      *Window
	core   *vmtest.Core
	friend key.PublicKey
}

// fillHistory creates profile "Alice" in dir with n messages with friend.
func fillHistory(tb testing.TB, dir string, friend key.PublicKey, n int) {
	tb.Helper()
	acct, err := account.Create(dir, "Alice", "")
	if err != nil {
		tb.Fatal(err)
	}
	st, err := store.Open(acct.HistoryPath())
	if err != nil {
		tb.Fatal(err)
	}
	defer st.Close()
	t0 := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	const chunk = 10000
	for i := 0; i < n; i += chunk {
		ms := make([]store.Message, min(chunk, n-i))
		for j := range ms {
			k := i + j
			ms[j] = store.Message{Friend: friend, Outgoing: k%3 == 0, Text: "message number " + strconv.Itoa(k) + " of a long history",
				Time: t0.Add(time.Duration(k) * time.Second), State: store.Delivered}
			if !ms[j].Outgoing {
				ms[j].State = store.Received
			}
		}
		if _, err := st.AddBatch(ms); err != nil {
			tb.Fatal(err)
		}
	}
}

// openWindow opens the profile in dir under the test driver with a fake
// core that knows friend, and waits for the main view. do, when not nil,
// wraps every UI job (the benchmarks time them).
func openWindow(tb testing.TB, a fyne.App, dir string, friend key.PublicKey, do func(func())) *history {
	tb.Helper()
	h := &history{tb: tb, q: viewmodel.NewQueue(), friend: friend}
	if do == nil {
		do = func(f func()) { f() }
	}
	h.w = New(a, Options{Dir: dir, Do: func(f func()) { h.q.Do(func() { do(f) }) },
		Start: func(acct *account.Account) (viewmodel.Core, error) {
			p := acct.Profile()
			h.core = vmtest.New(p.Address(), friend)
			return h.core, nil
		}})
	tb.Cleanup(h.w.Close)
	test.Tap(h.w.first.openBtn)
	h.until("the friend list shows", func() bool {
		return h.w.main != nil && len(h.w.main.shown) == 1
	})
	return h
}

func (h *history) until(what string, cond func() bool) {
	h.tb.Helper()
	if !h.q.RunUntil(cond, 20*time.Second) {
		h.tb.Fatalf("timed out waiting until %s", what)
	}
}

// openChat opens the friend's chat by selecting it in the friend list.
func (h *history) openChat() {
	h.tb.Helper()
	h.w.main.list.Select(0)
	h.until("the chat opens", func() bool { pk, _, ok := h.w.vm.Chat(); return ok && pk == h.friend })
}

func (h *history) chat() *chatView { return h.w.main.chat }

func TestChatListWindow(t *testing.T) {
	dir := t.TempDir()
	friend := newPK(t)
	fillHistory(t, dir, friend, 1000)
	h := openWindow(t, test.NewTempApp(t), dir, friend, nil)
	h.openChat()
	c := h.chat()
	_, msgs, _ := h.w.vm.Chat()
	if len(msgs) != viewmodel.PageSize || len(c.msgs.Objects) != viewmodel.PageSize {
		t.Fatalf("opened with %d loaded, %d bubbles", len(msgs), len(c.msgs.Objects))
	}
	if !c.older.Visible() {
		t.Fatal("no way to load older messages")
	}
	if bottom := c.scroll.Content.MinSize().Height - c.scroll.Size().Height; c.scroll.Offset.Y < bottom-1 {
		t.Fatalf("opened at %v, not at the bottom %v", c.scroll.Offset.Y, bottom)
	}

	// A new message adds one bubble and keeps the others as they were.
	kept := c.msgs.Objects[len(c.msgs.Objects)-1]
	h.core.Emit(tox.FriendEvent{Event: tox.MessageReceived{Friend: friend, Text: "first new"}})
	h.until("received", func() bool { _, m, _ := h.w.vm.Chat(); return m[len(m)-1].Text == "first new" })
	if n := len(c.msgs.Objects); n != viewmodel.PageSize+1 || c.msgs.Objects[n-2] != kept {
		t.Fatalf("%d bubbles; the old last bubble was rebuilt: %v", n, c.msgs.Objects[n-2] != kept)
	}
	if !containsText(c.msgs, "first new") {
		t.Fatal("the new message is not shown")
	}

	// Scrolling to the top loads older pages lazily; the window stays bounded.
	for range 8 {
		c.scroll.Scrolled(&fyne.ScrollEvent{Scrolled: fyne.Delta{DY: 1e7}})
		h.q.Run()
	}
	_, msgs, _ = h.w.vm.Chat()
	if len(msgs) <= 3*viewmodel.PageSize {
		t.Fatalf("scrolling up loaded only %d messages", len(msgs))
	}
	if n := len(c.msgs.Objects); n > maxRendered || n == 0 {
		t.Fatalf("%d bubbles for %d loaded messages, want 1..%d", n, len(msgs), maxRendered)
	}
	if c.list.follow || c.list.hi == len(msgs) {
		t.Fatalf("scrolled up, but the window is at the end (lo %d hi %d of %d)", c.list.lo, c.list.hi, len(msgs))
	}

	// An incoming message while reading history does not move the window.
	lo := c.list.lo
	h.core.Emit(tox.FriendEvent{Event: tox.MessageReceived{Friend: friend, Text: "new one"}})
	h.until("received", func() bool { _, m, _ := h.w.vm.Chat(); return m[len(m)-1].Text == "new one" })
	if c.list.lo != lo {
		t.Fatalf("window moved from %d to %d", lo, c.list.lo)
	}

	// Scrolling back down reaches the live end again.
	for range 40 {
		c.scroll.Scrolled(&fyne.ScrollEvent{Scrolled: fyne.Delta{DY: -1e7}})
		h.q.Run()
	}
	_, msgs, _ = h.w.vm.Chat()
	if !c.list.follow || c.list.hi != len(msgs) {
		t.Fatalf("scrolled down, window lo %d hi %d of %d, follow %v", c.list.lo, c.list.hi, len(msgs), c.list.follow)
	}
	if !containsText(c.msgs, "new one") {
		t.Fatal("the newest message is not shown at the end")
	}

	// A burst keeps the window bounded and at the newest message.
	for i := range 300 {
		h.core.Emit(tox.FriendEvent{Event: tox.MessageReceived{Friend: friend, Text: "burst " + strconv.Itoa(i)}})
	}
	h.until("burst received", func() bool { _, m, _ := h.w.vm.Chat(); return m[len(m)-1].Text == "burst 299" })
	if n := len(c.msgs.Objects); n != maxRendered {
		t.Fatalf("%d bubbles after the burst, want %d", n, maxRendered)
	}
	if !containsText(c.msgs, "burst 299") || containsText(c.msgs, "new one") {
		t.Fatal("the window does not end at the newest message")
	}
	if len(c.list.cache) > 2*maxRendered {
		t.Fatalf("bubble cache holds %d", len(c.list.cache))
	}
}

// containsText reports whether a label under o shows text.
func containsText(o fyne.CanvasObject, text string) bool {
	for _, x := range test.LaidOutObjects(o) {
		if l, ok := x.(*widget.Label); ok && l.Text == text {
			return true
		}
	}
	return false
}

// randomPK is a fresh public key (newPK for benchmarks too).
func randomPK(tb testing.TB) key.PublicKey {
	tb.Helper()
	p, err := key.NewPair(nil)
	if err != nil {
		tb.Fatal(err)
	}
	return p.Public
}

// TestChatListBottomAligned: a chat with no older messages has no "Load
// older" button above its bubbles, and once opened the newest bubble sits
// at the bottom edge of the view (no gap left where the button was).
func TestChatListBottomAligned(t *testing.T) {
	dir := t.TempDir()
	friend := newPK(t)
	fillHistory(t, dir, friend, 30)
	h := openWindow(t, test.NewTempApp(t), dir, friend, nil)
	h.w.win.Resize(fyne.NewSize(960, 640))
	h.openChat()
	l := h.chat().list
	if l.top.Visible() {
		t.Fatal("the Load older button shows in a chat without older messages")
	}
	if y := l.box.Position().Y; y != 0 {
		t.Errorf("bubbles start at y=%v under a hidden button, want 0", y)
	}
	objs := l.box.Objects
	last := objs[len(objs)-1]
	bottom := l.box.Position().Y + last.Position().Y + last.Size().Height
	if end := l.scroll.Offset.Y + l.scroll.Size().Height; bottom-end > 1 || end-bottom > 1 {
		t.Errorf("newest bubble ends at %v, the view at %v", bottom, end)
	}
}
