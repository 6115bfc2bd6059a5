package gui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"keyshelf/vault"
)

// TestLongNoteLineIsNotWrapped: a note with a line too long to wrap quickly
// (a pasted token) shows in a quick wrapped preview; Edit notes brings the
// field, unwrapped (it scrolls sideways), and the hint says so; prose keeps
// wrapping. Wrapping a 14 KB line took 7-12 s (BenchmarkEditorLongNote).
func TestLongNoteLineIsNotWrapped(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey)
	h.unlock()
	blob := noteShapes[2].note
	e, _ := h.u.v.Find("OpenAI prod")
	d := e.Draft()
	d.Notes = blob
	if _, err := h.u.v.Update(e.ID, d); err != nil {
		t.Fatal(err)
	}
	h.u.main.reload(e.ID)
	h.shortcut(editShortcut)
	ed := h.u.editor
	if ed.notes.Text != blob || ed.notes.Wrapping != fyne.TextWrapOff {
		t.Fatalf("a 14 KB line opened with wrapping %v", ed.notes.Wrapping)
	}
	if !strings.Contains(ed.hint.Text, "scroll sideways") {
		t.Fatalf("hint %q", ed.hint.Text)
	}
	// Shown wrapped, read-only, until the user edits them.
	if pathTo(h.u.win.Canvas().Overlays().Top(), ed.notes) != nil {
		t.Fatal("the unwrapped field is on show before Edit notes")
	}
	if !strings.Contains(h.markup(), "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9") {
		t.Fatal("the notes are not shown")
	}
	h.tap("Edit notes")
	if pathTo(h.u.win.Canvas().Overlays().Top(), ed.notes) == nil || h.u.win.Canvas().Focused() != ed.notes {
		t.Fatal("Edit notes did not bring the field")
	}
	ed.notes.SetText(noteShapes[0].note)
	if ed.notes.Wrapping != fyne.TextWrapWord || strings.Contains(ed.hint.Text, "sideways") {
		t.Fatal("prose notes do not wrap")
	}
	// A paste with a long line unwraps the field before it goes in.
	h.app.Clipboard().SetContent(strings.Repeat("Zm9vYmFy", 200))
	ed.notes.TypedShortcut(&fyne.ShortcutPaste{Clipboard: h.app.Clipboard()})
	if ed.notes.Wrapping != fyne.TextWrapOff || !strings.Contains(ed.notes.Text, strings.Repeat("Zm9vYmFy", 200)) {
		t.Fatal("a paste with a long line went into a wrapping field")
	}
}

// TestNotesCapInEditor: notes over 64 KiB grey Save and say why; a paste
// that would go over is refused with a message.
func TestNotesCapInEditor(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey)
	h.unlock()
	h.shortcut(editShortcut)
	ed := h.u.editor
	ed.notes.SetText(strings.Repeat("runbook line\n", vault.MaxNotesLen/13+10))
	if !ed.save.Disabled() || !strings.Contains(ed.problem.Text, "the limit is 64 KiB") {
		t.Fatalf("notes over the cap: Save greyed %v, problem %q", ed.save.Disabled(), ed.problem.Text)
	}
	assertSeen(t, h, ed.problem, "the notes problem")
	ed.notes.SetText("short")
	if ed.save.Disabled() {
		t.Fatalf("Save greyed for short notes: %q", ed.problem.Text)
	}
	h.app.Clipboard().SetContent(strings.Repeat("x", vault.MaxNotesLen))
	ed.notes.TypedShortcut(&fyne.ShortcutPaste{Clipboard: h.app.Clipboard()})
	if ed.notes.Text != "short" || !strings.Contains(ed.problem.Text, "that paste would make them 65 KiB") {
		t.Fatalf("an oversized paste: notes %d bytes, problem %q", len(ed.notes.Text), ed.problem.Text)
	}
	test.Type(ed.notes, "!")
	if strings.Contains(ed.problem.Text, "paste") {
		t.Fatal("the paste's message stayed after typing")
	}
}
