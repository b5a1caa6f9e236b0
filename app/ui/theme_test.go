package ui

import (
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"parley/app/settings"
	"parley/app/viewmodel"
)

// luminance is the WCAG relative luminance of c.
func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	lin := func(v uint32) float64 {
		s := float64(v) / 0xffff
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

// over is the opaque colour of c drawn over the opaque colour back.
func over(c, back color.Color) color.Color {
	r, g, b, a := c.RGBA() // premultiplied
	br, bg, bb, _ := back.RGBA()
	mix := func(v, w uint32) uint16 { return uint16(v + w*(0xffff-a)/0xffff) }
	return color.RGBA64{mix(r, br), mix(g, bg), mix(b, bb), 0xffff}
}

// contrast is the WCAG contrast ratio of two colours.
func contrast(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// TestSecondaryTextContrast: the friend list's preview line is readable
// (WCAG AA, 4.5:1) on the background and on the selected row, in both
// variants and for every theme choice.
func TestSecondaryTextContrast(t *testing.T) {
	for _, name := range []string{settings.ThemeLight, settings.ThemeDark, settings.ThemeSystem} {
		th := themeFor(name)
		for _, v := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
			fg := th.Color(colorNameSecondary, v)
			back := th.Color(theme.ColorNameBackground, v)
			for _, bg := range []fyne.ThemeColorName{theme.ColorNameBackground, theme.ColorNameSelection} {
				if c := contrast(fg, over(th.Color(bg, v), back)); c < 4.5 {
					t.Errorf("theme %s variant %d: secondary text on %s has contrast %.2f, want ≥ 4.5", name, v, bg, c)
				}
			}
		}
	}
}

// TestFriendRowPreview: the preview line uses the secondary colour and
// shows the last message.
func TestFriendRowPreview(t *testing.T) {
	test.NewTempApp(t)
	r := newFriendRow().(*friendRow)
	r.set(viewmodel.Friend{Name: "Bob", StatusMessage: "Back from the mountains"})
	seg := r.preview.Segments[0].(*widget.TextSegment)
	if seg.Text != "Back from the mountains" || seg.Style.ColorName != colorNameSecondary {
		t.Fatalf("preview = %q in %q", seg.Text, seg.Style.ColorName)
	}
	if r.preview.Truncation != fyne.TextTruncateEllipsis {
		t.Error("preview not truncated")
	}
}

// TestNewProfileCardWraps: the "New profile" explanation wraps inside its
// card instead of running past its edge.
func TestNewProfileCardWraps(t *testing.T) {
	h := newHarness(t, t.TempDir())
	h.w.Window().Resize(fyne.NewSize(960, 640))
	var card *widget.Card
	for _, o := range test.LaidOutObjects(h.w.first.content) {
		if c, ok := o.(*widget.Card); ok && c.Title == "New profile" {
			card = c
		}
	}
	if card == nil {
		t.Fatal("no New profile card")
	}
	if card.Subtitle != "" {
		t.Errorf("card subtitle %q does not wrap", card.Subtitle)
	}
	for _, o := range test.LaidOutObjects(card) {
		if l, ok := o.(*widget.Label); ok && l.Wrapping == fyne.TextWrapOff && l.MinSize().Width > card.Size().Width {
			t.Errorf("label %q (%.0f wide) runs past the card (%.0f)", l.Text, l.MinSize().Width, card.Size().Width)
		}
	}
}
