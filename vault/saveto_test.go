package vault

import (
	"os"
	"path/filepath"
	"testing"
)

// TestSaveToWhenTheFolderIsGone: with the vault's folder deleted, SaveTo
// writes what memory holds to another place, and that copy opens with the
// passphrase and holds every key.
func TestSaveToWhenTheFolderIsGone(t *testing.T) {
	v, opts, _ := newVault(t)
	mustAdd(t, v, "first", "sk-test-4f9a1c2e8b7d6a5f3e2c1b0a")
	mustAdd(t, v, "second", "sk-test-0a1b2c3d4e5f6a7b8c9d0e1f")
	if err := os.RemoveAll(filepath.Dir(v.Path())); err != nil {
		t.Fatal(err)
	}
	if err := v.Save(); err == nil {
		t.Fatal("a save into a deleted folder succeeded")
	}
	elsewhere := filepath.Join(t.TempDir(), "rescued.keyshelf")
	if err := v.SaveTo(elsewhere); err != nil {
		t.Fatal(err)
	}
	// Again over its own copy: the same vault, so allowed.
	if err := v.SaveTo(elsewhere); err != nil {
		t.Fatalf("save over its own copy: %v", err)
	}
	v2, err := Open(elsewhere, testPass, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer v2.Close()
	if v2.Len() != 2 || v2.ID() != v.ID() {
		t.Fatalf("the copy holds %d keys, id %s (want 2, %s)", v2.Len(), v2.ID(), v.ID())
	}
	if e, ok := v2.Find("second"); !ok || e.Secret != "sk-test-0a1b2c3d4e5f6a7b8c9d0e1f" {
		t.Fatal("the copy lost a key")
	}
}

// TestSaveToRefusesAnotherFile: SaveTo does not replace another vault or
// a file that is not a vault.
func TestSaveToRefusesAnotherFile(t *testing.T) {
	v, _, _ := newVault(t)
	mustAdd(t, v, "first", "sk-test-4f9a1c2e8b7d6a5f3e2c1b0a")
	other, _, _ := newVault(t)
	before, err := os.ReadFile(other.Path())
	if err != nil {
		t.Fatal(err)
	}
	wantErr(t, v.SaveTo(other.Path()), ErrExists)
	if after, _ := os.ReadFile(other.Path()); string(after) != string(before) {
		t.Fatal("the other vault's file changed")
	}
	plain := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(plain, []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	wantErr(t, v.SaveTo(plain), ErrExists)
	if b, _ := os.ReadFile(plain); string(b) != "mine" {
		t.Fatal("a plain file was replaced")
	}
}
