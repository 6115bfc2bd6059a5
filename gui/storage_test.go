package gui

import (
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"keyshelf/vault/store"
)

// TestSaveWarningInStatus: a save that succeeded but whose folder write the
// file system did not confirm is mentioned once in the status bar, and the
// note stays while the clipboard countdown ticks.
func TestSaveWarningInStatus(t *testing.T) {
	h := newHarness(t, "GitHub deploy", githubKey)
	h.unlock()
	m := h.u.main
	var pending error
	m.takeWarning = func() error { w := pending; pending = nil; return w }

	m.setStatus("Saved \"GitHub deploy\"")
	if m.status.Text != "Saved \"GitHub deploy\"" {
		t.Fatalf("status without a warning: %q", m.status.Text)
	}
	pending = &store.SyncWarning{Err: &os.PathError{Op: "sync", Path: "/x", Err: syscall.EINVAL}}
	m.setStatus("Saved \"GitHub deploy\"")
	if m.status.Text != "Saved \"GitHub deploy\" · Saved, but the file system did not confirm the folder write" {
		t.Fatalf("status with a warning: %q", m.status.Text)
	}
	m.setStatus("Deleted \"GitHub deploy\"")
	if strings.Contains(m.status.Text, "confirm") {
		t.Fatalf("warning mentioned twice: %q", m.status.Text)
	}

	// The copy's access-log save finishes after its status: the warning
	// shows at the next tick and stays while the countdown runs.
	h.typeFocused("git")
	h.pressFocused(fyne.KeyReturn)
	pending = &store.SyncWarning{Err: &os.PathError{Op: "sync", Path: "/x", Err: syscall.EINVAL}}
	h.clock.Advance(time.Second)
	if !strings.Contains(m.status.Text, "clears in 29 s") || !strings.HasSuffix(m.status.Text, saveWarningNote) {
		t.Fatalf("countdown with a warning: %q", m.status.Text)
	}
	h.clock.Advance(10 * time.Second)
	if !strings.Contains(m.status.Text, "clears in 19 s") || !strings.HasSuffix(m.status.Text, saveWarningNote) {
		t.Fatalf("countdown lost the note: %q", m.status.Text)
	}
	// A new copy starts a new status.
	h.pressFocused(fyne.KeyReturn)
	if !strings.Contains(m.status.Text, "clears in 30 s") || strings.Contains(m.status.Text, "confirm") {
		t.Fatalf("a new copy kept the old note: %q", m.status.Text)
	}
	h.clock.Advance(30 * time.Second)
	if m.status.Text != "Clipboard cleared" {
		t.Fatalf("after the countdown: %q", m.status.Text)
	}
}
