package format

import "errors"

// The kinds of failure a reader reports. Every error returned by this package
// wraps exactly one of them, so callers tell them apart with errors.Is. None of
// the messages ever contains a passphrase, a key or decrypted data.
var (
	// ErrNotVault: the file does not start with a keyshelf vault header.
	ErrNotVault = errors.New("not a keyshelf vault")
	// ErrNewerVersion: the file was written by a newer version of Keyshelf.
	ErrNewerVersion = errors.New("written by a newer version of Keyshelf")
	// ErrCorrupt: the header is malformed or the file is truncated.
	ErrCorrupt = errors.New("vault file is damaged")
	// ErrUnsafeKDF: the key-derivation parameters are outside the safe limits.
	ErrUnsafeKDF = errors.New("unsafe key derivation parameters")
	// ErrWrongPassphrase: the passphrase does not unlock the vault.
	ErrWrongPassphrase = errors.New("wrong passphrase")
	// ErrWrongDeviceKey: a device key does not unlock its keychain slot.
	ErrWrongDeviceKey = errors.New("the key remembered on this device does not unlock this vault")
	// ErrTampered: the encrypted contents fail authentication.
	ErrTampered = errors.New("vault contents fail authentication: the file was damaged or tampered with")
)
