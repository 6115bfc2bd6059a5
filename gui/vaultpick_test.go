package gui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"

	"keyshelf/vault"
	"keyshelf/vault/store"
)

// TestFolderAsVaultPath: a folder given as the vault path says so on the
// start screen, with nothing to unlock.
func TestFolderAsVaultPath(t *testing.T) {
	dir := t.TempDir()
	app := test.NewTempApp(t)
	u := New(app, Config{VaultPath: dir, Options: vault.Options{KDF: testKDF}, Clock: &fakeClock{}, Go: func(f func()) { f() }})
	if u.unlock == nil || !strings.Contains(u.unlock.errLabel.Text, "This is a folder, not a vault file") {
		t.Fatalf("start screen for a folder: %v", u.unlock)
	}
	if !u.unlock.button.Disabled() || !u.unlock.pass.Disabled() {
		t.Fatal("a folder offers to be unlocked")
	}
}

// TestPickerHidesAndRefusesLockFiles: the vault picker hides the backup,
// the lock and save temporaries, and a lock file or a folder picked anyway
// is refused, the vault in use staying the same.
func TestPickerHidesAndRefusesLockFiles(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey)
	dir := filepath.Dir(h.path)
	for name, shown := range map[string]bool{
		"vault.keyshelf": true, "work.keyshelf": true, "vault.keyshelf.bak": false,
		"vault.keyshelf.lock": false, ".vault.keyshelf.tmp-123456": false, "vault.keyshelf.bak.tmp": false,
	} {
		if got := (vaultFilter{}).Matches(storage.NewFileURI(filepath.Join(dir, name))); got != shown {
			t.Errorf("%s: shown %v, want %v", name, got, shown)
		}
	}
	lock := store.LockPath(h.path)
	if err := os.WriteFile(lock, nil, 0o600); err != nil && !os.IsExist(err) {
		t.Fatal(err)
	}
	h.u.openChosen(lock)
	if h.u.cfg.VaultPath != h.path || !strings.Contains(h.markup(), "lock file") {
		t.Fatal("a lock file was opened as a vault")
	}
	h.u.dlg.Hide()
	h.u.openChosen(dir)
	if h.u.cfg.VaultPath != h.path || !strings.Contains(h.markup(), "This is a folder, not a vault file") {
		t.Fatal("a folder was opened as a vault")
	}
}
