package ui

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"github.com/go-text/typesetting/di"
	"github.com/go-text/typesetting/font"
	"github.com/go-text/typesetting/segmenter"
	"github.com/go-text/typesetting/shaping"
	"golang.org/x/image/math/fixed"
)

// emojiWindow shows a chat entry with an emoji button, as the chat input row
// does.
func emojiWindow(t *testing.T) (*emojiPicker, *chatEntry, fyne.Window) {
	t.Helper()
	test.NewTempApp(t)
	entry := newChatEntry(nil)
	p := newEmojiPicker(entry)
	w := test.NewWindow(container.NewBorder(nil, nil, nil, p.button, entry))
	t.Cleanup(w.Close)
	w.Resize(fyne.NewSize(640, 560))
	return p, entry, w
}

// shownCells are the emoji of the picker's visible cells, in order.
func shownCells(p *emojiPicker) []string {
	var got []string
	for i, sect := range p.sections {
		if !sect.Visible() {
			continue
		}
		for _, b := range p.cells[i] {
			if b.Visible() {
				got = append(got, b.char)
			}
		}
	}
	return got
}

func findCell(t *testing.T, p *emojiPicker, s string) *emojiCell {
	t.Helper()
	for _, cells := range p.cells {
		for _, b := range cells {
			if b.char == s && b.Visible() {
				return b
			}
		}
	}
	t.Fatalf("no visible cell %q", s)
	return nil
}

func recentCells(p *emojiPicker) []string {
	var got []string
	for _, o := range p.recentGrid.Objects {
		got = append(got, o.(*emojiCell).char)
	}
	return got
}

func TestEmojiPickerInsertsAtCursor(t *testing.T) {
	p, entry, w := emojiWindow(t)
	entry.SetText("ab\ncd")
	entry.CursorRow, entry.CursorColumn = 1, 1 // between c and d
	entry.Refresh()
	w.Canvas().Focus(entry)

	test.Tap(p.button)
	if !p.popup.Visible() {
		t.Fatal("popup not shown")
	}
	if w.Canvas().Focused() != p.search {
		t.Errorf("focus = %T, want the search field", w.Canvas().Focused())
	}
	if p.recentSect.Visible() {
		t.Error("empty Recent row shown")
	}
	if n := len(shownCells(p)); n != len(allEmoji()) {
		t.Errorf("%d cells shown before filtering, want all %d", n, len(allEmoji()))
	}

	test.Type(p.search, "thumbs")
	if got := shownCells(p); !slices.Equal(got, []string{"👍", "👎"}) {
		t.Fatalf(`"thumbs" shows %q`, got)
	}
	test.Tap(findCell(t, p, "👍"))

	if entry.Text != "ab\nc👍d" {
		t.Errorf("entry = %q, want the emoji at the cursor", entry.Text)
	}
	if entry.CursorRow != 1 || entry.CursorColumn != 2 || entry.CursorTextOffset() != 5 {
		t.Errorf("cursor at row %d col %d (offset %d), want after the emoji", entry.CursorRow, entry.CursorColumn, entry.CursorTextOffset())
	}
	if p.popup.Visible() {
		t.Error("popup still shown after inserting")
	}
	if w.Canvas().Focused() != entry {
		t.Errorf("focus = %T, want the chat entry", w.Canvas().Focused())
	}
	if got := recentCells(p); !slices.Equal(got, []string{"👍"}) {
		t.Errorf("recent row = %q", got)
	}

	// Again: the search is cleared, the Recent row shows, and Enter in the
	// search field types the first match (a two-rune emoji) at the cursor.
	test.Tap(p.button)
	if p.search.Text != "" || !p.recentSect.Visible() {
		t.Errorf("reopened with search %q, Recent shown %v", p.search.Text, p.recentSect.Visible())
	}
	test.Type(p.search, "Red HEART")
	if got := shownCells(p); !slices.Equal(got, []string{"❤️"}) {
		t.Fatalf(`"Red HEART" shows %q`, got)
	}
	if p.recentSect.Visible() {
		t.Error("Recent row shown while searching")
	}
	p.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if entry.Text != "ab\nc👍❤️d" {
		t.Errorf("entry = %q after Enter in the search", entry.Text)
	}
	if entry.CursorTextOffset() != 7 {
		t.Errorf("cursor offset %d, want 7", entry.CursorTextOffset())
	}
	if got := recentCells(p); !slices.Equal(got, []string{"❤️", "👍"}) {
		t.Errorf("recent row = %q, want most recent first", got)
	}
	if p.popup.Visible() || w.Canvas().Focused() != entry {
		t.Error("popup open or entry unfocused after Enter")
	}

	// A Recent cell types too.
	test.Tap(p.button)
	test.Tap(p.recentGrid.Objects[1].(*emojiCell))
	if entry.Text != "ab\nc👍❤️👍d" {
		t.Errorf("entry = %q after a Recent cell", entry.Text)
	}
	if got := recentCells(p); !slices.Equal(got, []string{"👍", "❤️"}) {
		t.Errorf("recent row = %q", got)
	}
}

func TestEmojiPickerReplacesSelection(t *testing.T) {
	p, entry, w := emojiWindow(t)
	entry.SetText("hi you")
	w.Canvas().Focus(entry)
	entry.TypedShortcut(&fyne.ShortcutSelectAll{})
	test.Tap(p.button)
	test.Tap(findCell(t, p, "👋"))
	if entry.Text != "👋" {
		t.Errorf("entry = %q, want the selection replaced", entry.Text)
	}
}

func TestEmojiPickerFilterAndEscape(t *testing.T) {
	p, entry, w := emojiWindow(t)
	w.Canvas().Focus(entry)
	test.Tap(p.button)

	test.Type(p.search, "heart")
	got := shownCells(p)
	if len(got) < 10 || !slices.Contains(got, "💔") || !slices.Contains(got, "😍") {
		t.Errorf(`"heart" shows %q`, got)
	}
	if p.noMatch.Visible() {
		t.Error(`"No emoji found" shown with matches`)
	}
	p.search.SetText("laugh") // in tags and names
	if got := shownCells(p); !slices.Equal(got, []string{"😆", "😂", "🤣"}) {
		t.Errorf(`"laugh" shows %q`, got)
	}
	p.search.SetText("no such emoji")
	if n := len(shownCells(p)); n != 0 || !p.noMatch.Visible() {
		t.Errorf("nonsense shows %d cells, no-match label %v", n, p.noMatch.Visible())
	}
	p.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) // nothing to type
	if p.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape}); p.popup.Visible() {
		t.Error("Escape left the popup open")
	}
	if entry.Text != "" || w.Canvas().Focused() != entry {
		t.Errorf("after Escape: entry %q, focus %T", entry.Text, w.Canvas().Focused())
	}
}

func TestEmojiRecentKeepsSixteen(t *testing.T) {
	var p emojiPicker
	all := allEmoji()
	for _, e := range all[:20] {
		p.remember(e.char)
	}
	p.remember(all[10].char)
	want := []string{all[10].char}
	for i := 19; len(want) < emojiRecentMax; i-- {
		if i != 10 {
			want = append(want, all[i].char)
		}
	}
	if !slices.Equal(p.recent, want) {
		t.Errorf("recent = %q, want %q", p.recent, want)
	}
}

func allEmoji() []emoji {
	var all []emoji
	for _, g := range emojiGroups {
		all = append(all, g.items...)
	}
	return all
}

// TestEmojiTable: every entry is one grapheme with a lower-case name, and
// neither emoji nor names repeat.
func TestEmojiTable(t *testing.T) {
	all := allEmoji()
	if len(all) < 150 {
		t.Errorf("%d emoji, want at least 150", len(all))
	}
	chars, names := map[string]bool{}, map[string]bool{}
	var seg segmenter.Segmenter
	for _, e := range all {
		seg.Init([]rune(e.char))
		n := 0
		for it := seg.GraphemeIterator(); it.Next(); {
			n++
		}
		if n != 1 {
			t.Errorf("%q (%s) is %d graphemes", e.char, e.name, n)
		}
		if e.name == "" || e.name != strings.ToLower(strings.TrimSpace(e.name)) || e.tags != strings.ToLower(e.tags) {
			t.Errorf("%q: name %q, tags %q: want lower case, non-empty name", e.char, e.name, e.tags)
		}
		if chars[e.char] || names[e.name] {
			t.Errorf("%q (%s) repeats", e.char, e.name)
		}
		chars[e.char], names[e.name] = true, true
	}
	for _, g := range emojiGroups {
		if g.title == "" || len(g.items) == 0 {
			t.Errorf("group %q with %d emoji", g.title, len(g.items))
		}
	}
}

// fyneFaces resolves runes as Fyne's painter does for regular text: the
// theme's text font first, then the bundled emoji font.
type fyneFaces []*font.Face

func (f fyneFaces) ResolveFace(r rune) *font.Face {
	for _, face := range f {
		if _, ok := face.NominalGlyph(r); ok {
			return face
		}
	}
	return f[0]
}

func parseFont(t *testing.T, r fyne.Resource) *font.Face {
	t.Helper()
	f, err := font.ParseTTF(bytes.NewReader(r.Content()))
	if err != nil {
		t.Fatalf("%s: %v", r.Name(), err)
	}
	return f
}

// emojiDrawer shapes text as Fyne's painter does.
type emojiDrawer struct {
	faces  fyneFaces
	color  *font.Face
	seg    shaping.Segmenter
	shaper shaping.HarfbuzzShaper
}

// problem says why s would not show as one color emoji: a rune drawn by
// another font, a missing glyph (.notdef), or more than one visible glyph
// (a ZWJ sequence the font has no ligature for). It is "" when s is fine.
func (d *emojiDrawer) problem(s string) string {
	runes := []rune(s)
	in := shaping.Input{Text: runes, RunEnd: len(runes), Direction: di.DirectionLTR, Size: fixed.I(14)}
	var problems []string
	visible := 0
	for _, run := range d.seg.Split(in, d.faces) {
		if run.Face != d.color {
			problems = append(problems, fmt.Sprintf("runes %d–%d not from the emoji font", run.RunStart, run.RunEnd))
		}
		for _, g := range d.shaper.Shape(run).Glyphs {
			if g.GlyphID == 0 {
				problems = append(problems, fmt.Sprintf("no glyph for rune %d", g.ClusterIndex))
			}
			if g.XAdvance != 0 {
				visible++
			}
		}
	}
	if visible != 1 {
		problems = append(problems, fmt.Sprintf("%d visible glyphs", visible))
	}
	return strings.Join(problems, "; ")
}

// TestEmojiGlyphs shapes every emoji as Fyne's painter does and checks that
// the bundled color emoji font draws it as one glyph.
func TestEmojiGlyphs(t *testing.T) {
	if theme.DefaultEmojiFont() == nil {
		t.Fatal("Fyne built without its emoji font (no_emoji tag)")
	}
	text, color := parseFont(t, theme.DefaultTextFont()), parseFont(t, theme.DefaultEmojiFont())
	d := &emojiDrawer{faces: fyneFaces{text, color}, color: color}
	// The check itself: an emoji newer than the font (Unicode 10's orange
	// heart) and a ZWJ sequence it lacks (man technologist) fail it.
	for _, bad := range []string{"🧡", "👨\u200d💻"} {
		if d.problem(bad) == "" {
			t.Errorf("%q passes the glyph check", bad)
		}
	}
	for _, e := range allEmoji() {
		if p := d.problem(e.char); p != "" {
			t.Errorf("%q (%s): %s", e.char, e.name, p)
		}
	}
}
