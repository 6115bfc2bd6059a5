package gui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
)

// TestShortcutsDialogListsEveryShortcut: every shortcut of the menus is in
// the Keyboard shortcuts dialog, with Page Up/Down and Ctrl+Z, the keys in
// a column no wider than its widest key.
func TestShortcutsDialogListsEveryShortcut(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey)
	h.unlock()
	h.u.showShortcuts()
	m := h.markup()
	file, keys := h.u.commands()
	for _, c := range append(file, keys...) {
		if c.shortcut == nil {
			continue
		}
		name := string(c.shortcut.KeyName)
		if c.shortcut.KeyName == fyne.KeyComma {
			name = ","
		}
		if want := modKey() + "+" + name; !strings.Contains(m, ">"+want+"<") {
			t.Errorf("%s (%s) is not listed", want, c.label)
		}
	}
	for _, want := range []string{"Page Up / Page Down", modKey() + "+Z"} {
		if !strings.Contains(m, ">"+want+"<") {
			t.Errorf("%s is not listed", want)
		}
	}
	keyCol := h.findLabel("Page Up / Page Down")
	desc := h.findLabel("Select a key")
	if keyCol.Size().Width >= desc.Size().Width || desc.Position().X > keyCol.MinSize().Width+20 {
		t.Fatalf("columns not aligned: keys %v wide (needs %v), text at x %v", keyCol.Size().Width, keyCol.MinSize().Width, desc.Position().X)
	}
}
