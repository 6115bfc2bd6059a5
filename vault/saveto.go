package vault

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"keyshelf/vault/store"
)

// SaveTo writes the vault, as it is in memory, to path: for when its own
// file cannot be saved (its folder was deleted, a disk was unplugged). The
// copy is sealed under the same header and key, so it opens with the same
// passphrase (and on this device, if remembered) and has the same vault id.
// It is written atomically, as a save is. SaveTo refuses to replace a file
// at path unless it is a copy of this same vault (same id), and it leaves
// the vault's own path as it is: later saves still go there.
func (v *Vault) SaveTo(path string) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.closed {
		return ErrClosed
	}
	if _, err := os.Stat(path); err == nil {
		info, perr := Peek(path)
		if perr != nil || info.ID != v.header.IDString() {
			return fmt.Errorf("%w: %s", ErrExists, path)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("save to %s: %w", path, err)
	}
	data, err := v.seal(v.header, v.dek)
	if err != nil {
		return fmt.Errorf("save to %s: %w", path, err)
	}
	if err := store.WriteFile(path, data); err != nil {
		var sw *store.SyncWarning
		if errors.As(err, &sw) {
			return nil // the file is in place
		}
		return fmt.Errorf("save to %s: %w", path, err)
	}
	return nil
}
