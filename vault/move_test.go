package vault

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func TestMoveTo(t *testing.T) {
	v, opts, _ := newVault(t)
	mustAdd(t, v, "OpenAI", "sk-moved-value-0001")
	mustAdd(t, v, "Stripe", "sk_test_moved_00002") // a save: there is a .bak
	old := v.Path()
	target := filepath.Join(t.TempDir(), "Sync", "keys", "vault.keyshelf")

	m, err := v.MoveTo(target)
	if err != nil {
		t.Fatal(err)
	}
	if m.Linked || m.BackupLeft {
		t.Fatalf("%+v: not the default path, and the same disk", m)
	}
	for _, p := range []string{old, old + ".bak", old + ".lock"} {
		if _, err := os.Lstat(p); !os.IsNotExist(err) {
			t.Fatalf("%s is still at the old place", filepath.Base(p))
		}
	}
	if _, err := os.Stat(target + ".bak"); err != nil {
		t.Fatal("the backup did not follow")
	}
	if fi, err := os.Stat(filepath.Dir(target)); err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("the new folder: %v %v", fi.Mode(), err)
	}
	if v.Path() != target || v.ReadOnly() {
		t.Fatal("the vault is not open at its new place")
	}
	mustAdd(t, v, "GitHub", "ghp_after_the_move_01")
	// Another copy cannot open it for writing: the lock moved too.
	v2, err := Open(target, testPass, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !v2.ReadOnly() || v2.Len() != 3 {
		t.Fatalf("read-only %v, %d keys", v2.ReadOnly(), v2.Len())
	}
	v2.Close()
}

func TestMoveToRefusesAFileThere(t *testing.T) {
	v, _, _ := newVault(t)
	target := filepath.Join(t.TempDir(), "vault.keyshelf")
	if err := os.WriteFile(target, []byte("another computer's vault"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := v.MoveTo(target); !errors.Is(err, ErrExists) {
		t.Fatalf("move over a file: %v", err)
	}
	if _, err := os.Stat(v.Path()); err != nil {
		t.Fatal("the vault left its place")
	}
	if _, err := v.MoveTo(filepath.Dir(target)); !errors.Is(err, ErrIsFolder) {
		t.Fatalf("move onto a folder: %v", err)
	}
}

// Moving from the default place leaves a link there, so the command line
// without --vault still finds the vault.
func TestMoveFromTheDefaultPlaceLeavesALink(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the default place is under %AppData%, and links need developer mode")
	}
	home := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", home)
	t.Setenv("HOME", home)
	def, err := DefaultPath()
	if err != nil {
		t.Fatal(err)
	}
	opts, _, _ := testOptions()
	v, err := Create(def, testPass, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	target := filepath.Join(t.TempDir(), "vault.keyshelf")
	m, err := v.MoveTo(target)
	if err != nil || !m.Linked {
		t.Fatalf("%+v, %v", m, err)
	}
	v.Close()
	v2, err := Open(def, testPass, opts)
	if err != nil {
		t.Fatal(err)
	}
	v2.Close()
}
