package gui

import (
	"errors"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2/dialog"

	"keyshelf/vault"
	"keyshelf/vault/store"
)

// showError shows err in a dialog, in words a person can act on.
func (u *UI) showError(err error) {
	u.show(dialog.NewError(errors.New(u.userMessage(err)), u.win))
}

// saveFailed tells the user that a change could not be saved, that the
// vault on disk is still the previous version, and offers to try again.
func (u *UI) saveFailed(err error, retry func()) {
	msg := "Your change was not saved. The vault file on disk is unchanged, so nothing you saved before is lost."
	if errors.Is(err, store.ErrDiskFull) {
		msg += "\n\nThe disk is full: free some space, then try again."
	} else {
		msg += "\n\nReason: " + u.userMessage(err)
	}
	d := dialog.NewConfirm("Could not save", msg, func(again bool) {
		if again {
			retry()
		}
	}, u.win)
	d.SetConfirmText("Try again")
	d.SetDismissText("Cancel")
	u.show(d)
}

// userMessage turns an error into plain words for the window. Errors from
// the vault never hold a key, so their own text is a safe fallback.
func (u *UI) userMessage(err error) string {
	var se *vault.SaveError
	switch {
	case err == nil:
		return ""
	case errors.As(err, &se):
		return u.userMessage(se.Err)
	case errors.Is(err, vault.ErrWrongPassphrase):
		return "Wrong passphrase"
	case errors.Is(err, vault.ErrNewerVersion):
		return "This vault was written by a newer version of Keyshelf. Update Keyshelf to open it."
	case errors.Is(err, vault.ErrNotVault):
		return "This file is not a Keyshelf vault."
	case errors.Is(err, vault.ErrTampered), errors.Is(err, vault.ErrCorrupt):
		return "The vault file is damaged or was changed by something else and could not be read. " +
			"The previous version is kept as " + vault.BackupPath(u.cfg.VaultPath)
	case errors.Is(err, vault.ErrReadOnly):
		return readOnlyMessage(err, u.v)
	case errors.Is(err, vault.ErrDuplicateName):
		return "Another key already has that name."
	case errors.Is(err, store.ErrDiskFull):
		return "The disk is full."
	}
	return capitalize(err.Error())
}

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// readOnlyReason is why v is read-only, in words for the status bar:
// "another Keyshelf has this vault open", "the vault's folder /x is not
// writable".
func readOnlyReason(v *vault.Vault) string {
	var ro *vault.ReadOnlyError
	if v != nil && errors.As(v.ReadOnlyReason(), &ro) {
		return ro.Reason()
	}
	return "this vault cannot be changed here"
}

// readOnlyMessage turns err, which matches vault.ErrReadOnly, into the
// sentence a dialog shows, with the true reason: err's own, else v's.
func readOnlyMessage(err error, v *vault.Vault) string {
	var ro *vault.ReadOnlyError
	if !errors.As(err, &ro) && (v == nil || !errors.As(v.ReadOnlyReason(), &ro)) {
		return "This vault is read-only here."
	}
	switch ro.Kind {
	case vault.HeldElsewhere:
		return "Another Keyshelf window has this vault open, so it is read-only here. Close the other one to make changes."
	case vault.FolderNotWritable:
		return capitalize(ro.Reason()) + ", so the vault is read-only here. Make the folder writable, then lock and unlock the vault."
	case vault.FileNotWritable:
		return capitalize(ro.Reason()) + ", so it is read-only here. Make the file writable, then lock and unlock the vault."
	}
	return capitalize(ro.Reason()) + ", so it is read-only here."
}
