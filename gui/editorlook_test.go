package gui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
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

// TestKeyIDPastedAsKey: an AWS access key ID or a Twilio SID pasted as the
// key is named, and Move it to Key ID puts it there; the Key ID hint fits
// its field.
func TestKeyIDPastedAsKey(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey)
	h.unlock()
	for _, c := range []struct{ id, words string }{
		{"AKIA" + "ABCDEFGH23456789", "an AWS access key ID"},
		{twilioSID, "a Twilio SID"},
	} {
		h.shortcut(newShortcut)
		ed := h.u.editor
		test.Type(ed.name, "cloud")
		ed.key.SetText(c.id)
		if !strings.Contains(ed.problem.Text, "That is "+c.words) || !ed.save.Disabled() {
			t.Fatalf("%s as the key: %q", c.id, ed.problem.Text)
		}
		assertSeen(t, h, ed.toKeyID, "Move it to Key ID")
		h.tap("Move it to Key ID")
		if ed.keyID.Text != c.id || ed.key.Text != "" || !keyIDShown(ed) || h.u.win.Canvas().Focused() != ed.key {
			t.Fatalf("after the move: key ID %q, key %q", ed.keyID.Text, ed.key.Text)
		}
		if ed.toKeyIDRow.Visible() || strings.Contains(ed.problem.Text, "public half") {
			t.Fatal("the offer stayed after the move")
		}
		ed.close()
	}
	h.shortcut(newShortcut)
	ed := h.u.editor
	ed.showKeyID(true)
	h.u.editor.relayout()
	if w := fyneMeasure(ed.keyID.PlaceHolder); w > ed.keyID.Size().Width-2*theme.InnerPadding() {
		t.Fatalf("the Key ID hint is %v wide in a %v field", w, ed.keyID.Size().Width)
	}
}

func fyneMeasure(s string) float32 {
	return fyne.MeasureText(s, theme.TextSize(), fyne.TextStyle{}).Width
}
