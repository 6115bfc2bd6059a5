package gui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
)

// A key with a provider's prefix but not its usual shape is detected as that
// provider, and the hint next to the provider says the key looks unusual.
func TestEditorNotesAnUnusualKey(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey)
	h.unlock()
	h.shortcut(newShortcut)
	ed := h.u.editor
	test.Type(ed.name, "cut short")
	const short = "sk-proj-FAKEfake0123FAKEfake0123"
	ed.key.SetText(short)
	if !strings.Contains(ed.hint.Text, "Detected: OpenAI: the key looks unusual for OpenAI") || ed.problem.Text != "" {
		t.Fatalf("hint %q, problem %q", ed.hint.Text, ed.problem.Text)
	}
	if ed.target().Provider != "openai" {
		t.Errorf("Test would check it as %q", ed.target().Provider)
	}
	// A provider picked by hand that the key does not fit.
	ed.provider.SetSelected("GitHub")
	if !strings.Contains(ed.hint.Text, "GitHub: the key looks unusual for GitHub") {
		t.Fatalf("picked GitHub: hint %q", ed.hint.Text)
	}
	ed.key.SetText(githubKey)
	if strings.Contains(ed.hint.Text, "unusual") {
		t.Fatalf("a usual GitHub key: hint %q", ed.hint.Text)
	}
	if strings.Contains(h.markup(), "FAKEfake0123") {
		t.Fatal("the window shows the key")
	}
}
