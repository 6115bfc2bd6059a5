package gui

import (
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// meterBar is the coloured bar the strength meter draws, as the user sees
// it: its widest visible rectangle other than the empty track, and the
// words it shows.
func meterBar(t *testing.T, h *harness) (fill *canvas.Rectangle, width float32, words []string) {
	t.Helper()
	w := h.u.welcome.meter
	track := h.app.Settings().Theme().Color(theme.ColorNameInputBackground, h.app.Settings().ThemeVariant())
	for _, o := range test.WidgetRenderer(w).Objects() {
		switch o := o.(type) {
		case *canvas.Rectangle:
			if o.Visible() && o.FillColor != track && (fill == nil || o.Size().Width > fill.Size().Width) {
				fill = o
			}
		case *canvas.Text:
			if o.Visible() {
				words = append(words, o.Text)
			}
		}
	}
	return fill, w.Size().Width, words
}

// textFits fails when a line of l's text runs past l's own width.
func textFits(t *testing.T, l *widget.Label) {
	t.Helper()
	rt, ok := test.WidgetRenderer(l).Objects()[0].(*widget.RichText)
	if !ok {
		t.Fatal("the label draws no rich text")
	}
	for _, o := range test.WidgetRenderer(rt).Objects() {
		if txt, ok := o.(*canvas.Text); ok && txt.Visible() && txt.Position().X+txt.Size().Width > l.Size().Width+0.5 {
			t.Errorf("%q is %v wide in a %v label", txt.Text, txt.Size().Width, l.Size().Width)
		}
	}
}

func TestStrengthMeterLengthAndColourFollowTheScore(t *testing.T) {
	h := newHarness(t)
	h.u.win.Resize(fyne.NewSize(760, 560))
	colour := func(n fyne.ThemeColorName) any {
		return h.app.Settings().Theme().Color(n, h.app.Settings().ThemeVariant())
	}
	for _, c := range []struct {
		pass   string
		word   string
		fifths int
		colour fyne.ThemeColorName
	}{
		{"password", "Very weak", 1, theme.ColorNameError},
		{"monkey12", "Weak", 2, theme.ColorNameError},
		{"kettle42", "Fair", 3, theme.ColorNameWarning},
		{"Tr0ub4dor", "Good", 4, theme.ColorNameSuccess},
		{"tulip anchor marble 1987 quietly", "Strong", 5, theme.ColorNameSuccess},
	} {
		h.u.welcome.pass1.SetText(c.pass)
		fill, width, words := meterBar(t, h)
		if len(words) != 1 || words[0] != c.word {
			t.Errorf("%s: the meter says %q", c.word, words)
		}
		if fill == nil {
			t.Errorf("%s: no bar", c.word)
			continue
		}
		filled := fill.Size().Width
		// The word sits beside the bar, so the full bar is a little
		// shorter than the widget: compare with the longest bar.
		h.u.welcome.pass1.SetText("tulip anchor marble 1987 quietly")
		full, _, _ := meterBar(t, h)
		fullWidth := full.Size().Width
		h.u.welcome.pass1.SetText(c.pass)
		got := filled / fullWidth
		if math.Abs(float64(got)-float64(c.fifths)/5) > 0.01 || fullWidth > width || fullWidth < width/2 {
			t.Errorf("%s: the bar fills %.2f, want %d/5", c.word, got, c.fifths)
		}
		if fill.FillColor != colour(c.colour) {
			t.Errorf("%s: the bar is %v, want %s", c.word, fill.FillColor, c.colour)
		}
		textFits(t, h.u.welcome.hint)
	}
	// Nothing typed: an empty meter and the advice, inside the form.
	h.u.welcome.pass1.SetText("")
	if fill, _, words := meterBar(t, h); fill != nil || len(words) != 1 || words[0] != "Strength" {
		t.Fatalf("empty passphrase: bar %v, words %q", fill, words)
	}
	textFits(t, h.u.welcome.hint)
}
