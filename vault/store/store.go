// Package store keeps a file safe on disk: atomic, crash-safe replacement with
// a backup of the previous version, and an exclusive lock between processes.
//
// A path that is a symbolic link (a vault kept in a synced folder and linked
// from the config folder) names the file it points at: every function here
// resolves it (see Resolve), so a save replaces the real file and leaves the
// link a link, the backup, lock and temporary files live beside the real
// file, and the link and the real path share one lock.
package store

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/gofrs/flock"
)

// ErrDiskFull reports that the disk had no room for the new file.
var ErrDiskFull = errors.New("the disk is full")

// SyncWarning reports a write that succeeded but whose folder the file
// system would not flush: the new file is in place (it replaced the old one
// and is itself flushed to disk), but the file system did not confirm that the
// rename is durable. Some FUSE and network file systems refuse fsync on a
// folder (EINVAL, ENOTSUP, EPERM). It is a warning, not a failure: treat the
// write as done.
type SyncWarning struct{ Err error }

func (w *SyncWarning) Error() string {
	return "saved, but the file system did not confirm the folder write (" + w.Err.Error() + ")"
}

// Unwrap returns the folder sync's error.
func (w *SyncWarning) Unwrap() error { return w.Err }

// BackupPath is where WriteFile keeps the previous version of path, for a
// path already resolved (see Resolve).
func BackupPath(path string) string { return path + ".bak" }

// LockPath is the file that Lock locks for path, for a path already resolved
// (see Resolve). The vault itself is replaced on every save, so the lock
// lives on a separate file that is never replaced.
func LockPath(path string) string { return path + ".lock" }

// maxLinks is how many symbolic links Resolve follows before it gives up.
const maxLinks = 40

// Resolve returns the real file that path names, following symbolic links in
// it. A link that points at nothing yet (dangling) resolves to the file it
// points at, so that creating a vault through it creates that file and keeps
// the link. A path that does not exist and is no link resolves to itself,
// inside its folder's real path when the folder exists.
func Resolve(path string) (string, error) {
	for range maxLinks {
		real, err := filepath.EvalSymlinks(path)
		if err == nil {
			return real, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("resolve %s: %w", path, err)
		}
		dir := filepath.Dir(path)
		if d, err := filepath.EvalSymlinks(dir); err == nil {
			dir = d
		}
		target, err := os.Readlink(path)
		if err != nil {
			// Not a link: a file still to be made.
			return filepath.Join(dir, filepath.Base(path)), nil
		}
		if !filepath.IsAbs(target) {
			target = filepath.Join(dir, target)
		}
		path = target
	}
	return "", fmt.Errorf("resolve %s: too many symbolic links", path)
}

func tempPrefix(path string) string { return "." + filepath.Base(path) + ".tmp-" }

// tempFile is the part of *os.File that WriteFile uses; tests replace it to
// simulate a full disk.
type tempFile interface {
	io.Writer
	Sync() error
	Close() error
	Name() string
}

var createTemp = func(dir, pattern string) (tempFile, error) { return os.CreateTemp(dir, pattern) }

// dirSync flushes a folder; tests replace it to simulate a file system that
// refuses to.
var dirSync = syncDir

// WriteFile replaces path (the real file, when path is a link) with data so
// that a crash at any moment leaves either the old or the new file whole: it
// writes a temporary file in the same folder with mode 0600, syncs it, keeps
// the current file as path.bak, renames the temporary file over path and
// syncs the folder. On any error path is
// left as it was, except a *SyncWarning: the folder sync was refused after
// the rename, so path holds data and the write counts as done.
func WriteFile(path string, data []byte) error { return write(path, data, true) }

// WriteFileKeepingBackup replaces path as WriteFile does, but leaves
// path.bak as it is: for small bookkeeping saves (an access log line) that
// must not push the version before the user's last real change out of the
// backup.
func WriteFileKeepingBackup(path string, data []byte) error { return write(path, data, false) }

func write(path string, data []byte, keepBackup bool) (err error) {
	if path, err = Resolve(path); err != nil {
		return err
	}
	dir := filepath.Dir(path)
	f, err := createTemp(dir, tempPrefix(path)+"*")
	if err != nil {
		return classify("create a temporary file", err)
	}
	tmp := f.Name()
	renamed := false
	defer func() {
		if err != nil && !renamed {
			os.Remove(tmp)
		}
	}()
	if _, err = f.Write(data); err != nil {
		f.Close()
		return classify("write", err)
	}
	if err = f.Sync(); err != nil {
		f.Close()
		return classify("flush to disk", err)
	}
	if err = f.Close(); err != nil {
		return classify("close", err)
	}
	if err = os.Chmod(tmp, 0o600); err != nil {
		return classify("set permissions", err)
	}
	if keepBackup {
		if err = backup(path); err != nil {
			return err
		}
	}
	if err = os.Rename(tmp, path); err != nil {
		return classify("replace the file", err)
	}
	renamed = true
	if err := dirSync(dir); err != nil {
		// The new file is in place: this is no failure.
		return &SyncWarning{Err: fmt.Errorf("flush the folder: %w", err)}
	}
	return nil
}

// CanWrite reports whether a save of path (a resolved path) could create its
// temporary file: nil, or the error creating one. The probe is removed at
// once; it has the temporary files' name, so RemoveStaleTemps takes it too
// if a crash leaves it.
func CanWrite(path string) error {
	f, err := createTemp(filepath.Dir(path), tempPrefix(path)+"*")
	if err != nil {
		return err
	}
	err = f.Close()
	if rerr := os.Remove(f.Name()); err == nil {
		err = rerr
	}
	return err
}

// backup makes path.bak hold the current contents of path, atomically. It
// hard-links where it can (no copy, no extra disk space) and copies otherwise.
func backup(path string) error {
	if _, err := os.Lstat(path); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	bak := BackupPath(path)
	tmp := bak + ".tmp"
	os.Remove(tmp)
	if err := os.Link(path, tmp); err != nil {
		if err := CopyFile(path, tmp); err != nil {
			os.Remove(tmp)
			return classify("keep a backup", err)
		}
	}
	if err := os.Rename(tmp, bak); err != nil {
		os.Remove(tmp)
		return classify("keep a backup", err)
	}
	return nil
}

// CopyFile copies the file src to dst, which must not exist yet, with mode
// 0600, flushed to disk, every error checked (the close's too). On failure
// it leaves no dst behind.
func CopyFile(src, dst string) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(dst)
		}
	}()
	if _, err = io.Copy(out, in); err != nil {
		return err
	}
	if err = out.Chmod(0o600); err != nil { // O_CREATE's mode is subject to the umask only
		return err
	}
	return out.Sync()
}

// RemoveStaleTemps deletes temporary files that an interrupted WriteFile of
// path left behind. Call it only while holding the lock.
func RemoveStaleTemps(path string) {
	path, err := Resolve(path)
	if err != nil {
		return
	}
	entries, err := os.ReadDir(filepath.Dir(path))
	if err != nil {
		return
	}
	prefix := tempPrefix(path)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), prefix) && e.Type().IsRegular() {
			os.Remove(filepath.Join(filepath.Dir(path), e.Name()))
		}
	}
	os.Remove(BackupPath(path) + ".tmp")
}

func classify(what string, err error) error {
	if errors.Is(err, syscall.ENOSPC) {
		return fmt.Errorf("%s: %w", what, ErrDiskFull)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// Lock is an exclusive advisory lock on a file, held until Unlock or until
// the process ends (the OS releases it even after a crash or SIGKILL).
type Lock struct{ fl *flock.Flock }

// TryLock takes the lock for path (the real file's, when path is a link)
// without waiting. It returns nil and no error when another process holds it.
func TryLock(path string) (*Lock, error) {
	path, err := Resolve(path)
	if err != nil {
		return nil, err
	}
	fl := flock.New(LockPath(path), flock.SetFlag(os.O_CREATE|os.O_RDWR), flock.SetPermissions(0o600))
	ok, err := fl.TryLock()
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", filepath.Base(path), err)
	}
	if !ok {
		return nil, nil
	}
	return &Lock{fl: fl}, nil
}

// Unlock releases the lock. It is safe on a nil Lock.
func (l *Lock) Unlock() error {
	if l == nil {
		return nil
	}
	return l.fl.Close()
}
