//go:build !windows

package autostart

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"keyshelf/vault/store"
)

// place is where this system keeps login items as files: the folder, the
// file name's suffix and the file's contents for an item.
type place struct {
	dir    string
	suffix string
	render func(Item) (string, error)
}

func (p place) path(it Item) string { return filepath.Join(p.dir, it.ID+p.suffix) }

// enable writes the item's file atomically (a temporary file renamed over
// the old one, mode 0600), making the folder (0700) if there is none.
func (p place) enable(it Item) error {
	text, err := p.render(it)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(p.dir, 0o700); err != nil {
		return fmt.Errorf("make the login items folder: %w", err)
	}
	if err := store.WriteFileKeepingBackup(p.path(it), []byte(text)); err != nil {
		var warn *store.SyncWarning
		if !errors.As(err, &warn) {
			return fmt.Errorf("write the login item: %w", err)
		}
	}
	return nil
}

func (p place) disable(it Item) error {
	if err := os.Remove(p.path(it)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove the login item: %w", err)
	}
	return nil
}

// enabled reports whether the item's file is there and starts this very
// program with these arguments (an entry left by a copy elsewhere does not
// count: Enable rewrites it).
func (p place) enabled(it Item) (bool, error) {
	want, err := p.render(it)
	if err != nil {
		return false, err
	}
	got, err := os.ReadFile(p.path(it))
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read the login item: %w", err)
	}
	return string(got) == want, nil
}
