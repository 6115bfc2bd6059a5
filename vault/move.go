package vault

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"keyshelf/vault/store"
)

// Moved is what MoveTo did besides moving the vault.
type Moved struct {
	// Linked: the old path is now a symbolic link to the new file, so
	// that whatever opens the old path (the command line without --vault)
	// finds the vault. LinkErr says why not, when the old path was the
	// default location and no link could be made (Windows without
	// developer mode, say).
	Linked  bool
	LinkErr error
	// BackupLeft: the old .bak could not follow (another disk) and stays
	// at the old place.
	BackupLeft bool
}

// MoveTo moves the open vault to path (a folder kept in sync, say): it
// writes the vault there as a save does (atomically, read back first),
// takes its lock there, and only then removes the old file and its lock;
// the old .bak follows when it can. It refuses a path where a file already
// is (open that vault instead, and merge). When the old path was the
// default location (see DefaultPath), or a link there pointed at the old
// file, a symbolic link to the new file is left (or put) there. The vault
// stays open and later saves go to path.
func (v *Vault) MoveTo(path string) (Moved, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if err := v.usable(); err != nil {
		return Moved{}, err
	}
	if err := CheckPath(path); err != nil {
		return Moved{}, err
	}
	if _, err := os.Lstat(path); err == nil {
		return Moved{}, fmt.Errorf("%w: %s", ErrExists, path)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return Moved{}, fmt.Errorf("move the vault to %s: %w", path, err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return Moved{}, fmt.Errorf("move the vault: create the folder: %w", err)
	}
	file, err := store.Resolve(path)
	if err != nil {
		return Moved{}, err
	}
	if file == v.file {
		return Moved{}, fmt.Errorf("%w: %s", ErrExists, path)
	}
	lock, why := takeLock(file)
	if why != nil {
		return Moved{}, fmt.Errorf("move the vault to %s: %w", path, why)
	}
	if err := v.catchUp(); err != nil {
		lock.Unlock()
		return Moved{}, &SaveError{Err: err}
	}
	data, err := v.seal(v.header, v.dek)
	if err == nil {
		err = writeFile(file, data)
	}
	var sw *store.SyncWarning
	if err != nil && !errors.As(err, &sw) {
		lock.Unlock()
		os.Remove(store.LockPath(file))
		return Moved{}, &SaveError{Err: err}
	}
	if sw != nil {
		v.warning.Store(sw) // in place all the same; said once, as a save's
	}

	oldPath, oldFile, oldLock := v.path, v.file, v.lock
	// A link left at the default place by an earlier move points at the
	// file about to go: it follows the vault.
	def, _ := DefaultPath()
	relink := false
	if fi, err := os.Lstat(def); err == nil && fi.Mode()&os.ModeSymlink != 0 {
		if r, err := store.Resolve(def); err == nil && r == oldFile {
			relink = true
		}
	}
	v.path, v.file, v.lock = path, file, lock
	v.remember(data)
	var m Moved
	if err := os.Rename(store.BackupPath(oldFile), store.BackupPath(file)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		m.BackupLeft = true
	}
	os.Remove(oldFile)
	oldLock.Unlock()
	os.Remove(store.LockPath(oldFile))
	if def != "" && (relink || filepath.Clean(def) == filepath.Clean(oldPath)) {
		if abs, err := filepath.Abs(path); err == nil {
			if relink {
				os.Remove(def)
			}
			if m.LinkErr = os.Symlink(abs, def); m.LinkErr == nil {
				m.Linked = true
			}
		}
	}
	return m, nil
}
