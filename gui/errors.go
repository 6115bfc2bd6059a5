package gui

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"keyshelf/vault"
	"keyshelf/vault/store"
)

// showError shows err in a dialog, in words a person can act on, with the
// error's own text below when it says more.
func (u *UI) showError(err error) {
	plain, tech := u.userMessage(err), technicalReason(err)
	if strings.Contains(plain, strings.TrimRight(tech, ".")) {
		tech = ""
	}
	u.show(u.errorDialog("Something went wrong", plain, tech, widget.NewButton("OK", func() {})))
}

// saveCause is why a save failed, as far as the user can act on it.
type saveCause int

const (
	saveOther       saveCause = iota
	saveGone                  // the vault's folder (or file) is no longer there
	saveDiskFull              // no room on the disk
	saveNotWritable           // the folder or file refuses writes
)

// causeOf classifies a failed save of the vault at path.
func causeOf(err error, path string) saveCause {
	if _, serr := os.Stat(path); errors.Is(serr, fs.ErrNotExist) || errors.Is(serr, syscall.ENOTDIR) {
		return saveGone
	}
	switch {
	case errors.Is(err, store.ErrDiskFull):
		return saveDiskFull
	case errors.Is(err, fs.ErrPermission), errors.Is(err, syscall.EROFS):
		return saveNotWritable
	}
	return saveOther
}

// saveFailedMessage says, in plain words, what is true after a failed save
// of the vault at path: whether anything is on disk, and what to do.
func saveFailedMessage(cause saveCause, path string) string {
	const intact = " The vault file on disk is unchanged, so nothing you saved before is lost."
	dir := filepath.Dir(path)
	switch cause {
	case saveGone:
		what := "its folder " + dir + " is gone (deleted, moved, or on a drive that was removed)"
		if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
			what = "the file " + path + " is gone (deleted or moved)"
		}
		return "Your change was not saved, and the vault is no longer on disk at all: " + what + ". " +
			"Your keys are only in this window now. Use Save to… to write them to a safe place, " +
			"or put the folder back and try again."
	case saveDiskFull:
		return "Your change was not saved: the disk is full." + intact + " Free some space, then try again."
	case saveNotWritable:
		return "Your change was not saved: the folder " + dir + " or the vault file cannot be written to now." + intact +
			" Make them writable, then try again."
	}
	return "Your change was not saved." + intact + " Try again, or see the reason below."
}

// technicalReason is the cause of err as the system gave it, for the small
// print under a message: the save error's own text claims the file is
// intact, which is not always so.
func technicalReason(err error) string {
	var se *vault.SaveError
	if errors.As(err, &se) {
		err = se.Err
	}
	return capitalize(err.Error())
}

// errorDialog is a dialog about something that went wrong: an error icon,
// the plain words first and the technical reason under them, smaller.
// buttons go at the bottom, the last one the default.
func (u *UI) errorDialog(title, plain, technical string, buttons ...*widget.Button) dialog.Dialog {
	msg := widget.NewLabel(plain)
	msg.Wrapping = fyne.TextWrapWord
	text := container.NewVBox(msg)
	if technical != "" {
		small := widget.NewRichText(&widget.TextSegment{
			Text:  technical,
			Style: widget.RichTextStyle{ColorName: theme.ColorNamePlaceHolder, SizeName: theme.SizeNameCaptionText, Inline: true},
		})
		small.Wrapping = fyne.TextWrapWord
		text.Add(small)
	}
	icon := widget.NewIcon(theme.NewErrorThemedResource(theme.ErrorIcon()))
	body := container.NewBorder(nil, nil, container.NewVBox(icon), nil, text)
	d := dialog.NewCustomWithoutButtons(title, body, u.win)
	objs := make([]fyne.CanvasObject, len(buttons))
	for i, b := range buttons {
		objs[i] = b
		tap := b.OnTapped
		b.OnTapped = func() { d.Hide(); tap() }
	}
	d.SetButtons(objs)
	d.Resize(fyne.NewSize(520, body.MinSize().Height))
	return d
}

// saveFailed tells the user that a change could not be saved and what is
// true now, for each cause, and offers to try again; when the vault's folder
// is gone, also to save what is in memory somewhere else.
func (u *UI) saveFailed(err error, retry func()) {
	if errors.Is(err, vault.ErrOtherKey) && u.v != nil {
		// Not a failure of the disk: another computer's version needs its
		// passphrase first; then the change is saved onto it.
		u.askOtherPassphrase(u.v, false, retry)
		return
	}
	path := u.cfg.VaultPath
	if u.v != nil {
		path = u.v.Path()
	}
	cause := causeOf(err, path)
	cancel := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() {})
	again := widget.NewButtonWithIcon("Try again", theme.ViewRefreshIcon(), retry)
	again.Importance = widget.HighImportance
	buttons := []*widget.Button{cancel}
	if cause == saveGone {
		buttons = append(buttons, widget.NewButtonWithIcon("Save to…", theme.DocumentSaveIcon(), u.saveElsewhere))
	}
	buttons = append(buttons, again)
	u.show(u.errorDialog("Could not save", saveFailedMessage(cause, path), technicalReason(err), buttons...))
}

// saveElsewhere asks for a folder and writes the vault, as it is in memory,
// there, under the vault file's own name (or a free variant of it).
func (u *UI) saveElsewhere() {
	u.pickFolderForVault(func(v *vault.Vault, dir string) {
		target, err := freeVaultName(dir, filepath.Base(v.Path()), v.ID())
		if err == nil {
			err = v.SaveTo(target)
		}
		if err != nil {
			u.show(u.errorDialog("Could not save a copy", "The vault could not be written to "+dir+".",
				technicalReason(err), widget.NewButton("Close", func() {})))
			return
		}
		msg := "Your keys were saved to " + target + ", as they were before the change that could not be saved. " +
			"To keep working with that copy, lock Keyshelf and open it with File > Open another vault…"
		u.show(dialog.NewInformation("Saved a copy", msg, u.win))
		if u.main != nil {
			u.main.setStatus("Saved a copy of the vault to " + target)
		}
	})
}

// freeVaultName is a path in dir for a copy of the vault with id: name, or
// "name (2)" and so on when a file there is not a copy of the same vault.
func freeVaultName(dir, name, id string) (string, error) {
	ext := filepath.Ext(name)
	stem := strings.TrimSuffix(name, ext)
	for i := 1; i < 100; i++ {
		p := filepath.Join(dir, name)
		if i > 1 {
			p = filepath.Join(dir, stem+" ("+strconv.Itoa(i)+")"+ext)
		}
		if _, err := os.Lstat(p); errors.Is(err, fs.ErrNotExist) {
			return p, nil
		}
		if info, err := vault.Peek(p); err == nil && info.ID == id {
			return p, nil
		}
	}
	return "", fmt.Errorf("%w: too many files named %s in %s", vault.ErrExists, name, dir)
}

// pickFolderForVault asks for a folder for the open vault; done runs only
// if that vault is still the open one when the folder is chosen (not
// locked, nor another opened, meanwhile).
func (u *UI) pickFolderForVault(done func(v *vault.Vault, dir string)) {
	v := u.v
	if v == nil {
		return
	}
	u.pickFolder(func(dir string) {
		if u.v == v {
			done(v, dir)
		}
	})
}

// pickFolder asks the user for a folder and calls done with its path; not
// called when the user cancels. Tests replace it (UI.folderPicker).
func (u *UI) pickFolder(done func(string)) {
	if u.folderPicker != nil {
		u.folderPicker(done)
		return
	}
	d := dialog.NewFolderOpen(func(l fyne.ListableURI, err error) {
		if err != nil {
			u.showError(err)
			return
		}
		if l != nil {
			done(l.Path())
		}
	}, u.win)
	d.Resize(fyne.NewSize(700, 500))
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
	case errors.Is(err, vault.ErrIsFolder):
		return "This is a folder, not a vault file. Open the vault file inside it, or another vault."
	case errors.Is(err, errLockFile):
		return "That is the lock file Keyshelf keeps beside a vault, not a vault. Pick the vault file next to it."
	case errors.Is(err, vault.ErrNotVault):
		return "This file is not a Keyshelf vault."
	case errors.Is(err, vault.ErrTampered), errors.Is(err, vault.ErrCorrupt):
		msg := "The vault file is damaged or was changed by something else, so it could not be read."
		if bak, ok := existingBackup(u.cfg.VaultPath); ok {
			return msg + " The previous version is kept as " + bak + ": Open the backup to use it."
		}
		return msg + " No backup of it was found."
	case errors.Is(err, vault.ErrReadOnly):
		return readOnlyMessage(err, u.v)
	case errors.Is(err, vault.ErrDuplicateName):
		return "Another key already has that name."
	case errors.Is(err, store.ErrDiskFull):
		return "The disk is full."
	}
	return capitalize(err.Error())
}

// existingBackup is the path of the vault's backup (.bak) when there is
// one there.
func existingBackup(path string) (string, bool) {
	bak := vault.BackupPath(path)
	fi, err := os.Stat(bak)
	return bak, err == nil && fi.Mode().IsRegular()
}

// damaged reports whether err says a vault file could not be read because
// it is damaged.
func damaged(err error) bool {
	return errors.Is(err, vault.ErrTampered) || errors.Is(err, vault.ErrCorrupt)
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
