package gui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// variantTheme is Fyne's default theme held to one variant, light or dark,
// whatever the desktop prefers.
type variantTheme struct {
	fyne.Theme
	variant fyne.ThemeVariant
}

// Color returns the colour of name in the forced variant.
func (t variantTheme) Color(name fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(name, t.variant)
}

// themeFor returns the Fyne theme for a theme choice (themeSystem,
// themeLight or themeDark).
func themeFor(choice string) fyne.Theme {
	switch choice {
	case themeLight:
		return variantTheme{theme.DefaultTheme(), theme.VariantLight}
	case themeDark:
		return variantTheme{theme.DefaultTheme(), theme.VariantDark}
	}
	return theme.DefaultTheme()
}

// applyTheme sets the app's theme from the preferences. The system choice
// at start leaves Fyne's own choice alone (it follows the desktop and the
// FYNE_THEME variable).
func (u *UI) applyTheme(atStart bool) {
	choice := u.prefs.Theme()
	if atStart && choice == themeSystem {
		return
	}
	u.app.Settings().SetTheme(themeFor(choice))
}
