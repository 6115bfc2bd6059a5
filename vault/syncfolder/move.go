package syncfolder

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"keyshelf/vault/store"
)

// rename is os.Rename; tests replace it to simulate a move between disks.
var rename = os.Rename

// maxNames is how many names MoveAside tries in dir before it gives up.
const maxNames = 10000

// MoveAside moves the file path into the folder dir, creating dir (and its
// parents) with mode 0700 when it is missing, and returns the file's new
// path. The new name is the time now in UTC, YYYYMMDD-HHMMSS, a hyphen and
// the file's base name; when that is taken, -2, -3, … goes before the
// extension. It never replaces a file already in dir. The moved file has
// mode 0600.
//
// Between disks, where a rename cannot move a file, it copies the file
// (flushed to disk) and then removes the original. When the file reached
// dir but a later step failed (removing the original after a copy: the file
// is then in both places; or setting the mode), it returns the new path with
// the error.
func MoveAside(path, dir string, now time.Time) (string, error) {
	info, err := os.Lstat(path)
	if err != nil {
		return "", fmt.Errorf("move %s aside: %w", path, err)
	}
	if !info.Mode().IsRegular() {
		return "", fmt.Errorf("move %s aside: not a regular file", path)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("move %s aside: %w", path, err)
	}
	base := filepath.Base(path)
	ext := filepath.Ext(base)
	stamped := now.UTC().Format("20060102-150405") + "-" + strings.TrimSuffix(base, ext)
	for n := 1; n <= maxNames; n++ {
		name := stamped
		if n > 1 {
			name += "-" + strconv.Itoa(n)
		}
		target := filepath.Join(dir, name+ext)
		moved, err := moveTo(path, target, info)
		if !moved && errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			if !moved {
				target = ""
			}
			return target, fmt.Errorf("move %s aside to %s: %w", path, dir, err)
		}
		return target, nil
	}
	return "", fmt.Errorf("move %s aside: %d names in %s are taken", path, maxNames, dir)
}

// moveTo moves path to target unless target exists (then the error is
// fs.ErrExist and nothing is moved). moved reports whether target now holds
// the file, even when a later step failed.
func moveTo(path, target string, info fs.FileInfo) (moved bool, err error) {
	// Reserve the name: a rename would replace a file made in between.
	f, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return false, err
	}
	if err := f.Close(); err != nil {
		_ = os.Remove(target)
		return false, err
	}
	err = rename(path, target)
	if err == nil {
		if err := os.Chmod(target, 0o600); err != nil {
			return true, fmt.Errorf("make %s private: %w", target, err)
		}
		return true, nil
	}
	// Our empty placeholder is still there: the rename did not happen.
	_ = os.Remove(target)
	if !crossDevice(err) {
		return false, err
	}
	if err := store.CopyFile(path, target); err != nil {
		return false, fmt.Errorf("copy to %s: %w", target, err)
	}
	// A copy keeps the time a rename would have kept; failing to is harmless.
	_ = os.Chtimes(target, time.Time{}, info.ModTime())
	if err := os.Remove(path); err != nil {
		return true, fmt.Errorf("remove the original: %w", err)
	}
	return true, nil
}

// errorNotSameDevice is Windows' ERROR_NOT_SAME_DEVICE, the error of a
// rename between volumes.
const errorNotSameDevice = syscall.Errno(17)

// crossDevice reports whether err is a rename's failure to move a file to
// another disk.
func crossDevice(err error) bool {
	if errors.Is(err, syscall.EXDEV) {
		return true
	}
	if runtime.GOOS != "windows" {
		return false
	}
	var le *os.LinkError
	if !errors.As(err, &le) {
		return false
	}
	return errors.Is(le.Err, errorNotSameDevice) || !strings.EqualFold(volume(le.Old), volume(le.New))
}

// volume is the volume name (C:, \\server\share) of path.
func volume(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	return filepath.VolumeName(path)
}
