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
	"parley/net/key"
)

// searchHistory creates profile "Alice" in dir with n messages with
// friend, "message number i" except for the texts of special, and
// returns the stored messages.
func searchHistory(t *testing.T, dir string, friend key.PublicKey, n int, special map[int]string) []store.Message {
	t.Helper()
	acct, err := account.Create(dir, "Alice", "")
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(acct.HistoryPath())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	t0 := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	ms := make([]store.Message, n)
	for i := range ms {
		text, ok := special[i]
		if !ok {
			text = "message number " + strconv.Itoa(i)
		}
		ms[i] = store.Message{Friend: friend, Outgoing: i%3 == 0, Text: text, Time: t0.Add(time.Duration(i) * time.Minute), State: store.Delivered}
	}
	stored, err := st.AddBatch(ms)
	if err != nil {
		t.Fatal(err)
	}
	return stored
}

// onScreen reports whether message id's bubble is rendered and inside
// the chat's visible area.
func onScreen(c *chatView, id int64) bool {
	cb, ok := c.list.cache[id]
	if !ok || !containsObject(c.msgs.Objects, cb.obj) {
		return false
	}
	top := c.msgs.Position().Y + cb.obj.Position().Y - c.scroll.Offset.Y
	return top >= 0 && top+cb.obj.Size().Height <= c.scroll.Size().Height
}

func containsObject(objs []fyne.CanvasObject, o fyne.CanvasObject) bool {
	for _, x := range objs {
		if x == o {
			return true
		}
	}
	return false
}

// TestChatSearch: the header's search button opens the bar; typing finds
// the chat's messages whatever their case and diacritics, and nothing
// for a word not in it; a hit opens the chat on the message, marked and on
// screen, also far from the loaded page; ↓ and ↑ step through the hits;
// scrolling down from an old hit reaches the newest message; Escape
// closes the bar.
func TestChatSearch(t *testing.T) {
	dir := t.TempDir()
	friend := newPK(t)
	const n = 600
	all := searchHistory(t, dir, friend, n, map[int]string{
		37:  "Rendez-vous au Café de Flore",
		300: "café crème tomorrow?",
		590: "CAFE closed today",
		591: "the cafeteria is open",
	})
	h := openWindow(t, test.NewTempApp(t), dir, friend, nil)
	h.openChat()
	c := h.chat()
	s := c.search
	if s.bar.Visible() {
		t.Fatal("search bar shown before the search button was tapped")
	}
	test.Tap(s.button)
	if !s.bar.Visible() || h.w.win.Canvas().Focused() != s.entry {
		t.Fatalf("the search button did not show the bar (%v) and focus the field", s.bar.Visible())
	}

	test.Type(s.entry, "cafe")
	h.until("4 matches for cafe", func() bool { return s.count.Text == "4 matches" })
	want := []int{591, 590, 300, 37} // newest first; "cafe" is also a prefix
	for i, w := range want {
		if s.hits[i].ID != all[w].ID {
			t.Fatalf("hit %d = %q, want %q", i, s.hits[i].Text, all[w].Text)
		}
	}
	if s.list.Length() != 4 || !s.shown.Visible() {
		t.Fatalf("list of %d hits, shown %v", s.list.Length(), s.shown.Visible())
	}
	row := newHitRow().(*hitRow)
	row.set(s.hits[3])
	if got := row.snippet.String(); got != "Rendez-vous au Café de Flore" || row.date.Text != "1 Jan 2026 09:37" {
		t.Fatalf("row = %q, %q", got, row.date.Text)
	}
	if segs := row.snippet.Segments; len(segs) != 3 || !segs[1].(*widget.TextSegment).Style.TextStyle.Bold ||
		segs[1].(*widget.TextSegment).Text != "Café" || segs[0].(*widget.TextSegment).Style.TextStyle.Bold {
		t.Fatalf("snippet segments = %#v", segs)
	}
	if got := countText(viewmodel.SearchLimit); got != strconv.Itoa(viewmodel.SearchLimit)+"+ matches" {
		t.Fatalf("count at the limit = %q", got)
	}

	s.entry.SetText("zèbre")
	h.until("no matches for zèbre", func() bool { return s.count.Text == "No matches" })
	if s.list.Length() != 0 || s.shown.Visible() {
		t.Fatal("hits listed for a word not in the chat")
	}
	s.entry.SetText("CAFÉ CRÈME")
	h.until("1 match for CAFÉ CRÈME", func() bool { return s.count.Text == "1 match" })
	s.entry.SetText("  Café  ")
	h.until("4 matches for Café", func() bool { return s.count.Text == "4 matches" })

	// The oldest hit, far above the loaded page.
	if _, msgs, _ := h.w.vm.Chat(); msgs[0].ID > all[37].ID {
		s.list.Select(3)
	} else {
		t.Fatal("the hit is loaded already: the test proves nothing")
	}
	if !containsText(c.msgs, all[37].Text) || !onScreen(c, all[37].ID) {
		t.Fatal("the chat does not show the hit")
	}
	if c.list.mark != all[37].ID || !c.list.cache[all[37].ID].key.marked {
		t.Fatal("the hit is not marked")
	}
	if s.count.Text != "4 of 4 matches" || !h.w.vm.HasNewer() {
		t.Fatalf("count %q, newer %v", s.count.Text, h.w.vm.HasNewer())
	}

	// ↓: the next newer hit, loaded again; ↑ back.
	s.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	if s.cur != 2 || !onScreen(c, all[300].ID) || c.list.mark != all[300].ID {
		t.Fatalf("↓ opened hit %d", s.cur)
	}
	if containsText(c.msgs, all[37].Text) {
		t.Fatal("the old hit still shows")
	}
	s.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyUp})
	if s.cur != 3 || !onScreen(c, all[37].ID) {
		t.Fatalf("↑ opened hit %d", s.cur)
	}
	// Enter from the oldest hit stays there.
	s.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if s.cur != 3 {
		t.Fatalf("Enter at the oldest hit opened %d", s.cur)
	}

	// Scrolling down pages towards the newest message.
	for range 60 {
		c.scroll.Scrolled(&fyne.ScrollEvent{Scrolled: fyne.Delta{DY: -1e7}})
		h.q.Run()
	}
	_, msgs, _ := h.w.vm.Chat()
	if h.w.vm.HasNewer() || msgs[len(msgs)-1].ID != all[n-1].ID || !c.list.follow {
		t.Fatalf("scrolled down to %q, newer %v, follow %v", msgs[len(msgs)-1].Text, h.w.vm.HasNewer(), c.list.follow)
	}
	if !containsText(c.msgs, all[n-1].Text) {
		t.Fatal("the newest message is not shown at the end")
	}
	for i := 1; i < len(msgs); i++ {
		if msgs[i].ID <= msgs[i-1].ID {
			t.Fatalf("loaded messages out of order at %d", i)
		}
	}

	// Escape hides the bar and the mark.
	s.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if s.bar.Visible() || c.list.mark != 0 || len(s.hits) != 0 {
		t.Fatalf("after Escape: bar %v, mark %d, %d hits", s.bar.Visible(), c.list.mark, len(s.hits))
	}
	// Opened again, it searches what the field holds; the close button hides it.
	test.Tap(s.button)
	h.until("4 matches again", func() bool { return s.count.Text == "4 matches" })
	s.step(1)
	if !onScreen(c, all[591].ID) {
		t.Fatal("Enter did not open the newest hit")
	}
	test.Tap(s.close)
	if s.bar.Visible() {
		t.Fatal("the close button did not hide the bar")
	}
}
