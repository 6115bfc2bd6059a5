package store

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

func TestWriteFileKeepsBackupAndMode(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v.keyshelf")
	if err := WriteFile(path, []byte("one")); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(BackupPath(path)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("first write made a backup: %v", err)
	}
	if err := WriteFile(path, []byte("two")); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(path, []byte("three")); err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]string{path: "three", BackupPath(path): "two"} {
		got, err := os.ReadFile(p)
		if err != nil || string(got) != want {
			t.Fatalf("%s = %q, %v; want %q", p, got, err, want)
		}
		fi, _ := os.Stat(p)
		if fi.Mode().Perm() != 0o600 {
			t.Fatalf("%s has mode %v", p, fi.Mode().Perm())
		}
	}
	// A later write must not change the backup through a shared hard link.
	bakBefore, _ := os.ReadFile(BackupPath(path))
	if err := WriteFile(path, []byte("four")); err != nil {
		t.Fatal(err)
	}
	bakAfter, _ := os.ReadFile(BackupPath(path))
	if bytes.Equal(bakBefore, bakAfter) || string(bakAfter) != "three" {
		t.Fatalf("backup is %q after the fourth write", bakAfter)
	}
	assertNoTemps(t, path)
}

type fullDisk struct{ *os.File }

func (fullDisk) Write([]byte) (int, error) {
	return 0, &os.PathError{Op: "write", Path: "x", Err: syscall.ENOSPC}
}

func TestWriteFileDiskFullLeavesOldFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v.keyshelf")
	if err := WriteFile(path, []byte("old")); err != nil {
		t.Fatal(err)
	}
	orig := createTemp
	t.Cleanup(func() { createTemp = orig })
	createTemp = func(dir, pattern string) (tempFile, error) {
		f, err := os.CreateTemp(dir, pattern)
		return fullDisk{f}, err
	}
	err := WriteFile(path, []byte("new"))
	if !errors.Is(err, ErrDiskFull) {
		t.Fatalf("error %v, want ErrDiskFull", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "old" {
		t.Fatalf("vault is %q after a failed write", got)
	}
	assertNoTemps(t, path)
}

func TestWriteFileMissingFolder(t *testing.T) {
	err := WriteFile(filepath.Join(t.TempDir(), "nope", "v.keyshelf"), []byte("x"))
	if err == nil {
		t.Fatal("writing into a missing folder succeeded")
	}
}

func TestRemoveStaleTemps(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "v.keyshelf")
	stale := filepath.Join(dir, tempPrefix(path)+"123")
	other := filepath.Join(dir, "unrelated.txt")
	for _, p := range []string{stale, other} {
		if err := os.WriteFile(p, nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	RemoveStaleTemps(path)
	if _, err := os.Stat(stale); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("stale temp file kept")
	}
	if _, err := os.Stat(other); err != nil {
		t.Fatal("unrelated file removed")
	}
}

func TestLockExcludesSecondHolder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v.keyshelf")
	a, err := TryLock(path)
	if err != nil || a == nil {
		t.Fatalf("first lock: %v %v", a, err)
	}
	b, err := TryLock(path)
	if err != nil || b != nil {
		t.Fatalf("second lock taken while the first is held: %v %v", b, err)
	}
	if err := a.Unlock(); err != nil {
		t.Fatal(err)
	}
	c, err := TryLock(path)
	if err != nil || c == nil {
		t.Fatalf("lock after unlock: %v %v", c, err)
	}
	fi, _ := os.Stat(LockPath(path))
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("lock file mode %v", fi.Mode().Perm())
	}
	c.Unlock()
}

func assertNoTemps(t *testing.T, path string) {
	t.Helper()
	m, _ := filepath.Glob(filepath.Join(filepath.Dir(path), tempPrefix(path)+"*"))
	m2, _ := filepath.Glob(BackupPath(path) + ".tmp")
	if len(m)+len(m2) > 0 {
		t.Fatal(fmt.Sprint("temporary files left: ", m, m2))
	}
}

// TestWriteFileFolderSyncRefused: some FUSE and network file systems refuse
// fsync on a folder. The rename has happened by then, so the write succeeded:
// WriteFile says so with a *SyncWarning, not a failure.
func TestWriteFileFolderSyncRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v.keyshelf")
	if err := WriteFile(path, []byte("old")); err != nil {
		t.Fatal(err)
	}
	orig := dirSync
	t.Cleanup(func() { dirSync = orig })
	for _, errno := range []syscall.Errno{syscall.EINVAL, syscall.ENOTSUP, syscall.EPERM, syscall.EIO} {
		dirSync = func(dir string) error {
			return &os.PathError{Op: "sync", Path: dir, Err: errno}
		}
		err := WriteFile(path, []byte("new "+errno.Error()))
		var w *SyncWarning
		if !errors.As(err, &w) || !errors.Is(err, errno) {
			t.Fatalf("%v: error %v, want a *SyncWarning", errno, err)
		}
		if got, _ := os.ReadFile(path); string(got) != "new "+errno.Error() {
			t.Fatalf("%v: file holds %q after a save whose folder sync was refused", errno, got)
		}
		assertNoTemps(t, path)
	}
	// The backup is the write before the last.
	if got, _ := os.ReadFile(BackupPath(path)); string(got) != "new "+syscall.EPERM.Error() {
		t.Fatalf("backup holds %q", got)
	}
}

func TestCanWrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v.keyshelf")
	if err := CanWrite(path); err != nil {
		t.Fatalf("a writable folder: %v", err)
	}
	assertNoTemps(t, path)
	orig := createTemp
	t.Cleanup(func() { createTemp = orig })
	createTemp = func(dir, pattern string) (tempFile, error) {
		return nil, &os.PathError{Op: "open", Path: dir, Err: syscall.EROFS}
	}
	if err := CanWrite(path); !errors.Is(err, syscall.EROFS) {
		t.Fatalf("a read-only folder: %v", err)
	}
}
