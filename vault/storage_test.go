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

// failLock makes taking any vault's lock fail with errno, as on a folder
// where the lock file cannot be created.
func failLock(t *testing.T, errno syscall.Errno) {
	t.Helper()
	orig := tryLock
	t.Cleanup(func() { tryLock = orig })
	tryLock = func(path string) (*store.Lock, error) {
		return nil, &os.PathError{Op: "open", Path: store.LockPath(path), Err: errno}
	}
}

// failProbe makes the write probe fail with errno, as in a folder that holds
// a lock file from when it was writable.
func failProbe(t *testing.T, errno syscall.Errno) {
	t.Helper()
	orig := canWrite
	t.Cleanup(func() { canWrite = orig })
	canWrite = func(path string) error {
		return &os.PathError{Op: "open", Path: filepath.Join(filepath.Dir(path), ".probe"), Err: errno}
	}
}

func wantReadOnly(t *testing.T, v *Vault, kind ReadOnlyKind, path, says string) {
	t.Helper()
	if !v.ReadOnly() {
		t.Fatal("opened writable")
	}
	err := v.ReadOnlyReason()
	var ro *ReadOnlyError
	if !errors.As(err, &ro) || !errors.Is(err, ErrReadOnly) {
		t.Fatalf("reason %v, want a *ReadOnlyError", err)
	}
	if ro.Kind != kind || ro.Path != path || !strings.Contains(err.Error(), says) {
		t.Fatalf("reason %d %q %q, want %d %q saying %q", ro.Kind, ro.Path, err, kind, path, says)
	}
	if kind != HeldElsewhere && strings.Contains(err.Error(), "another") {
		t.Fatalf("reason %q blames another copy", err)
	}
	// A save says so too.
	if err := v.Save(); !errors.Is(err, ErrReadOnly) || err.Error() != v.ReadOnlyReason().Error() {
		t.Fatalf("save of a read-only vault: %v", err)
	}
}

// TestReadOnlyReasons: a vault opens read-only for one of several reasons,
// and says the true one.
func TestReadOnlyReasons(t *testing.T) {
	v, opts, _ := newVault(t)
	mustAdd(t, v, "k", "sk-test-5e4d3c2b1a0f9e8d7c6b5a4f")
	path := v.Path()
	file, _ := filepath.EvalSymlinks(path)
	dir := filepath.Dir(file)

	t.Run("another copy", func(t *testing.T) {
		w, err := Open(path, testPass, opts)
		if err != nil {
			t.Fatal(err)
		}
		defer w.Close()
		wantReadOnly(t, w, HeldElsewhere, file, "another running copy")
	})
	v.Close()
	if err := v.ReadOnlyReason(); !errors.Is(err, ErrClosed) {
		t.Fatalf("reason of a closed vault: %v", err)
	}

	for _, errno := range []syscall.Errno{syscall.EACCES, syscall.EROFS, syscall.EPERM} {
		t.Run("lock file not creatable "+errno.Error(), func(t *testing.T) {
			failLock(t, errno)
			w, err := Open(path, testPass, opts)
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()
			wantReadOnly(t, w, FolderNotWritable, dir, "the vault's folder "+dir+" is not writable")
			if _, ok := w.Find("k"); !ok {
				t.Fatal("a read-only vault cannot be read")
			}
		})
	}

	t.Run("folder not writable, lock file left", func(t *testing.T) {
		failProbe(t, syscall.EROFS)
		w, err := Open(path, testPass, opts)
		if err != nil {
			t.Fatal(err)
		}
		defer w.Close()
		wantReadOnly(t, w, FolderNotWritable, dir, "is not writable")
		// It does not keep the lock it cannot use: it is not "another
		// copy" to the next one.
		l, err := store.TryLock(file)
		if err != nil || l == nil {
			t.Fatalf("lock kept by a read-only vault: %v %v", l, err)
		}
		l.Unlock()
	})

	t.Run("file marked read-only", func(t *testing.T) {
		if err := os.Chmod(file, 0o400); err != nil {
			t.Fatal(err)
		}
		defer os.Chmod(file, 0o600)
		w, err := Open(path, testPass, opts)
		if err != nil {
			t.Fatal(err)
		}
		defer w.Close()
		wantReadOnly(t, w, FileNotWritable, file, "the vault file "+file+" is marked read-only")
	})

	t.Run("no locks on this file system", func(t *testing.T) {
		failLock(t, syscall.ENOLCK)
		w, err := Open(path, testPass, opts)
		if err != nil {
			t.Fatal(err)
		}
		defer w.Close()
		wantReadOnly(t, w, LockFailed, file, "could not be locked")
	})

	t.Run("writable", func(t *testing.T) {
		w, err := Open(path, testPass, opts)
		if err != nil || w.ReadOnly() || w.ReadOnlyReason() != nil {
			t.Fatalf("open: %v, reason %v", err, w.ReadOnlyReason())
		}
		w.Close()
		assertNoProbe(t, file)
	})
}

// TestReadOnlyFolderForReal: the same without injection, where permission
// bits count (not as root, who ignores them).
func TestReadOnlyFolderForReal(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root ignores permission bits; TestReadOnlyReasons injects the failure")
	}
	v, opts, _ := newVault(t)
	v.Close()
	file, _ := filepath.EvalSymlinks(v.Path())
	dir := filepath.Dir(file)
	os.Remove(store.LockPath(file))
	if err := os.Chmod(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(dir, 0o700)
	w, err := Open(v.Path(), testPass, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	wantReadOnly(t, w, FolderNotWritable, dir, "is not writable")
}

// TestCreateInReadOnlyFolder: Create says the folder is not writable, not
// that the vault is read-only or held elsewhere.
func TestCreateInReadOnlyFolder(t *testing.T) {
	opts, _, _ := testOptions()
	failLock(t, syscall.EROFS)
	dir := t.TempDir()
	_, err := Create(filepath.Join(dir, "v.keyshelf"), testPass, opts)
	if err == nil || errors.Is(err, ErrReadOnly) || !strings.Contains(err.Error(), "is not writable") {
		t.Fatalf("create in a read-only folder: %v", err)
	}
}

func assertNoProbe(t *testing.T, file string) {
	t.Helper()
	m, _ := filepath.Glob(filepath.Join(filepath.Dir(file), "."+filepath.Base(file)+".tmp-*"))
	if len(m) > 0 {
		t.Fatalf("probe files left: %v", m)
	}
}
