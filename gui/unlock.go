package gui

import (
	"errors"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"keyshelf/vault"
)

// unlockView is the screen that asks for the passphrase.
type unlockView struct {
	pass     *widget.Entry
	button   *widget.Button
	device   *widget.Button
	errLabel *widget.Label
	backup   *widget.Button    // "Open the backup", for a damaged vault that has one
	content  fyne.CanvasObject // the whole screen, laid out again as messages come and go
	note     *widget.Label     // why the vault locked, when it locked itself
}

func (u *UI) showUnlock() {
	u.win.SetTitle("Keyshelf")
	uv := &unlockView{
		pass:     widget.NewPasswordEntry(),
		errLabel: widget.NewLabel(""),
		note:     small(""),
	}
	uv.note.Hide()
	uv.pass.SetPlaceHolder("Passphrase")
	uv.errLabel.Importance = widget.DangerImportance
	uv.errLabel.Wrapping = fyne.TextWrapWord
	uv.errLabel.Hide()
	uv.backup = widget.NewButtonWithIcon("Open the backup", theme.HistoryIcon(), func() {
		if bak, ok := existingBackup(u.cfg.VaultPath); ok {
			u.openBackup(bak)
		}
	})
	uv.backup.Hide()
	uv.button = widget.NewButtonWithIcon("Unlock", theme.LoginIcon(), func() { u.unlockWithPassphrase(uv) })
	uv.button.Importance = widget.HighImportance
	uv.pass.OnSubmitted = func(string) { u.unlockWithPassphrase(uv) }

	rows := []fyne.CanvasObject{
		heading("Unlock Keyshelf"),
		small(filepath.Base(u.cfg.VaultPath)),
		uv.note, uv.pass, uv.errLabel, uv.backup, uv.button,
	}
	if info, err := vault.Peek(u.cfg.VaultPath); err == nil && len(info.KeychainLabels) > 0 && u.cfg.Options.Keychain != nil {
		uv.device = widget.NewButtonWithIcon("Unlock with this device", theme.ComputerIcon(), func() { u.unlockWithDevice(uv) })
		rows = append(rows, uv.device)
	}
	rows = append(rows, lowButton("Open another vault…", theme.FolderOpenIcon(), u.chooseVault))
	uv.content = centered(container.NewVBox(rows...))
	u.win.SetContent(uv.content)
	u.win.Canvas().Focus(uv.pass)
	u.unlock = uv
	u.welcome = nil
	u.setMenus()
	if err := vault.CheckPath(u.cfg.VaultPath); err != nil {
		// A folder: nothing to unlock; say so, and leave Open another vault.
		uv.fail(u.userMessage(err))
		uv.pass.Disable()
		uv.button.Disable()
	}
}

// notifyLocked says on the unlock screen why the vault locked itself.
func (u *UI) notifyLocked(msg string) {
	if u.unlock != nil {
		u.unlock.note.SetText(msg)
		u.unlock.note.Show()
	}
}

func (uv *unlockView) busy(on bool) {
	if on {
		uv.button.SetText("Unlocking…")
		uv.button.Disable()
		uv.pass.Disable()
		if uv.device != nil {
			uv.device.Disable()
		}
		return
	}
	uv.button.SetText("Unlock")
	uv.button.Enable()
	uv.pass.Enable()
	if uv.device != nil {
		uv.device.Enable()
	}
}

func (uv *unlockView) fail(msg string) {
	uv.busy(false)
	uv.errLabel.SetText(msg)
	uv.errLabel.Show()
	uv.backup.Hide()
	uv.content.Refresh()
}

// failDamaged says the vault is damaged and offers its backup, if any.
func (u *UI) failDamaged(uv *unlockView, err error) {
	uv.fail(u.userMessage(err))
	if _, ok := existingBackup(u.cfg.VaultPath); ok {
		uv.backup.Show()
		uv.content.Refresh()
	}
}

// openBackup shows the unlock screen for the backup of a damaged vault.
// Unlike Open another vault, it is not remembered as the vault to open
// next time: the vault's own path stays the one Keyshelf starts with.
func (u *UI) openBackup(bak string) {
	u.cfg.VaultPath = bak
	u.showStart()
	u.refreshTray()
}

func (u *UI) unlockWithPassphrase(uv *unlockView) {
	pass := uv.pass.Text
	if pass == "" {
		uv.fail("Type your passphrase")
		return
	}
	uv.busy(true)
	path := u.cfg.VaultPath
	u.cfg.Go(func() {
		v, err := vault.Open(path, pass, u.cfg.Options)
		fyne.Do(func() {
			if u.staleUnlock(uv, path, v) {
				return
			}
			if err != nil {
				if errors.Is(err, vault.ErrWrongPassphrase) {
					uv.fail("Wrong passphrase")
					uv.pass.SetText("")
					u.win.Canvas().Focus(uv.pass)
					return
				}
				if damaged(err) {
					u.failDamaged(uv, err)
					return
				}
				uv.fail(u.userMessage(err))
				return
			}
			u.unlocked(v)
		})
	})
}

func (u *UI) unlockWithDevice(uv *unlockView) {
	uv.busy(true)
	path := u.cfg.VaultPath
	u.cfg.Go(func() {
		v, err := vault.OpenWithDevice(path, u.cfg.Options)
		fyne.Do(func() {
			if u.staleUnlock(uv, path, v) {
				return
			}
			if err != nil {
				if errors.Is(err, vault.ErrNoDeviceKey) {
					uv.fail("This device no longer holds a key for this vault. Use your passphrase.")
				} else if damaged(err) {
					u.failDamaged(uv, err)
				} else {
					uv.fail(u.userMessage(err))
				}
				u.win.Canvas().Focus(uv.pass)
				return
			}
			u.unlocked(v)
		})
	})
}

// staleUnlock reports whether an unlock that has just finished is no longer
// wanted: the user opened another vault meanwhile. It closes what was opened.
func (u *UI) staleUnlock(uv *unlockView, path string, v *vault.Vault) bool {
	if u.unlock == uv && u.cfg.VaultPath == path {
		return false
	}
	if v != nil {
		_ = v.Close() // nothing was changed; the vault only goes away
	}
	return true
}

func heading(s string) *widget.Label {
	l := widget.NewLabelWithStyle(s, fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameSubHeadingText
	return l
}

func small(s string) *widget.Label {
	l := widget.NewLabelWithStyle(s, fyne.TextAlignCenter, fyne.TextStyle{})
	l.SizeName = theme.SizeNameCaptionText
	l.Importance = widget.LowImportance
	return l
}

// centered places a form of fixed width in the middle of the window; it
// grows in height as its content does (a message that wraps).
func centered(o fyne.CanvasObject) fyne.CanvasObject {
	return container.NewCenter(container.New(fixedWidth(360), o))
}

// fixedWidth lays its objects out at this width and their own height.
type fixedWidth float32

func (w fixedWidth) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(fyne.NewSize(float32(w), size.Height))
	}
}

func (w fixedWidth) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var h float32
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(float32(w), h)
}

// lowButton is a secondary action, drawn without a button background.
func lowButton(label string, icon fyne.Resource, tapped func()) *widget.Button {
	b := widget.NewButtonWithIcon(label, icon, tapped)
	b.Importance = widget.LowImportance
	return b
}
