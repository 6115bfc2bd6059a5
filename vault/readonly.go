package vault

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"keyshelf/vault/store"
)

// ReadOnlyKind is why a vault is open read-only.
type ReadOnlyKind int

const (
	// HeldElsewhere: another running copy of Keyshelf holds the vault's
	// lock.
	HeldElsewhere ReadOnlyKind = iota + 1
	// FolderNotWritable: the vault's folder cannot be written (no
	// permission, or a read-only file system), so no save could replace
	// the file.
	FolderNotWritable
	// FileNotWritable: the vault file itself is marked read-only.
	FileNotWritable
	// LockFailed: the lock could not be taken for another reason (a
	// file system without locks, say), so this copy does not write.
	LockFailed
)

// ReadOnlyError says why a vault is open read-only (see
// Vault.ReadOnlyReason). errors.Is(err, ErrReadOnly) holds for it.
type ReadOnlyError struct {
	Kind ReadOnlyKind
	// Path is the folder (FolderNotWritable) or the vault file (the
	// others), the real one when the vault's path is a link.
	Path string
	// Err is the cause, when there is one: the error creating the lock or
	// a temporary file.
	Err error
}

// Reason is the reason alone, in plain words: "the vault's folder /x is not
// writable".
func (e *ReadOnlyError) Reason() string {
	switch e.Kind {
	case HeldElsewhere:
		return "another Keyshelf has this vault open"
	case FolderNotWritable:
		return "the vault's folder " + e.Path + " is not writable"
	case FileNotWritable:
		return "the vault file " + e.Path + " is marked read-only"
	}
	if e.Err != nil {
		return "the vault could not be locked (" + e.Err.Error() + ")"
	}
	return "the vault could not be locked"
}

func (e *ReadOnlyError) Error() string {
	if e.Kind == HeldElsewhere {
		return "another running copy of Keyshelf has the vault open, so it is read-only here"
	}
	return e.Reason() + ", so the vault is open read-only"
}

// Is makes errors.Is(err, ErrReadOnly) hold.
func (e *ReadOnlyError) Is(target error) bool { return target == ErrReadOnly }

// Unwrap returns the cause, if any.
func (e *ReadOnlyError) Unwrap() error { return e.Err }

// The store's lock and write probe; tests replace them to simulate a
// read-only folder or file system (root ignores permission bits).
var (
	tryLock  = store.TryLock
	canWrite = store.CanWrite
)

// notWritable reports whether err says the file system refused a write for
// lack of permission or because it is mounted read-only.
func notWritable(err error) bool {
	return errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EROFS)
}

// takeLock takes the lock of the vault file (a resolved path) if it can and
// the vault could be saved, and otherwise says why the vault is read-only.
func takeLock(file string) (*store.Lock, *ReadOnlyError) {
	dir := filepath.Dir(file)
	lock, err := tryLock(file)
	switch {
	case err != nil && notWritable(err):
		return nil, &ReadOnlyError{Kind: FolderNotWritable, Path: dir, Err: err}
	case err != nil:
		return nil, &ReadOnlyError{Kind: LockFailed, Path: file, Err: err}
	case lock == nil:
		return nil, &ReadOnlyError{Kind: HeldElsewhere, Path: file}
	}
	// The lock file may be left from when the folder was writable, and a
	// file marked read-only is the user's word: check that a save could
	// be made. A vault that cannot be saved lets go of the lock, so that
	// another copy is not told this one has it.
	if fi, err := os.Stat(file); err == nil && fi.Mode().Perm()&0o200 == 0 {
		lock.Unlock()
		return nil, &ReadOnlyError{Kind: FileNotWritable, Path: file}
	}
	if err := canWrite(file); err != nil && notWritable(err) {
		lock.Unlock()
		return nil, &ReadOnlyError{Kind: FolderNotWritable, Path: dir, Err: err}
	}
	return lock, nil
}
