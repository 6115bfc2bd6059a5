package gui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"fyne.io/fyne/v2/test"

	"keyshelf/vault"
	"keyshelf/vault/store"
)

// TestSaveFailedFolderGone: with the vault's folder deleted, "Could not
// save" does not claim the file on disk is unchanged, shows an error icon,
// and Save to… writes the vault as memory holds it to a chosen folder.
func TestSaveFailedFolderGone(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey)
	h.unlock()
	h.shortcut(newShortcut)
	ed := h.u.editor
	test.Type(ed.name, "GitHub deploy")
	ed.key.SetText(githubKey)
	dir := filepath.Dir(h.path)
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	h.tap("Save")
	markup := h.markup()
	if !strings.Contains(markup, "Could not save") || !strings.Contains(markup, "no longer on disk") {
		t.Fatalf("the dialog does not say the vault is gone:\n%s", markup)
	}
	if strings.Contains(markup, "unchanged") || strings.Contains(markup, "intact") {
		t.Fatal("the dialog claims the file on disk is unchanged")
	}
	if !strings.Contains(markup, `rsc="errorIcon"`) {
		t.Fatal("no error icon")
	}
	if strings.Contains(markup, githubKey) || strings.Contains(markup, openaiKey) {
		t.Fatal("the dialog shows a key")
	}
	if h.findButton("Try again") == nil {
		t.Fatal("no Try again")
	}
	safe := t.TempDir()
	h.u.folderPicker = func(done func(string)) { done(safe) }
	h.tap("Save to…")
	copyPath := filepath.Join(safe, filepath.Base(h.path))
	v, err := vault.Open(copyPath, testPass, vault.Options{KDF: testKDF})
	if err != nil {
		t.Fatalf("the copy does not open: %v", err)
	}
	defer v.Close()
	if _, ok := v.Find("OpenAI prod"); !ok || v.Len() != 1 {
		t.Fatalf("the copy holds %d keys", v.Len())
	}
	if !strings.Contains(h.u.main.status.Text, copyPath) {
		t.Fatalf("status %q", h.u.main.status.Text)
	}
	if h.u.editor == nil || h.u.editor.name.Text != "GitHub deploy" {
		t.Fatal("the draft was lost")
	}
}

// TestSaveFailedSaysTheCause: each cause gets its own true words, and the
// technical reason comes below them.
func TestSaveFailedSaysTheCause(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey)
	h.unlock()
	for _, c := range []struct {
		err       error
		want, not string
	}{
		{fmt.Errorf("write: %w", store.ErrDiskFull), "the disk is full", "Save to…"},
		{fmt.Errorf("create a temporary file: %w", &os.PathError{Op: "open", Path: "/x", Err: syscall.EACCES}), "cannot be written to", "Save to…"},
		{fmt.Errorf("replace the file: %w", syscall.EIO), "Your change was not saved. The vault file on disk is unchanged", "Save to…"},
	} {
		h.u.saveFailed(&vault.SaveError{Err: c.err}, func() {})
		m := h.markup()
		if !strings.Contains(m, c.want) || h.findButton(c.not) != nil {
			t.Errorf("%v: the dialog does not say %q (or offers %q):\n%s", c.err, c.want, c.not, m)
		}
		if !strings.Contains(m, capitalize(c.err.Error())) {
			t.Errorf("%v: no technical reason", c.err)
		}
		h.u.dlg.Hide()
	}
}
