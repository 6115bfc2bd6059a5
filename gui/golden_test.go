package gui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// The golden markup files in testdata/ pin down what each main screen shows.
// After an intended change, run the tests, check testdata/failed/*.xml and
// copy them over the old ones.

func TestGoldenWelcome(t *testing.T) {
	h := newHarness(t)
	h.u.win.Resize(fyne.NewSize(760, 560))
	test.AssertRendersToMarkup(t, "welcome.xml", h.u.win.Canvas())
}

func TestGoldenUnlock(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey)
	h.u.win.Resize(fyne.NewSize(760, 560))
	h.typeFocused("not it")
	h.pressFocused(fyne.KeyReturn)
	test.AssertRendersToMarkup(t, "unlock-wrong.xml", h.u.win.Canvas())
}

func TestGoldenMain(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey, "GitHub deploy", githubKey, "Stripe live", stripeKey)
	h.u.win.Resize(fyne.NewSize(760, 560))
	h.unlock()
	h.u.main.toggleFavorite(h.u.main.shown[1].ID)
	h.typeFocused("git")
	h.pressFocused(fyne.KeyReturn)
	h.clock.Advance(3 * 1e9)
	test.AssertRendersToMarkup(t, "main.xml", h.u.win.Canvas())
}

// TestGoldenEditor: at the default window size, with a duplicate name.
func TestGoldenEditor(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey)
	h.unlock()
	h.shortcut(newShortcut)
	test.Type(h.u.editor.name, "openai prod")
	h.u.editor.key.SetText(" " + githubKey)
	test.AssertRendersToMarkup(t, "editor.xml", h.u.win.Canvas())
}
