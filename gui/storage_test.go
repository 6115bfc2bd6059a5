package gui

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"keyshelf/vault"
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

// TestReadOnlyStatusSaysWhy: a vault that opens read-only says the true
// reason, in the status bar and in the message of a refused change.
func TestReadOnlyStatusSaysWhy(t *testing.T) {
	h := newHarness(t, "GitHub deploy", githubKey)
	file, _ := filepath.EvalSymlinks(h.path)
	if err := os.Chmod(file, 0o400); err != nil {
		t.Fatal(err)
	}
	h.unlock()
	if !h.u.v.ReadOnly() {
		t.Fatal("a vault file marked read-only opened writable")
	}
	want := "Read-only: the vault file " + file + " is marked read-only"
	if got := h.u.main.status.Text; got != want {
		t.Fatalf("status %q, want %q", got, want)
	}
	msg := h.u.userMessage(vault.ErrReadOnly)
	if strings.Contains(msg, "Another") || !strings.Contains(msg, "is marked read-only") {
		t.Fatalf("message %q", msg)
	}
}

// TestReadOnlyStatusAnotherCopy: held by another copy, the status says so.
func TestReadOnlyStatusAnotherCopy(t *testing.T) {
	h := newHarness(t, "GitHub deploy", githubKey)
	holder, err := vault.Open(h.path, testPass, vault.Options{KDF: testKDF})
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	h.unlock()
	if got := h.u.main.status.Text; got != "Read-only: another Keyshelf has this vault open" {
		t.Fatalf("status %q", got)
	}
	if msg := h.u.userMessage(vault.ErrReadOnly); !strings.HasPrefix(msg, "Another Keyshelf window has this vault open") {
		t.Fatalf("message %q", msg)
	}
}
