package gui

import (
	"strings"
	"testing"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

// TestLongNamesEndWithAnEllipsis: at the default window size a long name
// ends with "…" inside its column, and an emoji is never cut in two.
func TestLongNamesEndWithAnEllipsis(t *testing.T) {
	long := "Production deployment key for the billing service 👩‍💻"
	flag := "Team France marketing automation account 🇫🇷🇫🇷🇫🇷"
	h := newHarness(t, long, anthropicKey, flag, githubPATKey, "Short", stripeKey)
	h.unlock()
	for _, name := range []string{long, flag} {
		r := visibleRow(t, h, name)
		shown := r.name.Text
		if !strings.HasSuffix(shown, "…") || !strings.HasPrefix(name, strings.TrimSuffix(shown, "…")) {
			t.Fatalf("%q shows as %q", name, shown)
		}
		textFits(t, &r.name.Label)
	}
	if r := visibleRow(t, h, "Short"); r.name.Text != "Short" {
		t.Fatalf("a short name shows as %q", r.name.Text)
	}
	test.AssertRendersToMarkup(t, "main-long.xml", h.u.win.Canvas())
}

// TestFitNameKeepsEmojiWhole: wherever the cut falls, the shown start ends
// after a whole emoji (ZWJ sequence, skin tone, flag, keycap).
func TestFitNameKeepsEmojiWhole(t *testing.T) {
	for _, name := range []string{
		"deploy 👩‍💻👩‍💻👩‍💻👩‍💻", "ops 👍🏽👍🏽👍🏽👍🏽", "team 🇫🇷🇩🇪🇫🇷🇩🇪", "keys 1️⃣2️⃣3️⃣4️⃣", "café é́ café",
	} {
		full := fyne.MeasureText(name, theme.TextSize(), fyne.TextStyle{Bold: true}).Width
		ends := map[int]bool{}
		for _, e := range graphemeEnds([]rune(name)) {
			ends[e] = true
		}
		for w := float32(10); w < full; w += 3 {
			got := fitName(name, w, theme.TextSize(), fyne.TextStyle{Bold: true})
			start := strings.TrimSuffix(got, "…")
			if n := utf8.RuneCountInString(start); n > 0 && !ends[n] {
				t.Fatalf("%q at %v: cut inside a character: %q", name, w, got)
			}
			if strings.HasSuffix(start, "\u200d") || strings.HasSuffix(start, "\ufe0f") {
				t.Fatalf("%q at %v: %q", name, w, got)
			}
		}
	}
	// A regional-indicator pair is one flag: never split.
	for _, e := range graphemeEnds([]rune("🇫🇷🇩🇪")) {
		if e%2 != 0 {
			t.Fatalf("a flag split at %d", e)
		}
	}
}
