package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"parley/app/settings"
)

// colorNameSecondary is the colour of secondary text (the friend list's
// last-message line, the chat header's status): quieter than the
// foreground but readable, unlike Fyne's disabled colour, which the
// LowImportance label uses. Both values keep a contrast ratio above 4.5:1
// against the theme's background and the selected row.
const colorNameSecondary fyne.ThemeColorName = "parley-secondary"

var (
	secondaryLight = color.NRGBA{0x52, 0x58, 0x63, 0xff}
	secondaryDark  = color.NRGBA{0xb4, 0xb9, 0xc2, 0xff}
)

// parleyTheme is the default theme with Parley's extra colours, held to
// one variant (light or dark) when fixed, else following the desktop.
type parleyTheme struct {
	fyne.Theme
	variant fyne.ThemeVariant
	fixed   bool
}

func (t parleyTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if t.fixed {
		v = t.variant
	}
	if n == colorNameSecondary {
		if v == theme.VariantDark {
			return secondaryDark
		}
		return secondaryLight
	}
	return t.Theme.Color(n, v)
}

// themeFor is the Fyne theme of a settings theme choice. The system choice
// follows the desktop's light/dark preference (and FYNE_THEME).
func themeFor(name string) fyne.Theme {
	switch name {
	case settings.ThemeLight:
		return parleyTheme{theme.DefaultTheme(), theme.VariantLight, true}
	case settings.ThemeDark:
		return parleyTheme{theme.DefaultTheme(), theme.VariantDark, true}
	}
	return parleyTheme{Theme: theme.DefaultTheme()}
}

func applyTheme(a fyne.App, name string) { a.Settings().SetTheme(themeFor(name)) }

// newSecondaryText is a one-line text in the secondary colour, cut with an
// ellipsis when too long. Set its text with setSecondaryText.
func newSecondaryText() *widget.RichText {
	seg := &widget.TextSegment{Style: widget.RichTextStyle{ColorName: colorNameSecondary, Inline: true,
		SizeName: theme.SizeNameText}}
	t := widget.NewRichText(seg)
	t.Truncation = fyne.TextTruncateEllipsis
	return t
}

// setSecondaryText changes the text of a newSecondaryText.
func setSecondaryText(t *widget.RichText, s string) {
	seg := t.Segments[0].(*widget.TextSegment)
	if seg.Text == s {
		return
	}
	seg.Text = s
	t.Refresh()
}
