package ui

import (
	"strconv"
	"strings"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"parley/app/store"
	"parley/app/viewmodel"
	"parley/net/key"
)

// searchListHeight is the height of the list of hits.
const searchListHeight = 150

// chatSearch is the open chat's search: the header's search button shows
// the bar, typing searches the chat's history (the view model runs the
// latest query when its worker is free: a search per pause in typing, not
// per key), the hits list newest first with a snippet and date, and
// choosing one (a tap, Enter or ↑ for the next older, ↓ for the next
// newer) opens the chat on it, marked. Escape or the close button hides
// the bar. UI goroutine only.
type chatSearch struct {
	c      *chatView
	button *widget.Button // in the chat's header
	bar    *fyne.Container
	entry  *searchEntry
	count  *widget.Label
	older  *widget.Button
	newer  *widget.Button
	close  *widget.Button
	list   *widget.List
	shown  *fyne.Container // the list, hidden when there are no hits

	pk   key.PublicKey // the chat searched
	hits []store.Hit   // newest first
	cur  int           // the hit opened; -1 none
}

func newChatSearch(c *chatView) *chatSearch {
	s := &chatSearch{c: c, cur: -1}
	// The chat opens on old messages: its list pages towards the newest.
	c.list.loadNewer, c.list.hasNewer = c.vm.LoadNewer, c.vm.HasNewer

	s.button = widget.NewButtonWithIcon("", theme.SearchIcon(), s.toggle)
	s.entry = newSearchEntry(s)
	s.entry.SetPlaceHolder("Search this chat")
	s.entry.OnChanged = s.run
	s.entry.OnSubmitted = func(string) { s.step(1) }
	s.count = widget.NewLabel("")
	s.older = widget.NewButtonWithIcon("", theme.MoveUpIcon(), func() { s.step(1) })
	s.newer = widget.NewButtonWithIcon("", theme.MoveDownIcon(), func() { s.step(-1) })
	s.close = widget.NewButtonWithIcon("", theme.CancelIcon(), s.hide)
	s.list = widget.NewList(func() int { return len(s.hits) }, newHitRow,
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*hitRow).set(s.hits[i]) })
	s.list.OnSelected = func(i widget.ListItemID) {
		if i != s.cur {
			s.open(i)
		}
	}
	height := canvas.NewRectangle(nil)
	height.SetMinSize(fyne.NewSize(1, searchListHeight))
	s.shown = container.NewStack(height, s.list)
	s.shown.Hide()
	s.bar = container.NewVBox(
		container.NewBorder(nil, nil, nil, container.NewHBox(s.count, s.older, s.newer, s.close), s.entry),
		s.shown)
	s.bar.Hide()
	s.updateButtons()
	return s
}

// follow keeps the bar on the open chat: another chat hides it.
func (s *chatSearch) follow(pk key.PublicKey) {
	if pk != s.pk {
		s.pk = pk
		s.hide()
	}
}

func (s *chatSearch) toggle() {
	if s.bar.Visible() {
		s.hide()
		return
	}
	s.bar.Show()
	if cv := fyne.CurrentApp().Driver().CanvasForObject(s.entry); cv != nil {
		cv.Focus(s.entry)
	}
	s.run(s.entry.Text)
}

// hide hides the bar and forgets the hits; the chat stays where it is,
// unmarked.
func (s *chatSearch) hide() {
	s.setHits(nil)
	s.count.SetText("")
	s.c.list.unmark()
	if s.bar.Visible() {
		s.bar.Hide()
	}
}

// run searches query in the open chat.
func (s *chatSearch) run(query string) {
	if !s.bar.Visible() {
		return
	}
	if strings.TrimSpace(query) == "" {
		s.setHits(nil)
		s.count.SetText("")
		return
	}
	s.c.vm.Search(query, func(hits []store.Hit) {
		if !s.bar.Visible() || s.entry.Text != query {
			return // an answer to a query no longer asked
		}
		s.setHits(hits)
		s.count.SetText(countText(len(hits)))
	})
}

func (s *chatSearch) setHits(hits []store.Hit) {
	s.hits, s.cur = hits, -1
	s.list.UnselectAll()
	s.list.Refresh()
	if len(hits) > 0 {
		s.list.ScrollToTop()
		s.shown.Show()
	} else {
		s.shown.Hide()
	}
	s.updateButtons()
}

// countText says how many hits a search found.
func countText(n int) string {
	switch {
	case n == 0:
		return "No matches"
	case n == 1:
		return "1 match"
	case n >= viewmodel.SearchLimit:
		return strconv.Itoa(n) + "+ matches"
	}
	return strconv.Itoa(n) + " matches"
}

// step opens the hit d places on: 1 is the next older, -1 the next newer.
func (s *chatSearch) step(d int) {
	if i := s.cur + d; i >= 0 && i < len(s.hits) {
		s.open(i)
	} else if s.cur < 0 && len(s.hits) > 0 {
		s.open(0)
	}
}

// open opens the chat on hit i.
func (s *chatSearch) open(i int) {
	s.cur = i
	s.list.Select(i)
	s.count.SetText(strconv.Itoa(i+1) + " of " + countText(len(s.hits)))
	s.updateButtons()
	s.c.jump(s.hits[i].ID)
}

func (s *chatSearch) updateButtons() {
	enable := func(b *widget.Button, on bool) {
		if on {
			b.Enable()
		} else {
			b.Disable()
		}
	}
	enable(s.older, s.cur+1 < len(s.hits))
	enable(s.newer, s.cur > 0)
}

// jump shows message id of the open chat, marked, loading the messages
// around it when they are not loaded.
func (c *chatView) jump(id int64) {
	if c.vm.JumpTo(id) { // refreshes the view when it loads
		c.list.reveal(id)
	}
}

// searchEntry is the search field: Enter opens the next older hit (its
// OnSubmitted), ↑ and ↓ the next older and newer, Escape hides the bar.
type searchEntry struct {
	widget.Entry
	s *chatSearch
}

func newSearchEntry(s *chatSearch) *searchEntry {
	e := &searchEntry{s: s}
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey handles the keys of the search.
func (e *searchEntry) TypedKey(k *fyne.KeyEvent) {
	switch k.Name {
	case fyne.KeyEscape:
		e.s.hide()
	case fyne.KeyUp:
		e.s.step(1)
	case fyne.KeyDown:
		e.s.step(-1)
	default:
		e.Entry.TypedKey(k)
	}
}

// hitRow is one hit in the list: the snippet, matched words in bold, and
// the message's date.
type hitRow struct {
	widget.BaseWidget
	snippet *widget.RichText
	date    *widget.Label
}

func newHitRow() fyne.CanvasObject {
	r := &hitRow{snippet: widget.NewRichText(), date: widget.NewLabel("")}
	r.snippet.Truncation = fyne.TextTruncateEllipsis
	r.date.Importance = widget.LowImportance
	r.ExtendBaseWidget(r)
	return r
}

// CreateRenderer implements fyne.Widget.
func (r *hitRow) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, nil, r.date, r.snippet))
}

func (r *hitRow) set(h store.Hit) {
	r.snippet.Segments = snippetSegments(h.Snippet, h.Action)
	r.snippet.Refresh()
	r.date.SetText(h.Time.Format("2 Jan 2006 15:04"))
}

// snippetSegments turns a store snippet into one line of rich text, the
// matched words bold.
func snippetSegments(snippet string, action bool) []widget.RichTextSegment {
	var segs []widget.RichTextSegment
	add := func(text string, bold bool) {
		text = strings.Map(func(r rune) rune {
			if unicode.IsSpace(r) {
				return ' '
			}
			if unicode.IsControl(r) {
				return -1
			}
			return r
		}, text)
		if text == "" {
			return
		}
		style := widget.RichTextStyleInline
		style.TextStyle = fyne.TextStyle{Bold: bold, Italic: action}
		segs = append(segs, &widget.TextSegment{Text: text, Style: style})
	}
	for rest := snippet; rest != ""; {
		before, after, found := strings.Cut(rest, store.MarkStart)
		add(before, false)
		if !found {
			break
		}
		match, tail, _ := strings.Cut(after, store.MarkEnd)
		add(match, true)
		rest = tail
	}
	return segs
}
