package vault

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"

	"keyshelf/vault/format"
	"keyshelf/vault/keychain"
	"keyshelf/vault/store"
)

// Rekeyed reports what renewing the data key did to the device slots.
type Rekeyed struct {
	// Kept are the labels of this device's slots: they unlock the new key
	// (with new device keys in this device's keychain).
	Kept []string
	// Dropped are the labels of the other devices' slots: they no longer
	// unlock the vault and must be remembered again there.
	Dropped []string
	// Forgotten are the slots removed on request (Forget).
	Forgotten []string
	// Lost are this device's slots whose new device key the keychain
	// refused: this device needs the passphrase again (see Problems).
	Lost []string
	// Problems are what went wrong after the vault was saved under the new
	// key, for the user to hear: the backup (.bak) could not be renewed (it
	// was then removed, or this says it could not be), a new device key
	// could not be stored in the keychain (that slot is then in Lost),
	// or an old device key could not be deleted from it.
	Problems error
}

// ConfirmPassphrase checks passphrase against the vault's passphrase slot
// and keeps its key in memory until Close, so that Forget can renew the data
// key of a vault that was unlocked with a device key.
func (v *Vault) ConfirmPassphrase(passphrase string) error {
	v.mu.Lock()
	h := *v.header
	closed := v.closed
	v.mu.Unlock()
	if closed {
		return ErrClosed
	}
	kek, err := format.DeriveKEK(passphrase, h.Salt[:], h.KDF) // slow: not under the lock
	if err != nil {
		return err
	}
	dek, err := format.UnwrapKey(&h, &h.Passphrase, kek, ErrWrongPassphrase)
	if err != nil {
		clear(kek)
		return err
	}
	clear(dek)
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.closed || v.header.Salt != h.Salt {
		clear(kek)
		return ErrClosed
	}
	clear(v.kek)
	v.kek = kek
	return nil
}

// ChangePassphrase renews the vault's data key under a new passphrase (with
// the current default KDF parameters) and saves, so that neither the old
// passphrase nor an old device key opens anything saved from now on. This
// device's slots get new device keys; the other devices' slots are dropped
// (Rekeyed.Dropped) and must be remembered again. The backup is re-sealed
// under the new key.
func (v *Vault) ChangePassphrase(newPassphrase string) (Rekeyed, error) {
	if newPassphrase == "" {
		return Rekeyed{}, ErrEmptyPassphrase
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if err := v.usable(); err != nil {
		return Rekeyed{}, err
	}
	var salt [format.SaltSize]byte
	if _, err := io.ReadFull(v.opts.Rand, salt[:]); err != nil {
		return Rekeyed{}, fmt.Errorf("change the passphrase: read random salt: %w", err)
	}
	kek, err := format.DeriveKEK(newPassphrase, salt[:], v.opts.KDF)
	if err != nil {
		return Rekeyed{}, err
	}
	return v.rekey(kek, salt, v.opts.KDF, nil)
}

// Forget removes keychain slots and renews the data key, so that a removed
// device's key (say, on a lost laptop) opens nothing saved from now on. With
// a label it removes that slot; with "" it removes every slot whose device
// key this device's keychain holds. As with ChangePassphrase, the other
// devices' slots are dropped too and must be remembered again; this
// device's remaining slots are kept with new device keys.
//
// Renewing the key re-wraps it under the passphrase, so the vault must know
// the passphrase's key: it does when it was opened with the passphrase;
// otherwise Forget returns ErrPassphraseNeeded and ConfirmPassphrase comes
// first.
func (v *Vault) Forget(label string) (Rekeyed, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if err := v.usable(); err != nil {
		return Rekeyed{}, err
	}
	var forget []string
	for _, s := range v.header.Keychain {
		switch {
		case label != "":
			if s.Label == label {
				forget = append(forget, s.Label)
			}
		default:
			if key := v.heldHere(s); key != nil {
				clear(key)
				forget = append(forget, s.Label)
			}
		}
	}
	if len(forget) == 0 {
		return Rekeyed{}, ErrNoDeviceKey
	}
	if v.kek == nil {
		return Rekeyed{}, ErrPassphraseNeeded
	}
	kek := slices.Clone(v.kek)
	r, err := v.rekey(kek, v.header.Salt, v.header.KDF, forget)
	if err != nil {
		return Rekeyed{}, err
	}
	return r, nil
}

// heldHere returns the device key this device's keychain holds for slot s,
// if it holds one that opens the slot; the caller clears it.
func (v *Vault) heldHere(s format.Slot) []byte {
	if v.opts.Keychain == nil {
		return nil
	}
	enc, err := v.opts.Keychain.Get(keychainUser(v.header, s.Label))
	if err != nil {
		return nil
	}
	key, err := base64.StdEncoding.DecodeString(enc)
	if err != nil || len(key) != format.KeySize {
		return nil
	}
	dek, err := format.UnwrapKey(v.header, &s, key, ErrWrongPassphrase)
	if err != nil {
		clear(key)
		return nil
	}
	clear(dek)
	return key
}

// newDevice is a device key made by a re-key for one of this device's
// slots, to be put in the keychain once the file holds the slot.
type newDevice struct {
	label string
	key   []byte
}

// rekey makes a new data key, wraps it under kek (which it takes over) for
// the passphrase slot with salt and params, and under new device keys for
// this device's slots except those in forget, seals the document, saves,
// and re-seals the backup. It first takes in a version another computer
// wrote (catchUp), which stays in memory; any other failure before the
// file is replaced changes nothing, in memory, on disk or in the keychain. The keychain is written
// only after the file: a keychain that fails then (or a crash) costs this
// device its unlock without the passphrase, never the vault. Callers hold
// v.mu.
func (v *Vault) rekey(kek []byte, salt [format.SaltSize]byte, params format.Params, forget []string) (r Rekeyed, err error) {
	dek := make([]byte, format.KeySize)
	var devices []newDevice
	defer func() {
		for _, d := range devices {
			clear(d.key)
		}
		if err != nil {
			clear(kek)
			clear(dek)
		}
	}()
	if _, err := io.ReadFull(v.opts.Rand, dek); err != nil {
		return Rekeyed{}, fmt.Errorf("renew the data key: %w", err)
	}
	// Another computer's version first: the renewed vault must hold it.
	if err := v.catchUp(); err != nil {
		return Rekeyed{}, &SaveError{Err: err}
	}
	// The old data key is retired: no version sealed under it (an older
	// copy, or one a forgotten device makes) is taken in again.
	oldRetired := v.doc.retired
	v.doc.retired = append(slices.Clone(oldRetired), retiredPrint(v.dek))
	if n := len(v.doc.retired) - MaxRetired; n > 0 {
		v.doc.retired = v.doc.retired[n:]
	}
	defer func() {
		if err != nil {
			v.doc.retired = oldRetired
		}
	}()
	h := *v.header
	h.KDF, h.Salt, h.Keychain = params, salt, nil
	if err := format.WrapKey(&h, &h.Passphrase, kek, dek, v.opts.Rand); err != nil {
		return Rekeyed{}, err
	}
	// This device's slots get new device keys; the rest are dropped.
	for _, s := range v.header.Keychain {
		if slices.Contains(forget, s.Label) {
			r.Forgotten = append(r.Forgotten, s.Label)
			continue
		}
		old := v.heldHere(s)
		if old == nil {
			r.Dropped = append(r.Dropped, s.Label)
			continue
		}
		clear(old)
		key, err := v.newDeviceSlot(&h, s.Label, dek)
		if err != nil {
			return Rekeyed{}, err
		}
		devices = append(devices, newDevice{label: s.Label, key: key})
	}

	data, err := v.seal(&h, dek)
	if err != nil {
		return Rekeyed{}, &SaveError{Err: err}
	}
	// The .bak keeps the last real change's backup until the new backup is
	// ready: a crash here leaves the old backup, never none.
	if err := v.replace(v.file, data, false); err != nil {
		return Rekeyed{}, err
	}
	oldDEK := v.dek
	r.Problems = v.renewBackup(&h, oldDEK, dek)
	clear(oldDEK)
	*v.header = h
	v.dek = dek
	clear(v.kek) // Forget passes a copy, so this is never kek itself
	v.kek = kek

	// Now the file holds the new slots: give this device their keys.
	var lost []string
	for _, d := range devices {
		user := keychainUser(&h, d.label)
		if err := v.opts.Keychain.Set(user, base64.StdEncoding.EncodeToString(d.key)); err != nil {
			lost = append(lost, d.label)
			r.Problems = errors.Join(r.Problems, fmt.Errorf("this device's key could not be stored in the keychain, so it needs the passphrase again: %w", err))
			continue
		}
		r.Kept = append(r.Kept, d.label)
	}
	if len(lost) > 0 {
		// Slots whose key the keychain does not hold only cost a failed
		// try at every unlock: take them out (a failure to is harmless).
		v.header.Keychain = slices.DeleteFunc(slices.Clone(h.Keychain), func(s format.Slot) bool { return slices.Contains(lost, s.Label) })
		r.Lost = lost
		if err := v.save(); err != nil {
			v.header.Keychain = h.Keychain
		}
	}

	// The old device keys of this device and the forgotten ones open only
	// old copies now: delete those this keychain holds.
	if v.opts.Keychain != nil {
		for _, l := range append(slices.Clone(r.Forgotten), lost...) {
			if err := v.opts.Keychain.Delete(keychainUser(&h, l)); err != nil && !errors.Is(err, keychain.ErrNotFound) {
				r.Problems = errors.Join(r.Problems, fmt.Errorf("the old device key %q could not be deleted from the keychain (it opens only copies from before): %w", l, err))
			}
		}
	}
	return r, nil
}

// newDeviceSlot appends to h a keychain slot labelled label wrapping dek
// under a new random device key, and returns that key.
func (v *Vault) newDeviceSlot(h *format.Header, label string, dek []byte) ([]byte, error) {
	key := make([]byte, format.KeySize)
	if _, err := io.ReadFull(v.opts.Rand, key); err != nil {
		return nil, fmt.Errorf("make a device key: %w", err)
	}
	slot := format.Slot{Label: label}
	if err := format.WrapKey(h, &slot, key, dek, v.opts.Rand); err != nil {
		clear(key)
		return nil, err
	}
	h.Keychain = append(h.Keychain, slot)
	return key, nil
}

// renewBackup re-seals the backup under the new header and key, so that the
// old passphrase does not open it. A backup of this vault that opens with the
// old key keeps its contents (the version before the last change); any other
// backup is replaced by the current contents. When that cannot be written,
// the old backup is removed rather than left readable with the old key.
func (v *Vault) renewBackup(h *format.Header, oldDEK, dek []byte) error {
	bak := store.BackupPath(v.file)
	pt := v.doc.encode()
	defer func() { clear(pt) }()
	if f, err := parseFile(bak); err == nil && f.Header.ID == h.ID {
		if old, err := f.Decrypt(oldDEK); err == nil {
			if _, err := decodeDocument(old); err == nil {
				clear(pt)
				pt = old
			} else {
				clear(old)
			}
		}
	}
	hc := *h
	data, err := format.Seal(&hc, dek, pt, v.opts.Rand)
	if err == nil {
		err = v.replace(bak, data, false)
	}
	if err == nil {
		return nil
	}
	if rmErr := os.Remove(bak); rmErr != nil && !errors.Is(rmErr, fs.ErrNotExist) {
		return fmt.Errorf("the backup %s could not be renewed (%w) nor removed (%w): the old passphrase still opens it; delete it", bak, err, rmErr)
	}
	return fmt.Errorf("the backup could not be renewed under the new key, so it was removed: %w", err)
}
