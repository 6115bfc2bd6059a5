package vault

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"keyshelf/vault/store"
)

// TestVaultThroughLink: a vault path that is a link into a synced folder
// stays a link; saves, the backup and the lock go to the real file, and the
// link and the real path share one lock.
func TestVaultThroughLink(t *testing.T) {
	opts, _, _ := testOptions()
	dir := t.TempDir()
	target := filepath.Join(dir, "Dropbox", "keys.keyshelf")
	link := filepath.Join(dir, "config", "Keyshelf", "vault.keyshelf")
	if err := os.MkdirAll(filepath.Dir(link), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}

	// Create through a dangling link makes the file it points at (and its
	// folder).
	v, err := Create(link, testPass, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	mustAdd(t, v, "first", "sk-test-4f9a1c2e8b7d6a5f3e2c1b0a")
	mustAdd(t, v, "second", "sk-test-0a1b2c3d4e5f6a7b8c9d0e1f")
	if v.Path() != link {
		t.Fatalf("Path() = %q, want the path as given", v.Path())
	}

	fi, err := os.Lstat(link)
	if err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the vault path is no longer a link: %v %v", fi.Mode(), err)
	}
	for _, p := range []string{target, store.BackupPath(target), store.LockPath(target)} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("missing beside the real file: %v", err)
		}
	}
	for _, p := range []string{store.BackupPath(link), store.LockPath(link)} {
		if _, err := os.Lstat(p); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s made beside the link: %v", filepath.Base(p), err)
		}
	}

	realTarget, _ := filepath.EvalSymlinks(target)
	if got := BackupPath(link); got != store.BackupPath(realTarget) {
		t.Errorf("BackupPath(link) = %q, want beside the real file", got)
	}

	// The real file holds the change.
	info, err := Peek(target)
	if err != nil || info.ID != v.ID() {
		t.Fatalf("peek the real file: %+v %v", info, err)
	}
	w, err := Open(target, testPass, opts)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := w.Find("second"); !ok {
		t.Fatal("the real file does not hold the last change")
	}
	// The link's copy holds the lock, so the real path opens read-only.
	if !w.ReadOnly() {
		t.Fatal("the real path opened writable while the link holds the vault")
	}
	w.Close()

	// And the other way round.
	v.Close()
	w, err = Open(target, testPass, opts)
	if err != nil || w.ReadOnly() {
		t.Fatalf("open the real path: %v, read-only %v", err, w.ReadOnly())
	}
	defer w.Close()
	x, err := Open(link, testPass, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if !x.ReadOnly() {
		t.Fatal("the link opened writable while the real path holds the vault")
	}
}

// TestCreateThroughLinkToExisting: a link to an existing file is refused like
// the file itself.
func TestCreateThroughLinkToExisting(t *testing.T) {
	v, opts, _ := newVault(t)
	v.Close()
	link := filepath.Join(t.TempDir(), "link.keyshelf")
	if err := os.Symlink(v.Path(), link); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	_, err := Create(link, testPass, opts)
	wantErr(t, err, ErrExists)
}

// refuseFolderSync makes every save behave as on a file system that refuses
// fsync on a folder: the file is written and renamed into place, then the
// store reports the refused folder sync.
func refuseFolderSync(t *testing.T) {
	t.Helper()
	wf, wk := writeFile, writeFileKeepingBackup
	t.Cleanup(func() { writeFile, writeFileKeepingBackup = wf, wk })
	refused := func(write func(string, []byte) error) func(string, []byte) error {
		return func(path string, data []byte) error {
			if err := write(path, data); err != nil {
				return err
			}
			return &store.SyncWarning{Err: &os.PathError{Op: "sync", Path: filepath.Dir(path), Err: syscall.EINVAL}}
		}
	}
	writeFile, writeFileKeepingBackup = refused(wf), refused(wk)
}

// TestRefusedFolderSyncIsSaved: a save whose folder sync is refused after the
// rename is a success with a warning: memory keeps the change, as the file
// does, and the warning is given once.
func TestRefusedFolderSyncIsSaved(t *testing.T) {
	v, opts, _ := newVault(t)
	mustAdd(t, v, "before", "sk-test-1b2c3d4e5f6a7b8c9d0e1f2a")
	if w := v.TakeSaveWarning(); w != nil {
		t.Fatalf("warning after a clean save: %v", w)
	}
	refuseFolderSync(t)

	e := mustAdd(t, v, "kept", "sk-test-9f8e7d6c5b4a3f2e1d0c9b8a")
	if _, ok := v.Find("kept"); !ok || v.Len() != 2 {
		t.Fatal("memory was rolled back after a save that reached the disk")
	}
	w := v.TakeSaveWarning()
	var sw *store.SyncWarning
	if !errors.As(w, &sw) || !errors.Is(w, syscall.EINVAL) {
		t.Fatalf("warning %v, want a *store.SyncWarning", w)
	}
	if strings.Contains(w.Error(), "sk-test") {
		t.Fatal("warning leaks the key")
	}
	if w := v.TakeSaveWarning(); w != nil {
		t.Fatalf("warning given twice: %v", w)
	}
	// A bookkeeping save (access log) too.
	if err := v.Record(e.ID, ActionCopied, SourceCommand, ""); err != nil {
		t.Fatalf("record: %v", err)
	}
	if v.TakeSaveWarning() == nil {
		t.Fatal("no warning for the access-log save")
	}

	// Memory and disk agree.
	w2 := reopen(t, v, opts)
	if _, ok := w2.Find("kept"); !ok || w2.Len() != 2 {
		t.Fatal("the file does not hold the change")
	}
}
