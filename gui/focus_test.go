package gui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// escape sends Escape as the window does: to the focused widget, or to the
// window when nothing is focused.
func (h *harness) escape() {
	h.t.Helper()
	if f := h.u.win.Canvas().Focused(); f != nil {
		f.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
		return
	}
	h.u.typedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
}

// TestChoiceGivesTheSearchBackTheKeyboard: after choosing a Sort or Show
// with the mouse, typing searches and Ctrl+E edits the key the search
// selected, not the first row.
func TestChoiceGivesTheSearchBackTheKeyboard(t *testing.T) {
	h := newHarness(t, "a deploy", githubKey, "b prod", openaiKey, "c live", stripeKey)
	h.unlock()
	m := h.u.main
	h.typeFocused("deploy")
	if e, _ := m.current(); e.Name != "a deploy" {
		t.Fatalf("search selected %q", e.Name)
	}
	// A click on the Sort box focuses it; a choice is made.
	h.u.win.Canvas().Focus(m.sort)
	m.sort.SetSelected(sortProvider)
	if h.u.win.Canvas().Focused() != m.search {
		t.Fatal("the search lost the keyboard after a Sort choice")
	}
	h.shortcut(editShortcut)
	if h.u.editor == nil || h.u.editor.orig.Name != "a deploy" {
		t.Fatal("Ctrl+E did not edit the searched key")
	}
	h.escape()

	// Typing after a Show choice searches on; shortcuts follow the search.
	m.search.SetText("")
	h.pressFocused(fyne.KeyDown)
	h.pressFocused(fyne.KeyDown) // "b prod"
	h.u.win.Canvas().Focus(m.show)
	if e, _ := m.current(); e.Name != "b prod" {
		t.Fatalf("Down, Down selected %q", e.Name)
	}
	m.show.SetSelected("OpenAI")
	if h.u.win.Canvas().Focused() != m.search {
		t.Fatal("the search lost the keyboard after a Show choice")
	}
	if e, _ := m.current(); e.Name != "b prod" {
		t.Fatalf("after a Show choice, the selection moved to %q", e.Name)
	}
	m.show.SetSelected(showAll)
	h.typeFocused("live")
	h.shortcut(editShortcut)
	if h.u.editor == nil || h.u.editor.orig.Name != "c live" {
		t.Fatal("Ctrl+E did not edit the searched key")
	}
}

// TestEscapeClosesSettingsAfterAClick: a click on an option focuses it;
// Escape then still closes the settings.
func TestEscapeClosesSettingsAfterAClick(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey)
	h.unlock()
	sv := h.openSettings()
	test.Tap(sv.remember)
	h.escape()
	if h.u.settings != nil {
		t.Fatal("Escape after a click on a check box did not close the settings")
	}
	sv = h.openSettings()
	h.u.win.Canvas().Focus(sv.clear)
	sv.clear.SetSelectedIndex(0)
	h.escape()
	if h.u.settings != nil {
		t.Fatal("Escape after a choice in a Select did not close the settings")
	}
}
