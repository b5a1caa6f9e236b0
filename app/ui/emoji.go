package ui

import (
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

const (
	emojiColumns   = 8  // cells per grid row
	emojiRows      = 7  // grid rows visible without scrolling
	emojiRecentMax = 16 // length of the "Recent" row
)

// emojiPicker is the chat input's emoji button and its popup: a search
// field, a "Recent" row and the grouped emoji of emojiGroups. Tapping an
// emoji types it into the target at its cursor (replacing a selection),
// closes the popup and gives the focus back to the target; with Shift held
// (desktop drivers) the popup stays open for more.
type emojiPicker struct {
	target fyne.Focusable
	button *widget.Button

	canvas  fyne.Canvas // the canvas popup was built for
	popup   *widget.PopUp
	search  *emojiSearch
	scroll  *container.Scroll
	noMatch *widget.Label

	recent       []string // most recent first, at most emojiRecentMax
	recentGrid   *fyne.Container
	recentSect   *fyne.Container
	sections     []*fyne.Container // one per emojiGroups entry: title, grid
	cells        [][]*emojiCell
	firstMatched string // what Enter in the search field types
}

// newEmojiButton returns the emoji button for target, normally the chat
// entry itself (a *chatEntry, not its embedded widget.Entry, so that the
// focus returns to the widget that handles Enter). Put it next to the send
// button.
func newEmojiButton(target fyne.Focusable) *widget.Button {
	return newEmojiPicker(target).button
}

func newEmojiPicker(target fyne.Focusable) *emojiPicker {
	p := &emojiPicker{target: target}
	p.button = widget.NewButton("🙂", p.open)
	p.button.Importance = widget.LowImportance
	return p
}

// open shows the popup above the button with an empty search field that
// has the focus.
func (p *emojiPicker) open() {
	d := fyne.CurrentApp().Driver()
	c := d.CanvasForObject(p.button)
	if c == nil {
		return
	}
	if p.popup == nil || p.canvas != c {
		p.build(c)
	}
	p.search.SetText("")
	p.updateRecent()
	p.filter("")

	size := p.popup.MinSize()
	p.popup.Resize(size)
	at := d.AbsolutePositionForObject(p.button)
	pos := fyne.NewPos(max(0, at.X+p.button.Size().Width-size.Width), max(0, at.Y-size.Height))
	p.popup.ShowAtPosition(pos)
	c.Focus(p.search)
}

// build makes the popup's widgets for canvas c.
func (p *emojiPicker) build(c fyne.Canvas) {
	p.canvas = c
	p.search = newEmojiSearch()
	p.search.SetPlaceHolder("Search emoji")
	p.search.OnChanged = p.filter
	p.search.OnSubmitted = func(string) {
		if p.firstMatched != "" {
			p.insert(p.firstMatched)
		}
	}
	p.search.onEscape = p.close

	cell := newEmojiCell("😀", nil).MinSize()
	side := max(cell.Width, cell.Height)

	p.recentGrid = container.New(layout.NewGridLayoutWithColumns(emojiColumns))
	p.recentSect = container.NewVBox(emojiTitle("Recent"), p.recentGrid)
	body := container.NewVBox(p.recentSect)
	p.sections = p.sections[:0]
	p.cells = p.cells[:0]
	for _, g := range emojiGroups {
		grid := container.New(layout.NewGridLayoutWithColumns(emojiColumns))
		var cells []*emojiCell
		for _, e := range g.items {
			b := p.cell(e.char)
			cells = append(cells, b)
			grid.Add(b)
		}
		sect := container.NewVBox(emojiTitle(g.title), grid)
		p.sections = append(p.sections, sect)
		p.cells = append(p.cells, cells)
		body.Add(sect)
	}
	p.noMatch = widget.NewLabel("No emoji found")
	p.noMatch.Hide()
	body.Add(p.noMatch)

	p.scroll = container.NewVScroll(body)
	pad := theme.Size(theme.SizeNamePadding)
	p.scroll.SetMinSize(fyne.NewSize(emojiColumns*(side+pad)+pad, emojiRows*(side+pad)))
	p.popup = widget.NewPopUp(container.NewBorder(p.search, nil, nil, nil, p.scroll), c)
}

// cell returns a cell that types s.
func (p *emojiPicker) cell(s string) *emojiCell {
	return newEmojiCell(s, func() { p.insert(s) })
}

// filter shows the emoji whose name or tags hold every word of query, and
// the "Recent" row only while query is empty.
func (p *emojiPicker) filter(query string) {
	if p.popup == nil {
		return
	}
	words := strings.Fields(strings.ToLower(query))
	p.firstMatched = ""
	found := false
	for i, g := range emojiGroups {
		shown := false
		for j, e := range g.items {
			b := p.cells[i][j]
			if e.matches(words) {
				if p.firstMatched == "" {
					p.firstMatched = e.char
				}
				shown = true
				b.Show()
			} else {
				b.Hide()
			}
		}
		setVisible(p.sections[i], shown)
		found = found || shown
	}
	setVisible(p.noMatch, !found)
	setVisible(p.recentSect, len(words) == 0 && len(p.recent) > 0)
	p.scroll.ScrollToTop()
	p.scroll.Refresh()
}

// matches reports whether every word occurs in e's name or tags.
func (e emoji) matches(words []string) bool {
	for _, w := range words {
		if !strings.Contains(e.name, w) && !strings.Contains(e.tags, w) {
			return false
		}
	}
	return true
}

// insert types s into the target at its cursor, remembers it as recent and,
// unless Shift is held, closes the popup and focuses the target.
func (p *emojiPicker) insert(s string) {
	for _, r := range s {
		p.target.TypedRune(r)
	}
	p.remember(s)
	p.updateRecent()
	if !shiftHeld() {
		p.close()
	}
}

// close hides the popup and gives the focus back to the target.
func (p *emojiPicker) close() {
	if p.popup != nil {
		p.popup.Hide()
	}
	if p.canvas != nil {
		p.canvas.Focus(p.target)
	}
}

// remember puts s first in the recent list.
func (p *emojiPicker) remember(s string) {
	r := []string{s}
	for _, old := range p.recent {
		if old != s && len(r) < emojiRecentMax {
			r = append(r, old)
		}
	}
	p.recent = r
}

// updateRecent rebuilds the "Recent" row from p.recent.
func (p *emojiPicker) updateRecent() {
	if p.recentGrid == nil {
		return
	}
	objs := make([]fyne.CanvasObject, len(p.recent))
	for i, s := range p.recent {
		objs[i] = p.cell(s)
	}
	p.recentGrid.Objects = objs
	p.recentGrid.Refresh()
	setVisible(p.recentSect, len(p.recent) > 0 && p.search.Text == "")
}

// shiftHeld reports whether a desktop driver sees Shift held.
func shiftHeld() bool {
	d, ok := fyne.CurrentApp().Driver().(desktop.Driver)
	return ok && d.CurrentKeyModifiers()&fyne.KeyModifierShift != 0
}

func setVisible(o fyne.CanvasObject, v bool) {
	if v && !o.Visible() {
		o.Show()
	} else if !v && o.Visible() {
		o.Hide()
	}
}

func emojiTitle(s string) *widget.Label {
	return widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

// emojiSearch is the picker's search field: Escape closes the picker.
type emojiSearch struct {
	widget.Entry
	onEscape func()
}

func newEmojiSearch() *emojiSearch {
	e := &emojiSearch{}
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey closes the picker on Escape.
func (e *emojiSearch) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape && e.onEscape != nil {
		e.onEscape()
		return
	}
	e.Entry.TypedKey(k)
}

// emojiCell is one emoji of the picker, drawn half as large again as text
// and highlighted under the mouse; tapping it calls onTap.
type emojiCell struct {
	widget.BaseWidget
	char  string
	onTap func()
	hover bool
	bg    *canvas.Rectangle
	text  *canvas.Text
}

func newEmojiCell(char string, onTap func()) *emojiCell {
	c := &emojiCell{char: char, onTap: onTap}
	c.ExtendBaseWidget(c)
	c.bg = canvas.NewRectangle(color.Transparent)
	c.text = canvas.NewText(char, color.Black)
	c.text.Alignment = fyne.TextAlignCenter
	c.style()
	return c
}

// style sets the sizes and colours from the widget's theme.
func (c *emojiCell) style() {
	th := c.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	c.text.TextSize = th.Size(theme.SizeNameText) * 1.5
	c.text.Color = th.Color(theme.ColorNameForeground, v)
	c.bg.CornerRadius = th.Size(theme.SizeNameInputRadius)
	c.bg.FillColor = color.Transparent
	if c.hover {
		c.bg.FillColor = th.Color(theme.ColorNameHover, v)
	}
}

func (c *emojiCell) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewStack(c.bg, container.NewPadded(container.NewCenter(c.text))))
}

// Refresh restyles the cell (hover, theme change).
func (c *emojiCell) Refresh() {
	c.style()
	c.BaseWidget.Refresh()
	c.bg.Refresh()
	c.text.Refresh()
}

// Tapped calls onTap.
func (c *emojiCell) Tapped(*fyne.PointEvent) {
	if c.onTap != nil {
		c.onTap()
	}
}

// MouseIn highlights the cell.
func (c *emojiCell) MouseIn(*desktop.MouseEvent) {
	c.hover = true
	c.Refresh()
}

// MouseMoved does nothing.
func (c *emojiCell) MouseMoved(*desktop.MouseEvent) {}

// MouseOut ends the highlight.
func (c *emojiCell) MouseOut() {
	c.hover = false
	c.Refresh()
}
