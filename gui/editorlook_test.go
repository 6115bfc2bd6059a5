package gui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

// TestEditorProviderShowsDetected: the Provider box names the provider
// detected from the key, and follows the key while left to detection.
func TestEditorProviderShowsDetected(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey)
	h.unlock()
	h.shortcut(newShortcut)
	ed := h.u.editor
	test.Type(ed.name, "deploy")
	ed.key.SetText(githubKey)
	if ed.provider.Selected != "Detect from the key (GitHub)" || ed.draft().Provider != "" {
		t.Fatalf("Provider box %q, draft provider %q", ed.provider.Selected, ed.draft().Provider)
	}
	ed.key.SetText(stripeKey)
	if !strings.Contains(ed.provider.Selected, "(Stripe)") {
		t.Fatalf("Provider box %q after a Stripe key", ed.provider.Selected)
	}
	h.tap("Save")
	if e, _ := h.u.v.Find("deploy"); e.Provider != "stripe" {
		t.Fatalf("saved as %q", e.Provider)
	}
}

// TestEditorScrollBarCoversNoField: the form's fields end left of the
// scroll bar.
func TestEditorScrollBarCoversNoField(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey)
	h.unlock()
	h.shortcut(newShortcut)
	ed := h.u.editor
	path := pathTo(h.u.win.Canvas().Overlays().Top(), ed.name)
	var scroll *container.Scroll
	var at int
	for i, o := range path {
		if s, ok := o.(*container.Scroll); ok {
			scroll, at = s, i
		}
	}
	if scroll == nil {
		t.Fatal("the form does not scroll")
	}
	spos, ssize := absRect(path[:at+1])
	pos, size := absRect(path)
	if right, bar := pos.X+size.Width, spos.X+ssize.Width-theme.ScrollBarSize(); right > bar+0.5 {
		t.Fatalf("the Name field ends at x %v, under the scroll bar from %v", right, bar)
	}
}
