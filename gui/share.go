package gui

import (
	"errors"
	"os"
	"path/filepath"
	"strings"

	agecrypt "filippo.io/age"
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"keyshelf/vault"
	"keyshelf/vault/exportfile"
	"keyshelf/vault/provider"
	"keyshelf/vault/share"
)

// showShare opens "Share…" for e: the teammate's public key, or a
// one-time passphrase, then where to save the age file.
func (m *mainView) showShare(e vault.Entry) {
	u := m.u
	if u.modal || !u.touch() {
		return
	}
	to := widget.NewMultiLineEntry()
	to.SetPlaceHolder("Their public key: age1…, ssh-ed25519 AAAA… or ssh-rsa AAAA… (from https://github.com/USER.keys)")
	to.SetMinRowsVisible(2)
	to.Wrapping = fyne.TextWrapBreak
	usePass := widget.NewCheck("Use a one-time passphrase instead (you tell it to them by another way)", nil)
	problem := widget.NewLabel("")
	problem.Importance = widget.DangerImportance
	problem.Wrapping = fyne.TextWrapWord
	intro := widget.NewLabel("“" + e.Name + "” is encrypted with age, with its name, provider and variable, so that only they can open it: " +
		"with Keyshelf (File ▸ Receive a shared key…) or with the age tool.")
	intro.Wrapping = fyne.TextWrapWord
	var d *dialog.CustomDialog
	usePass.OnChanged = func(on bool) {
		if on {
			to.Disable()
		} else {
			to.Enable()
		}
	}
	do := func() {
		var rec agecrypt.Recipient
		var pass string
		var err error
		if usePass.Checked {
			pass = share.OneTimePassphrase()
			rec, err = share.PassphraseRecipient(pass)
		} else {
			rec, err = share.ParseRecipient(to.Text)
		}
		if err != nil {
			setMessage(problem, capitalize(err.Error())+".")
			return
		}
		cur, ok := u.v.Get(e.ID)
		if !ok {
			d.Hide()
			return
		}
		sealed, err := share.Seal(share.Share{Name: cur.Name, Provider: cur.Provider, EnvName: cur.Variable(), Secret: cur.Secret}, rec)
		if err != nil {
			setMessage(problem, capitalize(err.Error())+".")
			return
		}
		d.Hide()
		u.pickSaveFile(shareFileName(cur.Name), func(path string) {
			if err := exportfile.Write(path, sealed); err != nil {
				u.showError(err)
				return
			}
			u.record(cur.ID, vault.ActionExported, vault.SourceWindow, "shared (age) to "+filepath.Base(path))
			if pass == "" {
				m.setStatus("Wrote " + filepath.Base(path) + ": only they can open it.")
				return
			}
			u.showSharePassphrase(filepath.Base(path), pass)
		})
	}
	ok := widget.NewButtonWithIcon("Share…", theme.MailSendIcon(), do)
	ok.Importance = widget.HighImportance
	cancel := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() { d.Hide() })
	d = dialog.NewCustomWithoutButtons("Share “"+e.Name+"”", container.NewVBox(intro, to, usePass, problem), u.win)
	d.SetButtons([]fyne.CanvasObject{cancel, ok})
	d.Resize(fyne.NewSize(620, d.MinSize().Height))
	u.modal, u.sharing = true, d
	u.show(d, func() {
		u.modal, u.sharing = false, nil
		m.focus()
	})
	u.win.Canvas().Focus(to)
}

// shareFileName is the file name offered for a share of the key named name.
func shareFileName(name string) string {
	b := strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == ':' || r < ' ' {
			return '-'
		}
		return r
	}, name)
	return b + ".age"
}

// showSharePassphrase shows the one-time passphrase of a share, with Copy.
func (u *UI) showSharePassphrase(file, pass string) {
	l := widget.NewLabelWithStyle(pass, fyne.TextAlignCenter, fyne.TextStyle{Monospace: true})
	msg := widget.NewLabel("Tell them this passphrase by another way than the file (on a call, in person): " + file + " opens with it.")
	msg.Wrapping = fyne.TextWrapWord
	var d *dialog.CustomDialog
	cp := widget.NewButtonWithIcon("Copy", theme.ContentCopyIcon(), func() {
		u.clip.Copy("the share's passphrase", pass, u.prefs.ClearAfter())
	})
	done := widget.NewButtonWithIcon("Done", theme.ConfirmIcon(), func() { d.Hide() })
	done.Importance = widget.HighImportance
	d = dialog.NewCustomWithoutButtons("The share's passphrase", container.NewVBox(msg, l), u.win)
	d.SetButtons([]fyne.CanvasObject{cp, done})
	d.Resize(fyne.NewSize(520, d.MinSize().Height))
	u.show(d)
}

// chooseReceive asks for a share file and adds its key (File ▸ Receive).
func (u *UI) chooseReceive() {
	if u.main == nil || u.modal {
		return
	}
	u.pickOpenFile(u.receiveFile, nil)
}

// receiveFile opens the share at path: with a passphrase it asks for one,
// else with the user's SSH keys (~/.ssh/id_ed25519, id_rsa) or an age
// identity the user picks.
func (u *UI) receiveFile(path string) {
	data, err := readFileLimited(path, share.MaxSize)
	if err != nil {
		u.showError(err)
		return
	}
	if share.ForPassphrase(data) {
		u.askSharePassphrase(path, data)
		return
	}
	ids, err := share.LoadIdentities(share.DefaultIdentities(), nil)
	if err != nil || len(ids) == 0 {
		u.pickIdentity(path, data)
		return
	}
	u.openShare(path, data, ids, true)
}

// pickIdentity asks for the private key (an age identity or an SSH key)
// that opens the share.
func (u *UI) pickIdentity(path string, data []byte) {
	pick := func(key string) {
		ids, err := share.LoadIdentities([]string{key}, nil)
		if err != nil {
			u.show(u.errorDialog("That key cannot open shares", "Choose an age identity file (age-keygen's) or an SSH private key without a passphrase. "+
				"For a key protected by a passphrase, use keyshelf receive on the command line.", technicalReason(err), widget.NewButton("OK", func() {})))
			return
		}
		u.openShare(path, data, ids, false)
	}
	if u.identityPicker != nil {
		u.identityPicker(pick)
		return
	}
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		p := r.URI().Path()
		r.Close()
		pick(p)
	}, u.win)
	d.SetConfirmText("Use this key")
	if home, err := os.UserHomeDir(); err == nil {
		if l, err := storage.ListerForURI(storage.NewFileURI(filepath.Join(home, ".ssh"))); err == nil {
			d.SetLocation(l)
		}
	}
	d.Resize(fyne.NewSize(700, 500))
	u.show(d)
}

// askSharePassphrase asks for the passphrase of a passphrase share.
func (u *UI) askSharePassphrase(path string, data []byte) {
	pass := widget.NewPasswordEntry()
	pass.SetPlaceHolder("The passphrase they told you")
	problem := widget.NewLabel("")
	problem.Importance = widget.DangerImportance
	var d *dialog.CustomDialog
	open := func() {
		id, err := share.PassphraseIdentity(pass.Text)
		if err != nil {
			return
		}
		s, err := share.Open(data, id)
		if errors.Is(err, share.ErrWrongPassphrase) {
			setMessage(problem, "Wrong passphrase. Try again.")
			pass.SetText("")
			return
		}
		d.Hide()
		u.addShared(path, s, err)
	}
	pass.OnSubmitted = func(string) { open() }
	ok := widget.NewButtonWithIcon("Open", theme.ConfirmIcon(), open)
	ok.Importance = widget.HighImportance
	d = dialog.NewCustomWithoutButtons("Passphrase of "+filepath.Base(path), container.NewVBox(pass, problem), u.win)
	d.SetButtons([]fyne.CanvasObject{widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() { d.Hide() }), ok})
	d.Resize(fyne.NewSize(460, d.MinSize().Height))
	u.show(d)
	u.win.Canvas().Focus(pass)
}

// openShare opens the share with ids; when the default keys do not open
// it, the user may pick another.
func (u *UI) openShare(path string, data []byte, ids []agecrypt.Identity, defaults bool) {
	s, err := share.Open(data, ids...)
	if errors.Is(err, share.ErrNotForYou) && defaults {
		u.pickIdentity(path, data)
		return
	}
	u.addShared(path, s, err)
}

// addShared adds a received key to the vault, or says why not.
func (u *UI) addShared(path string, s share.Share, err error) {
	m := u.main
	if m == nil {
		return
	}
	file := filepath.Base(path)
	if err != nil {
		u.show(u.errorDialog("Could not open "+file, capitalize(err.Error())+".", "", widget.NewButton("OK", func() {})))
		return
	}
	d, already := s.Draft(u.v.List(), file)
	if already != "" {
		m.setStatus("The vault already has the key of " + file + ", as “" + already + "”.")
		return
	}
	res, err := u.v.Add(d)
	if err != nil {
		u.saveFailed(err, func() { u.addShared(path, s, nil) })
		return
	}
	m.reload(res.Entry.ID)
	m.setStatus("Added “" + res.Entry.Name + "” (" + provider.Name(res.Entry.Provider) + ") from " + file + ".")
}
