package ui

import (
	"cmp"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"

	"parley/app/store"
	"parley/net/key"
)

// Window of rendered bubbles. The view model holds the loaded messages of
// the open chat (a page at a time, architecture.md §9.6); the chat renders
// at most maxRendered of them, so a chat with a long history costs widgets
// in proportion to the window, not to what was loaded or stored.
const (
	maxRendered = 120 // bubbles alive at once
	windowStep  = 40  // bubbles the window moves by at an edge
)

// bubbleKey is what a rendered bubble shows; a bubble is rebuilt only when
// it changes.
type bubbleKey struct {
	state    store.State
	receipts bool
	who      string
	theme    [4]uint32 // the bubble colour of the theme it was drawn in
	marked   bool      // the message a search result opened (reveal)
}

type cachedBubble struct {
	key bubbleKey
	obj fyne.CanvasObject
}

// chatList is the message area: a bounded window [lo, hi) of the loaded
// messages, rendered as bubbles in box inside scroll. While follow is set
// the window is the newest messages and the view sticks to the bottom;
// otherwise it starts at the message firstID. Scrolling to the top moves
// the window up, then loads an older page lazily; scrolling to the bottom
// moves it down, then loads a newer page when the loaded messages stop
// short of the newest (after a jump to a search result, reveal). Not safe
// for concurrent use: UI goroutine only.
type chatList struct {
	box    *fyne.Container
	scroll *container.Scroll
	top    fyne.CanvasObject // above the bubbles, shown while older messages exist
	// loadOlder asks the view model for the previous page; it calls back
	// into update (through the view's refresh) before it returns.
	loadOlder func()
	hasOlder  func() bool
	// loadNewer and hasNewer are their counterparts towards the newest
	// message; by default there is never anything newer.
	loadNewer func()
	hasNewer  func() bool

	pk       key.PublicKey
	open     bool
	msgs     []store.Message // the view model's loaded messages, oldest first
	who      string
	receipts bool
	lo, hi   int
	firstID  int64
	follow   bool
	lastID   int64 // the newest message rendered last time
	cache    map[int64]cachedBubble
	busy     bool  // the list itself is moving the scroll, or loading
	mark     int64 // the message shown marked; 0 for none
}

func newChatList(loadOlder func(), hasOlder func() bool, top fyne.CanvasObject) *chatList {
	l := &chatList{box: container.NewVBox(), loadOlder: loadOlder, hasOlder: hasOlder,
		loadNewer: func() {}, hasNewer: func() bool { return false },
		cache: make(map[int64]cachedBubble), follow: true}
	l.top = top
	l.scroll = container.NewVScroll(container.NewVBox(top, l.box))
	l.scroll.OnScrolled = l.scrolled
	return l
}

// canOlder reports whether there is anything above the window: rendered
// later, or still in the store.
func (l *chatList) canOlder() bool { return l.lo > 0 || l.hasOlder() }

// update shows msgs, the open chat of friend pk, named who. It rebuilds
// only the bubbles whose message changed, and follows a new message when
// the view is at the bottom, the message is ours (not merely loaded with a
// newer page), or the chat was just opened.
func (l *chatList) update(pk key.PublicKey, msgs []store.Message, who string, receipts bool) {
	switched := !l.open || pk != l.pk
	if switched || who != l.who || receipts != l.receipts {
		clear(l.cache)
	}
	l.pk, l.open, l.msgs, l.who, l.receipts = pk, true, msgs, who, receipts
	var last int64
	if n := len(msgs); n > 0 {
		last = msgs[n-1].ID
		if switched || (last != l.lastID && msgs[n-1].Outgoing && !l.busy) {
			l.follow = true
		}
	}
	if switched {
		l.follow, l.mark = true, 0
	}
	fresh := last != l.lastID
	l.lastID = last
	l.render()
	if switched || (fresh && l.follow) {
		l.toBottom()
	}
}

// render places the window and shows its bubbles.
func (l *chatList) render() {
	n := len(l.msgs)
	if l.follow {
		l.hi, l.lo = n, max(0, n-maxRendered)
	} else {
		i, found := slices.BinarySearchFunc(l.msgs, l.firstID, byID)
		if !found && i >= n {
			i = max(0, n-maxRendered)
		}
		l.lo, l.hi = i, min(n, i+maxRendered)
	}
	if l.lo < n {
		l.firstID = l.msgs[l.lo].ID
	}
	objs := make([]fyne.CanvasObject, 0, l.hi-l.lo)
	var tk [4]uint32
	tk[0], tk[1], tk[2], tk[3] = theme.Color(theme.ColorNameInputBackground).RGBA()
	for _, m := range l.msgs[l.lo:l.hi] {
		k := bubbleKey{state: m.State, receipts: l.receipts, who: l.who, theme: tk, marked: m.ID == l.mark}
		cb, ok := l.cache[m.ID]
		if !ok || cb.key != k {
			b := bubble(m, l.who, l.receipts)
			if k.marked {
				b = markBubble(b)
			}
			cb = cachedBubble{key: k, obj: newBubbleView(b)}
			l.cache[m.ID] = cb
		}
		objs = append(objs, cb.obj)
	}
	if len(l.cache) > 2*maxRendered { // forget bubbles that left the window
		keep := make(map[int64]cachedBubble, len(objs))
		for _, m := range l.msgs[l.lo:l.hi] {
			keep[m.ID] = l.cache[m.ID]
		}
		l.cache = keep
	}
	topChanged := l.top.Visible() != l.canOlder()
	if topChanged {
		if l.canOlder() {
			l.top.Show()
		} else {
			l.top.Hide()
		}
	}
	if slices.Equal(objs, l.box.Objects) && !topChanged {
		return // nothing to lay out again
	}
	l.box.Objects = objs
	l.relayout()
}

// relayout places the window's bubbles after a change. Unlike a Refresh
// of the containers it does not redraw every bubble: the bubbles that
// stayed are unchanged, the new ones were never drawn.
func (l *chatList) relayout() {
	before := l.box.Size()
	c := l.scroll.Content.(*fyne.Container)
	size := c.MinSize().Max(l.scroll.Size())
	if c.Size() == size { // Resize would lay nothing out
		c.Layout.Layout(c.Objects, size) // places the box under the top button, or at 0
		if l.box.Size() == before {
			l.box.Layout.Layout(l.box.Objects, before)
		}
	} else {
		c.Resize(size)
	}
	canvas.Refresh(l.box)
}

func (l *chatList) toBottom() {
	l.busy = true
	defer func() { l.busy = false }()
	// The content is laid out (render): ScrollToBottom measures it.
	l.scroll.ScrollToBottom()
}

// scrolled follows the user's scrolling: the top edge shows older
// messages, the bottom edge newer ones or the live end.
func (l *chatList) scrolled(p fyne.Position) {
	if l.busy || !l.open {
		return
	}
	view := l.scroll.Size().Height
	content := l.scroll.Content.MinSize().Height
	switch {
	case p.Y <= 0 && content > view:
		l.showOlder()
	case p.Y+view >= content-2:
		if l.hi == len(l.msgs) && l.hasNewer() {
			l.busy = true
			l.loadNewer() // refreshes the view, keeping firstID in place
			l.busy = false
		}
		switch {
		case l.hi < len(l.msgs):
			l.shift(windowStep)
		case !l.hasNewer():
			l.follow = true
		}
	default:
		l.follow = false
	}
}

// showOlder moves the window up, loading the previous page first when the
// window already starts at the oldest loaded message.
func (l *chatList) showOlder() {
	l.follow = false
	if l.lo == 0 && l.hasOlder() {
		l.busy = true
		l.loadOlder() // refreshes the view, keeping firstID in place
		l.busy = false
	}
	if l.lo > 0 {
		l.shift(-windowStep)
	}
}

// shift moves the window by d messages, keeping the bubbles that stay put
// on the screen.
func (l *chatList) shift(d int) {
	if len(l.msgs) == 0 {
		return
	}
	lo := min(max(0, l.lo+d), max(0, len(l.msgs)-maxRendered))
	if lo == l.lo {
		return
	}
	// The anchor is a message in both windows: where it moves on the
	// content, the offset moves too.
	anchor := l.msgs[max(lo, l.lo)].ID
	before, ok := l.cache[anchor]
	if !ok {
		return
	}
	y0 := before.obj.Position().Y
	l.follow = false
	l.firstID = l.msgs[lo].ID
	l.render()
	l.busy = true
	defer func() { l.busy = false }()
	off := l.scroll.Offset
	off.Y = max(0, off.Y+l.cache[anchor].obj.Position().Y-y0)
	l.scroll.ScrollToOffset(off)
}

// reveal shows message id, one of the loaded messages, marked in the
// middle of the view, and stops following the newest messages. It reports
// whether id is loaded.
func (l *chatList) reveal(id int64) bool {
	i, ok := slices.BinarySearchFunc(l.msgs, id, byID)
	if !ok {
		return false
	}
	l.follow, l.mark = false, id
	l.firstID = l.msgs[max(0, min(i-maxRendered/2, len(l.msgs)-maxRendered))].ID
	l.render()
	// Where the bubbles start depends on what is above them ("Load older
	// messages" comes and goes): lay the content out before measuring.
	c := l.scroll.Content
	c.Resize(c.MinSize().Max(l.scroll.Size()))
	if cc, ok := c.(*fyne.Container); ok && cc.Layout != nil {
		cc.Layout.Layout(cc.Objects, cc.Size())
	}
	obj := l.cache[id].obj
	y := l.box.Position().Y + obj.Position().Y - (l.scroll.Size().Height-obj.Size().Height)/2
	l.busy = true
	defer func() { l.busy = false }()
	l.scroll.ScrollToOffset(fyne.NewPos(0, max(0, y)))
	return true
}

// unmark takes the mark of reveal off.
func (l *chatList) unmark() {
	if l.mark != 0 {
		l.mark = 0
		l.render()
	}
}

// markBubble is a bubble marked as the message a search result opened.
func markBubble(b fyne.CanvasObject) fyne.CanvasObject {
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameSelection))
	bg.CornerRadius = 10
	return container.NewStack(bg, b)
}

func byID(m store.Message, id int64) int { return cmp.Compare(m.ID, id) }
