package gui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// TestEscapeAsksBeforeDiscarding: Escape in an editor with changes asks;
// Escape again keeps editing, Discard closes without saving.
func TestEscapeAsksBeforeDiscarding(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey)
	h.unlock()
	h.shortcut(editShortcut)
	ed := h.u.editor
	test.Type(ed.notes, "billing only")
	h.pressFocused(fyne.KeyEscape)
	if h.u.editor != ed || len(h.u.win.Canvas().Overlays().List()) != 2 || h.findButton("Discard") == nil {
		t.Fatal("Escape threw the edits away without asking")
	}
	// Escape at the question keeps editing.
	h.u.win.Canvas().Unfocus()
	h.u.typedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if h.u.editor != ed || len(h.u.win.Canvas().Overlays().List()) != 1 || ed.notes.Text != "billing only" {
		t.Fatal("Escape at the question did not keep editing")
	}
	// Escape with nothing focused asks too.
	h.u.typedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if h.findButton("Discard") == nil {
		t.Fatal("Escape with nothing focused did not ask")
	}
	h.tap("Discard")
	if h.u.editor != nil || h.u.modal || len(h.u.win.Canvas().Overlays().List()) != 0 {
		t.Fatal("Discard did not close the editor")
	}
	if e, _ := h.u.v.Find("OpenAI prod"); e.Notes != "" {
		t.Fatal("Escape saved")
	}
}

// TestCtrlZUndoesDelete: Ctrl+Z (Cmd+Z) in the empty search field, or with
// nothing focused, undoes a delete as the Undo button does; with text in
// the field it is the field's own undo.
func TestCtrlZUndoesDelete(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey, "GitHub deploy", githubKey)
	h.unlock()
	m := h.u.main
	h.pressFocused(fyne.KeyDown)
	h.pressFocused(fyne.KeyDelete)
	h.tap("Delete")
	if h.u.v.Len() != 1 {
		t.Fatal("not deleted")
	}
	if h.u.win.Canvas().Focused() != m.search {
		t.Fatal("search not focused after the delete")
	}
	m.search.TypedShortcut(&fyne.ShortcutUndo{})
	if _, ok := h.u.v.Find("GitHub deploy"); !ok || m.undoBtn.Visible() {
		t.Fatal("Ctrl+Z in the search field did not undo the delete")
	}
	h.pressFocused(fyne.KeyDelete)
	h.tap("Delete")
	h.u.win.Canvas().Unfocus()
	h.shortcut(&fyne.ShortcutUndo{})
	if _, ok := h.u.v.Find("GitHub deploy"); !ok {
		t.Fatal("Ctrl+Z with nothing focused did not undo the delete")
	}
	h.pressFocused(fyne.KeyDelete)
	h.tap("Delete")
	h.u.main.focus()
	h.typeFocused("o")
	m.search.TypedShortcut(&fyne.ShortcutUndo{})
	if _, ok := h.u.v.Find("GitHub deploy"); ok {
		t.Fatal("Ctrl+Z over typed text undid the delete, not the typing")
	}
}
