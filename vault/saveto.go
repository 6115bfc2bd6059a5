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
// at path unless it is a version of this same vault under the same data
// key, whose entries it then merges into the copy (a synced folder's
// version is never overwritten); it leaves the vault's own path as it is:
// later saves still go there.
func (v *Vault) SaveTo(path string) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.closed {
		return ErrClosed
	}
	doc := v.doc
	if _, err := os.Stat(path); err == nil {
		// Another version of this vault there (a synced folder): what it
		// holds is merged into the copy, never overwritten.
		other, err := v.sameKeyVersion(path)
		if err != nil {
			return fmt.Errorf("%w: %s", ErrExists, path)
		}
		doc, _ = mergeDocs(v.doc, other, v.now())
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("save to %s: %w", path, err)
	}
	old := v.doc
	v.doc = doc
	data, err := v.seal(v.header, v.dek)
	v.doc = old
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

// sameKeyVersion reads the file at path when it is a version of this vault
// under the same data key, and fails otherwise (another vault, another
// key, not a vault). Callers hold v.mu.
func (v *Vault) sameKeyVersion(path string) (document, error) {
	f, err := parseFile(path)
	if err != nil {
		return document{}, err
	}
	if f.Header.ID != v.header.ID {
		return document{}, ErrOtherVault
	}
	pt, err := f.Decrypt(v.dek)
	if err != nil {
		return document{}, ErrOtherKey
	}
	defer clear(pt)
	return decodeDocument(pt)
}
