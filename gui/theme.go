package gui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// readableTheme is Fyne's default theme, held to one variant (light or
// dark) when the user chose one, with low-importance text readable:
// Fyne draws it (a "could not check" row, the Show and Sort labels, the
// editor's "Detected: …" hint) in its disabled colour, at 1.6:1 against
// the dark background and 1.3:1 against the light one. Here that colour
// meets WCAG AA for text (4.5:1) on the background, in fields, in dialogs
// and on a selected row, in both variants (TestLowTextContrast).
type readableTheme struct {
	fyne.Theme
	variant fyne.ThemeVariant
	forced  bool // variant replaces the desktop's
}

// Readable disabled-text colours, by variant.
var (
	lowTextDark  = color.NRGBA{R: 0xa0, G: 0xa0, B: 0xa2, A: 0xff}
	lowTextLight = color.NRGBA{R: 0x5c, G: 0x5c, B: 0x5c, A: 0xff}
)

// Color returns the colour of name, in the forced variant if any.
func (t readableTheme) Color(name fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if t.forced {
		v = t.variant
	}
	if name == theme.ColorNameDisabled {
		if v == theme.VariantLight {
			return lowTextLight
		}
		return lowTextDark
	}
	return t.Theme.Color(name, v)
}

// themeFor returns the Fyne theme for a theme choice (themeSystem,
// themeLight or themeDark).
func themeFor(choice string) fyne.Theme {
	switch choice {
	case themeLight:
		return readableTheme{theme.DefaultTheme(), theme.VariantLight, true}
	case themeDark:
		return readableTheme{theme.DefaultTheme(), theme.VariantDark, true}
	}
	return readableTheme{Theme: theme.DefaultTheme()}
}

// applyTheme sets the app's theme from the preferences. The system choice
// at start keeps the theme Fyne chose (it follows the desktop and the
// FYNE_THEME variable), with readable low-importance text.
func (u *UI) applyTheme(atStart bool) {
	choice := u.prefs.Theme()
	if atStart && choice == themeSystem {
		cur := u.app.Settings().Theme()
		if _, ok := cur.(readableTheme); !ok {
			u.app.Settings().SetTheme(readableTheme{Theme: cur})
		}
		return
	}
	u.app.Settings().SetTheme(themeFor(choice))
}
