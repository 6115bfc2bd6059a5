package vault

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"keyshelf/vault/format"
	"keyshelf/vault/store"
)

// WriteBackup writes every entry of the vault, whole (earlier values and
// access logs included), to path as a vault file of its own: a new vault id,
// a new data key under passphrase (with the vault's KDF settings), and no
// device slots, so that the passphrase alone opens it, on any machine, as a
// vault (Open) or as an import (ReadBackup). It is written atomically with
// mode 0600. It refuses a path that exists (ErrExists) and the vault's own
// file.
func (v *Vault) WriteBackup(path, passphrase string) error {
	if passphrase == "" {
		return ErrEmptyPassphrase
	}
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("%w: %s", ErrExists, path)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("write the backup: %w", err)
	}
	h, dek, err := format.NewHeader(passphrase, v.opts.KDF, v.opts.Rand) // slow: not under the lock
	if err != nil {
		return err
	}
	defer clear(dek)
	v.mu.Lock()
	if v.closed {
		v.mu.Unlock()
		return ErrClosed
	}
	data, err := v.seal(h, dek)
	v.mu.Unlock()
	if err != nil {
		return fmt.Errorf("write the backup: %w", err)
	}
	if err := store.WriteFileKeepingBackup(path, data); err != nil {
		var sw *store.SyncWarning
		if !errors.As(err, &sw) {
			return fmt.Errorf("write the backup %s: %w", path, err)
		}
	}
	return nil
}

// IsVaultFile reports whether data starts as a vault file does (of any
// version, whole or not), for telling a backup from other files to import;
// CheckHeader tells whether its header can be read.
func IsVaultFile(data []byte) bool { return format.HasMagic(data) }

// CheckHeader reads a vault file's unencrypted header and returns what
// Open would say of it: nil, ErrNotVault, ErrNewerVersion or ErrCorrupt.
func CheckHeader(data []byte) error {
	_, _, err := format.ParseHeader(data)
	return err
}

// ReadBackup opens a vault file given as data (a backup from WriteBackup,
// or any vault) with its passphrase and returns its entries, whole, without
// taking a lock or changing anything. Its errors are Open's: ErrNotVault,
// ErrNewerVersion, ErrCorrupt, ErrTampered, ErrWrongPassphrase.
func ReadBackup(data []byte, passphrase string) ([]Entry, error) {
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("%w: the file is larger than %d MiB", ErrCorrupt, MaxFileSize>>20)
	}
	f, err := format.Parse(data)
	if err != nil {
		return nil, err
	}
	kek, err := format.DeriveKEK(passphrase, f.Header.Salt[:], f.Header.KDF)
	if err != nil {
		return nil, err
	}
	defer clear(kek)
	dek, err := format.UnwrapKey(f.Header, &f.Header.Passphrase, kek, ErrWrongPassphrase)
	if err != nil {
		return nil, err
	}
	defer clear(dek)
	pt, err := f.Decrypt(dek)
	if err != nil {
		return nil, err
	}
	doc, err := decodeDocument(pt)
	clear(pt)
	if err != nil {
		return nil, err
	}
	out := make([]Entry, len(doc.entries))
	for i, e := range doc.entries {
		out[i] = e.clone()
	}
	return out, nil
}
