package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"parley/app/settings"
)

// variantTheme is the default theme held to one variant (light or dark)
// whatever the desktop prefers.
type variantTheme struct {
	fyne.Theme
	variant fyne.ThemeVariant
}

func (t variantTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, t.variant)
}

// themeFor is the Fyne theme of a settings theme choice. The default theme
// follows the desktop's light/dark preference (and FYNE_THEME).
func themeFor(name string) fyne.Theme {
	switch name {
	case settings.ThemeLight:
		return variantTheme{theme.DefaultTheme(), theme.VariantLight}
	case settings.ThemeDark:
		return variantTheme{theme.DefaultTheme(), theme.VariantDark}
	}
	return theme.DefaultTheme()
}

func applyTheme(a fyne.App, name string) { a.Settings().SetTheme(themeFor(name)) }
