package gui

import (
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// luminance is a colour's WCAG relative luminance.
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

func contrast(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

// over is the colour of fg (with alpha, premultiplied as RGBA gives it)
// drawn over the opaque bg.
func over(fg, bg color.Color) color.Color {
	fr, fg2, fb, fa := fg.RGBA()
	br, bgg, bb, _ := bg.RGBA()
	mix := func(f, b uint32) uint8 { return uint8((f + b*(0xffff-fa)/0xffff) >> 8) }
	return color.NRGBA{R: mix(fr, br), G: mix(fg2, bgg), B: mix(fb, bb), A: 0xff}
}

// TestLowTextContrast: the colour Fyne draws low-importance text in
// ("could not check", "unchecked", the Show and Sort labels, the editor's
// hints) reaches WCAG AA (4.5:1) on every surface it sits on, selected
// rows included, in the theme the window uses for each choice.
func TestLowTextContrast(t *testing.T) {
	h := newHarness(t)
	if got := h.app.Settings().Theme().Color(theme.ColorNameDisabled, theme.VariantDark); got != lowTextDark {
		t.Fatalf("the theme at start draws low text in %v", got)
	}
	for _, choice := range []string{themeSystem, themeLight, themeDark} {
		th := themeFor(choice)
		for _, v := range []fyne.ThemeVariant{theme.VariantDark, theme.VariantLight} {
			low := th.Color(theme.ColorNameDisabled, v)
			bg := th.Color(theme.ColorNameBackground, v)
			for _, s := range []struct {
				what string
				c    color.Color
			}{
				{"the background", bg},
				{"a field", th.Color(theme.ColorNameInputBackground, v)},
				{"a dialog", th.Color(theme.ColorNameOverlayBackground, v)},
				{"a selected row", over(th.Color(theme.ColorNameSelection, v), bg)},
			} {
				if c := contrast(low, s.c); c < 4.5 {
					t.Errorf("theme %q, variant %v: low text on %s is %.2f:1", choice, v, s.what, c)
				}
			}
		}
	}
}
