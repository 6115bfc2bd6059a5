package vault

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"slices"

	"keyshelf/vault/format"
	"keyshelf/vault/store"
)

// Changes from outside: a sync service (Syncthing, Dropbox, …) replaces the
// vault file with another computer's version while this copy has it open.
// The vault remembers what the file held when it last read or wrote it; a
// save first takes in whatever replaced it (so that no save ever overwrites
// another computer's change), and Reload does the same on request (the
// window calls it when the file changes).

var (
	// ErrOtherKey: the vault file was changed elsewhere under another data
	// key or passphrase (a passphrase change or a forgotten device on
	// another computer), and neither this copy's keys nor this device's
	// keychain open it: give the passphrase (Reload, MergeFile).
	ErrOtherKey = errors.New("the vault was changed on another computer with another passphrase; type the passphrase to take the change in")
	// ErrOtherVault: the file at the vault's path, or the file to merge,
	// is another vault (another id) and no passphrase was given for it.
	ErrOtherVault = errors.New("that file is another vault")
)

// MaxRetired bounds the fingerprints of retired data keys a vault keeps.
const MaxRetired = 100

// retiredPrint is the fingerprint of a retired data key: a hash that names
// the key without giving it away (the key is 32 random bytes).
func retiredPrint(dek []byte) string {
	h := sha256.New()
	h.Write([]byte("keyshelf retired data key\x00"))
	h.Write(dek)
	return hex.EncodeToString(h.Sum(nil))
}

// isRetired reports whether dek is one of d's retired data keys.
func (d *document) isRetired(dek []byte) bool {
	return slices.Contains(d.retired, retiredPrint(dek))
}

// isLowerHexLen reports whether s is n lower-case hex digits.
func isLowerHexLen(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for _, c := range []byte(s) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// fileSeen is what the vault file held when this copy last read or wrote
// it, as a hash. It is compared with what the file holds, read whole: a
// file's size, time and identity alone can stay the same through another
// computer's version (sync services copy the sender's time; coarse clocks
// on FAT and SMB), and a stat taken apart from the read can describe a
// newer file than the bytes seen.
type fileSeen struct {
	sum [sha256.Size]byte
}

// errLinkPlanted: the vault file was replaced by a symbolic link.
var errLinkPlanted = errors.New("the vault file was replaced by a link (from the synced folder?); Keyshelf does not save through it")

// remember notes that the file now holds data.
func (v *Vault) remember(data []byte) {
	v.seen = &fileSeen{sum: sha256.Sum256(data)}
}

// rememberIf remembers data when file is the vault's own (not its .bak).
func (v *Vault) rememberIf(file string, data []byte) {
	if file == v.file {
		v.remember(data)
	}
}

// changedOnDisk returns the file's contents when they are not what this
// copy last read or wrote, else nil. A link where the file was (a sync
// service can bring one) is refused: a save would write wherever it
// points.
func (v *Vault) changedOnDisk() ([]byte, error) {
	if v.seen == nil {
		return nil, nil
	}
	fi, err := os.Lstat(v.file)
	switch {
	case os.IsNotExist(err):
		return nil, nil // gone: the save puts it back
	case err != nil:
		return nil, err
	case fi.Mode()&os.ModeSymlink != 0:
		return nil, errLinkPlanted
	}
	data, err := readFile(v.file)
	if err != nil {
		return nil, err
	}
	if sha256.Sum256(data) == v.seen.sum {
		return nil, nil
	}
	return data, nil
}

// Reload is what Reload found.
type Reload struct {
	// Changed: the file held another version, now taken in.
	Changed bool
	// Report is what that version changed here.
	Report MergeReport
	// WroteBack: this copy held changes the file lacked, so the merged
	// vault was saved (and goes to the other computers in turn).
	WroteBack bool
	// DeviceForgotten: the other version no longer lets this device unlock
	// without the passphrase (the device was forgotten there, or the data
	// key renewed); remembering it again needs the passphrase.
	DeviceForgotten bool
	// SetAside is where a version sealed under a data key this vault
	// retired (from before a forget or passphrase change: an old copy, or
	// one made to undo the forget) was moved instead of being taken in;
	// "" when none. This copy's version was written back in its place;
	// keyshelf merge FILE can still take its entries in.
	SetAside string
}

// Reload takes in a version of the vault file written from outside since
// this copy last read or wrote it, merging it with this copy's entries (see
// mergeDocs) and saving the result when this copy adds anything. The
// passphrase is needed only when the other version has another data key
// or passphrase (ErrOtherKey); pass "" otherwise. A read-only vault takes
// the file's version as it is. It returns Changed false when the file is
// as it was.
func (v *Vault) Reload(passphrase string) (Reload, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.closed {
		return Reload{}, ErrClosed
	}
	data, err := v.changedOnDisk()
	if err != nil || data == nil {
		return Reload{}, err
	}
	r, err := v.takeIn(data, passphrase)
	if err != nil {
		return Reload{}, err
	}
	v.remember(data)
	if r.WroteBack {
		if err := v.save(); err != nil {
			return r, err
		}
	}
	return r, nil
}

// catchUp takes in a version of the file written from outside since this
// copy last read or wrote it, before a save replaces the file: a save never
// overwrites another computer's change. It does not mark that version as
// seen (the save that follows does, once it has written the file), so a
// failed save catches up again next time. Callers hold v.mu.
func (v *Vault) catchUp() error {
	data, err := v.changedOnDisk()
	if err != nil || data == nil {
		return err
	}
	_, err = v.takeIn(data, "")
	return err
}

// takeIn merges data, another version of this vault's file, into memory
// and adopts its header (keeping this copy's device slots when the data
// key is the same). It reports whether the merged vault must be saved
// (WroteBack; the caller saves). Callers hold v.mu.
func (v *Vault) takeIn(data []byte, passphrase string) (Reload, error) {
	f, err := format.Parse(data)
	if err != nil {
		return Reload{}, fmt.Errorf("the vault file was replaced by one that does not open: %w", err)
	}
	if f.Header.ID != v.header.ID {
		return Reload{}, fmt.Errorf("the vault file was replaced: %w", ErrOtherVault)
	}
	dek, kek, err := v.keysFor(f, passphrase)
	if err != nil {
		return Reload{}, err
	}
	if !bytes.Equal(dek, v.dek) && v.doc.isRetired(dek) {
		// Never go back to a retired data key (the forgotten laptop still
		// holds it): keep the file aside and this copy's version.
		clear(dek)
		clear(kek)
		if v.lock == nil {
			return Reload{}, fmt.Errorf("the vault file was replaced by a version from before a forget or passphrase change; it is not taken in")
		}
		aside := v.file + ".retired-" + v.now().Format("20060102-150405")
		if err := store.WriteFile(aside, data); err != nil {
			return Reload{}, fmt.Errorf("set aside a version under a retired key: %w", err)
		}
		return Reload{Changed: true, WroteBack: true, SetAside: aside}, nil
	}
	pt, err := f.Decrypt(dek)
	if err != nil {
		return Reload{}, err
	}
	disk, err := decodeDocument(pt)
	clear(pt)
	if err != nil {
		return Reload{}, err
	}
	r := Reload{Changed: true}
	hc := *f.Header
	hc.Keychain = slices.Clone(hc.Keychain)
	h := &hc
	if bytes.Equal(dek, v.dek) {
		// The same data key: this copy's device slots still open it.
		for _, s := range v.header.Keychain {
			if _, ok := h.KeychainSlot(s.Label); !ok {
				h.Keychain = append(h.Keychain, s)
			}
		}
	} else {
		for _, s := range v.header.Keychain {
			if _, ok := h.KeychainSlot(s.Label); !ok && v.opts.Keychain != nil {
				if _, err := v.opts.Keychain.Get(keychainUser(v.header, s.Label)); err == nil {
					r.DeviceForgotten = true
				}
			}
		}
	}
	if v.lock == nil {
		// Read-only: this copy has no changes of its own to keep.
		v.installLocked(h, dek, kek, disk)
		return r, nil
	}
	merged, rep := mergeDocs(v.doc, disk, v.now())
	r.Report = rep
	r.WroteBack = !bytes.Equal(merged.encode(), disk.encode()) || len(h.Keychain) != len(f.Header.Keychain)
	v.installLocked(h, dek, kek, merged)
	return r, nil
}

// installLocked makes h, dek and doc the vault's, dropping the old keys.
func (v *Vault) installLocked(h *format.Header, dek, kek []byte, doc document) {
	if !bytes.Equal(dek, v.dek) {
		clear(v.dek)
	}
	if kek == nil || !bytes.Equal(kek, v.kek) {
		clear(v.kek)
	}
	v.header, v.dek, v.kek, v.doc, v.index = h, dek, kek, doc, nil
}

// keysFor finds the data key of f, another version of this vault (or
// another vault, for MergeFile): this copy's own data key, the passphrase
// slot with this copy's passphrase key or the passphrase given, or a key
// this device's keychain holds. kek is the passphrase key that opens f's
// passphrase slot, when known.
func (v *Vault) keysFor(f *format.File, passphrase string) (dek, kek []byte, err error) {
	sameSalt := f.Header.Salt == v.header.Salt && f.Header.KDF == v.header.KDF
	if f.Header.ID == v.header.ID {
		if _, err := f.Decrypt(v.dek); err == nil {
			if sameSalt && v.kek != nil {
				if _, err := format.UnwrapKey(f.Header, &f.Header.Passphrase, v.kek, ErrWrongPassphrase); err == nil {
					kek = slices.Clone(v.kek)
				}
			}
			return slices.Clone(v.dek), kek, nil
		}
		if sameSalt && v.kek != nil {
			if dek, err := format.UnwrapKey(f.Header, &f.Header.Passphrase, v.kek, ErrWrongPassphrase); err == nil {
				return dek, slices.Clone(v.kek), nil
			}
		}
	}
	if passphrase != "" {
		k, err := format.DeriveKEK(passphrase, f.Header.Salt[:], f.Header.KDF)
		if err != nil {
			return nil, nil, err
		}
		dek, err := format.UnwrapKey(f.Header, &f.Header.Passphrase, k, ErrWrongPassphrase)
		if err != nil {
			clear(k)
			return nil, nil, err
		}
		return dek, k, nil
	}
	if f.Header.ID == v.header.ID {
		if dek, err := v.unlockDevice(f); err == nil {
			return dek, nil, nil
		}
		return nil, nil, ErrOtherKey
	}
	return nil, nil, ErrOtherVault
}

// MergeFile merges the vault file at path (another copy of this vault, such
// as a sync service's conflict copy, or another vault altogether) into this
// one and saves. The passphrase is needed only when this copy's keys do not
// open it (ErrOtherKey, ErrOtherVault); pass "" otherwise. The other file
// is only read. Device slots of a copy of this vault with the same data
// key are kept.
func (v *Vault) MergeFile(path, passphrase string) (MergeReport, error) {
	f, err := parseFile(path)
	if err != nil {
		return MergeReport{}, err
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if err := v.usable(); err != nil {
		return MergeReport{}, err
	}
	// Another computer's version of this vault first, so that the save
	// below finds nothing more to take in and a failure rolls back only
	// the merge.
	if err := v.catchUp(); err != nil {
		return MergeReport{}, &SaveError{Err: err}
	}
	dek, kek, err := v.keysFor(f, passphrase)
	clear(kek)
	if err != nil {
		return MergeReport{}, err
	}
	pt, err := f.Decrypt(dek)
	same := bytes.Equal(dek, v.dek)
	clear(dek)
	if err != nil {
		return MergeReport{}, err
	}
	other, err := decodeDocument(pt)
	clear(pt)
	if err != nil {
		return MergeReport{}, err
	}
	merged, rep := mergeDocs(v.doc, other, v.now())
	oldDoc, oldHeader := v.doc, v.header
	slots := false
	if same && f.Header.ID == v.header.ID {
		h := *v.header
		h.Keychain = slices.Clone(h.Keychain)
		for _, s := range f.Header.Keychain {
			if _, ok := h.KeychainSlot(s.Label); !ok {
				h.Keychain = append(h.Keychain, s)
				slots = true
			}
		}
		v.header = &h
	}
	if !slots && bytes.Equal(merged.encode(), v.doc.encode()) {
		v.header = oldHeader
		return rep, nil
	}
	v.doc, v.index = merged, nil
	if err := v.save(); err != nil {
		v.doc, v.header, v.index = oldDoc, oldHeader, nil
		return MergeReport{}, err
	}
	return rep, nil
}
