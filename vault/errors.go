package vault

import (
	"errors"

	"keyshelf/vault/format"
)

// Errors from opening a vault file; they are the format package's, repeated
// here so callers need only this package. Test them with errors.Is.
var (
	ErrNotVault        = format.ErrNotVault
	ErrNewerVersion    = format.ErrNewerVersion
	ErrCorrupt         = format.ErrCorrupt
	ErrUnsafeKDF       = format.ErrUnsafeKDF
	ErrWrongPassphrase = format.ErrWrongPassphrase
	ErrTampered        = format.ErrTampered
)

// Errors from using a vault.
var (
	// ErrNoVault: there is no vault file at the path.
	ErrNoVault = errors.New("no vault file there yet")
	// ErrExists: Create found a file already there.
	ErrExists = errors.New("a file already exists there")
	// ErrReadOnly: the vault is open read-only and cannot be saved: another
	// running copy of Keyshelf holds its lock, or its folder or file is not
	// writable. A *ReadOnlyError (see Vault.ReadOnlyReason) says which, and
	// matches ErrReadOnly.
	ErrReadOnly = errors.New("the vault is open read-only here, so it cannot be changed")
	// ErrClosed: the vault was locked (closed) and its contents dropped.
	ErrClosed = errors.New("the vault is locked")
	// ErrNotFound: no entry has that name or id.
	ErrNotFound = errors.New("no key with that name")
	// ErrDuplicateName: another entry already has that name.
	ErrDuplicateName = errors.New("another key already has that name")
	// ErrEmptyName: a name is required.
	ErrEmptyName = errors.New("the name is empty")
	// ErrBadName: the name holds a line break or another control character.
	ErrBadName = errors.New("the name holds a line break or another control character")
	// ErrSameSecret: a rotation was given the key the entry already holds.
	ErrSameSecret = errors.New("the new key is the same as the current one")
	// ErrEmptySecret: the key is empty (or only white space).
	ErrEmptySecret = errors.New("the key is empty")
	// ErrBadSecret: the key holds bytes that are not text (UTF-8).
	ErrBadSecret = errors.New("the key holds bytes that are not text (UTF-8)")
	// ErrPassphraseNeeded: the vault was unlocked with a device key, and
	// the change asked for (renewing the data key) needs the passphrase:
	// call ConfirmPassphrase first.
	ErrPassphraseNeeded = errors.New("type the vault's passphrase to do this")
	// ErrEmptyPassphrase: a passphrase is required.
	ErrEmptyPassphrase = errors.New("the passphrase is empty")
	// ErrNoDeviceKey: this device holds no key for the vault in its keychain.
	ErrNoDeviceKey = errors.New("this device is not remembered for this vault")
	// ErrNotChecked: a check result that says nothing (cancelled) was not
	// recorded.
	ErrNotChecked = errors.New("the check did not finish, so there is nothing to record")
	// ErrStaleCheck: the key, provider or address changed while the check
	// ran, so its result was not recorded.
	ErrStaleCheck = errors.New("the key changed while it was being checked; check it again")
	// ErrSave: writing the vault failed; the previous file is intact. The
	// error returned is a *SaveError that also wraps the cause.
	ErrSave = errors.New("could not save the vault")
)

// SaveError reports a failed save. The vault file on disk is the previous
// version, untouched, and the vault in memory is as it was before the change.
type SaveError struct{ Err error }

func (e *SaveError) Error() string {
	return "could not save the vault (" + e.Err.Error() + "); the previous version of the file is intact"
}

// Unwrap makes errors.Is match both ErrSave and the cause.
func (e *SaveError) Unwrap() []error { return []error{ErrSave, e.Err} }
