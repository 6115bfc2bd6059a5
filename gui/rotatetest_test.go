package gui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"keyshelf/vault/check"
)

// TestRotateTestsThePastedKey: a new key pasted into Rotate… is tested at
// once, and after the rotation the row shows that test's result.
func TestRotateTestsThePastedKey(t *testing.T) {
	h := newHarness(t, "GitHub deploy", githubKey)
	f := withGitHub(t, h)
	h.unlock()
	e, _ := h.u.v.Find("GitHub deploy")
	h.u.main.showRotate(e)
	newKey := "ghp_9876543210abcdefghijABCDEFGHIJ543210"
	cb := h.app.Clipboard()
	cb.SetContent(newKey)
	f2 := h.u.win.Canvas().Focused().(*formEntry)
	f2.TypedShortcut(&fyne.ShortcutPaste{Clipboard: cb})
	if f.requests.Load() != 1 {
		t.Fatalf("the pasted key was tested %d times", f.requests.Load())
	}
	h.findLabel("The new key: valid (account octo-test; scopes repo, read:org)")
	h.tap("Rotate")
	e, _ = h.u.v.Find("GitHub deploy")
	if e.Secret != newKey || e.LastCheck == nil || e.LastCheck.Outcome != check.Valid {
		t.Fatalf("after the rotation: last check %+v", e.LastCheck)
	}
	if s := rowState(t, h, "GitHub deploy"); !strings.HasPrefix(s.Text, "● valid") {
		t.Fatalf("the row says %q", s.Text)
	}
}
