package gui

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"keyshelf/vault"
)

// Choices offered in the settings dialog; a value set some other way (an
// edited preferences file) is offered too.
var (
	clearChoices    = []int{10, 20, 30, 45, 60, 90, 120} // seconds
	autoLockChoices = []int{0, 1, 2, 5, 10, 15, 30, 60}  // minutes; 0 is never
	themeChoices    = []string{themeSystem, themeLight, themeDark}
	themeWords      = []string{"System", "Light", "Dark"}
)

// settingsView is the open settings dialog's controls.
type settingsView struct {
	dlg                *dialog.CustomDialog
	clear              *widget.Select
	clearSecs          []int
	autoLock           *widget.Select
	autoLockMins       []int
	lockOnScreen       *widget.Check
	startHidden        *widget.Check
	login              *widget.Check // start at login (login.go)
	loginNote          *widget.Label
	theme              *widget.RadioGroup
	remember           *widget.Check
	rememberNote       *widget.Label
	path               *widget.Label
	open, create, move *widget.Button
	rotation           *widget.Select // the vault's default interval; only while unlocked
	hotkey             *widget.Select // the global shortcut
	hotkeyNote         *widget.Label  // what the shortcut does now
}

// showSettings opens the settings dialog (File menu, Ctrl/Cmd+,). Every
// change is stored in the preferences and applied at once; the dialog has
// only a Close button. Lock closes it, like every dialog.
func (u *UI) showSettings() {
	if u.settings != nil {
		return
	}
	p := u.app.Preferences()
	sv := &settingsView{}

	sv.clearSecs = withValue(clearChoices, int(u.prefs.ClearAfter().Seconds()))
	sv.clear = widget.NewSelect(mapLabels(sv.clearSecs, secondsWords), nil)
	sv.clear.SetSelectedIndex(slices.Index(sv.clearSecs, int(u.prefs.ClearAfter().Seconds())))
	sv.clear.OnChanged = func(string) {
		if i := sv.clear.SelectedIndex(); i >= 0 {
			p.SetInt(prefClearSeconds, sv.clearSecs[i])
		}
	}

	mins := int(u.prefs.AutoLock().Minutes())
	sv.autoLockMins = withValue(autoLockChoices, mins)
	sv.autoLock = widget.NewSelect(mapLabels(sv.autoLockMins, minutesWords), nil)
	sv.autoLock.SetSelectedIndex(slices.Index(sv.autoLockMins, mins))
	sv.autoLock.OnChanged = func(string) {
		if i := sv.autoLock.SelectedIndex(); i >= 0 {
			p.SetInt(prefAutoLockMins, sv.autoLockMins[i])
			if u.v != nil {
				u.armIdleLock() // the new time counts from now
			}
		}
	}

	sv.lockOnScreen = widget.NewCheck("Lock when the screen locks", nil)
	screenNote := note("Also when the computer goes to sleep or the session ends.")
	if u.cfg.Session == nil {
		sv.lockOnScreen.Disable()
		screenNote.SetText("This system does not tell Keyshelf when its screen locks.")
	} else {
		sv.lockOnScreen.SetChecked(u.prefs.LockOnScreenLock())
		sv.lockOnScreen.OnChanged = func(on bool) { p.SetBool(prefLockOnScreen, on) }
	}

	sv.startHidden = widget.NewCheck("Start hidden in the tray", nil)
	sv.startHidden.SetChecked(u.prefs.StartHidden())
	sv.startHidden.OnChanged = func(on bool) { p.SetBool(prefStartHidden, on) }
	hiddenNote := note("Closing the window keeps Keyshelf in the tray.")
	if u.tray == nil {
		sv.startHidden.Disable()
		hiddenNote.SetText("This desktop shows no tray icons, so closing the window quits Keyshelf.")
	}

	sv.theme = widget.NewRadioGroup(themeWords, nil)
	sv.theme.Horizontal = true
	sv.theme.Required = true
	sv.theme.SetSelected(themeWords[slices.Index(themeChoices, u.prefs.Theme())])
	sv.theme.OnChanged = func(word string) {
		if i := slices.Index(themeWords, word); i >= 0 {
			p.SetString(prefTheme, themeChoices[i])
			u.applyTheme(false)
		}
	}

	sv.remember = widget.NewCheck("Remember on this device", nil)
	sv.rememberNote = note("")
	sv.remember.OnChanged = func(on bool) { u.setRemembered(sv, on) }
	u.settings = sv
	sv.refreshRemember(u)

	sv.path = widget.NewLabel(u.cfg.VaultPath)
	sv.path.Wrapping = fyne.TextWrapBreak
	sv.open = widget.NewButton("Open another…", func() {
		sv.dlg.Hide()
		u.chooseVault()
	})
	sv.create = widget.NewButton("New vault in folder…", u.pickVaultFolder)
	sv.move = widget.NewButton("Move to folder…", u.chooseMoveFolder)
	if u.v == nil || u.v.ReadOnly() {
		sv.move.Disable() // unlock first: the vault is written anew there
	}
	syncNote := note("To use the same keys on several computers, move the vault into a folder that Syncthing, Dropbox, OneDrive, iCloud Drive or Nextcloud keeps in sync, and on each other computer open it there. Changes from the others show up within seconds.")

	form := widget.NewForm(
		widget.NewFormItem("Clear the clipboard after", sv.clear),
		widget.NewFormItem("Lock when idle for", sv.autoLock),
		widget.NewFormItem("Screen lock", container.NewVBox(sv.lockOnScreen, screenNote)),
		widget.NewFormItem("Rotate keys every", u.rotationSetting(sv)),
		widget.NewFormItem("Theme", sv.theme),
		widget.NewFormItem("Tray", container.NewVBox(sv.startHidden, hiddenNote)),
		widget.NewFormItem("Start at login", u.loginSetting(sv)),
		widget.NewFormItem("Global shortcut", u.hotkeySetting(sv)),
		widget.NewFormItem("Device", container.NewVBox(sv.remember, sv.rememberNote)),
		widget.NewFormItem("Vault", container.NewVBox(sv.path, container.NewHBox(sv.open, sv.create, sv.move), syncNote)),
	)
	u.escapeAfterChoice(form)
	sv.dlg = dialog.NewCustom("Settings", "Close", settingsScroll(form, u.win.Canvas().Size()), u.win)
	sv.dlg.Resize(fyne.NewSize(560, 0))
	// As u.show does, so that Escape closes it, but also forgetting sv.
	u.dlg = sv.dlg
	sv.dlg.SetOnClosed(func() {
		if u.dlg == sv.dlg {
			u.dlg = nil
		}
		if u.settings == sv {
			u.settings = nil
		}
	})
	sv.dlg.Show()
}

// refreshRemember shows whether this device is remembered for the open vault
// and whether that can be changed now. It sets the check without calling
// its OnChanged.
func (sv *settingsView) refreshRemember(u *UI) {
	switch {
	case u.v == nil:
		sv.remember.Checked = false
		sv.remember.Disable()
		sv.rememberNote.SetText("Unlock the vault to change this.")
	case u.cfg.Options.Keychain == nil:
		sv.remember.Checked = false
		sv.remember.Disable()
		sv.rememberNote.SetText("This computer has no system keychain.")
	case u.v.ReadOnly():
		sv.remember.Checked = slices.Contains(u.v.DeviceLabels(), vault.ThisDeviceLabel())
		sv.remember.Disable()
		sv.rememberNote.SetText("Read-only: " + readOnlyReason(u.v) + ".")
	default:
		sv.remember.Checked = slices.Contains(u.v.DeviceLabels(), vault.ThisDeviceLabel())
		sv.remember.Enable()
		sv.rememberNote.SetText("Unlock without typing the passphrase. The system keychain keeps a device key, never the passphrase.")
	}
	sv.remember.Refresh()
}

// setRemembered remembers or forgets this device for the open vault. The
// keychain may block on a prompt, so the work runs off the UI goroutine.
func (u *UI) setRemembered(sv *settingsView, on bool) {
	v := u.v
	if v == nil {
		sv.refreshRemember(u)
		return
	}
	sv.remember.Disable()
	if on {
		sv.rememberNote.SetText("Remembering this device…")
	} else {
		sv.rememberNote.SetText("Forgetting this device…")
	}
	if !on {
		u.forgetDevice(sv, v, "")
		return
	}
	u.cfg.Go(func() {
		err := v.Remember("")
		if err != nil {
			err = fmt.Errorf("this device could not be remembered: %w", err)
		}
		fyne.Do(func() {
			if u.settings == sv {
				sv.refreshRemember(u)
			}
			if err != nil {
				u.showError(err)
			}
		})
	})
}

// forgetDevice forgets this device for v, which renews the vault's data key
// (vault.Forget). A vault unlocked with the device key needs the passphrase
// for that: the user is asked for it, and passphrase is what they typed.
func (u *UI) forgetDevice(sv *settingsView, v *vault.Vault, passphrase string) {
	u.cfg.Go(func() {
		var err error
		if passphrase != "" {
			err = v.ConfirmPassphrase(passphrase)
		}
		var rk vault.Rekeyed
		if err == nil {
			rk, err = v.Forget("")
		}
		if passphrase != "" {
			freeOSMemory() // the Argon2id run's working memory
		}
		fyne.Do(func() {
			if u.v != v {
				return // locked meanwhile
			}
			if u.settings == sv {
				sv.refreshRemember(u)
			}
			switch {
			case errors.Is(err, vault.ErrNoDeviceKey):
				// Nothing to forget.
			case errors.Is(err, vault.ErrPassphraseNeeded):
				u.askPassphraseToForget(sv, v, "")
			case errors.Is(err, vault.ErrWrongPassphrase):
				u.askPassphraseToForget(sv, v, "Wrong passphrase. Try again.")
			case err != nil:
				u.showError(fmt.Errorf("this device could not be forgotten: %w", err))
			default:
				u.forgotten(rk)
			}
		})
	})
}

// askPassphraseToForget asks for the passphrase that forgetting this device
// needs, with problem (a wrong passphrase) above the field.
func (u *UI) askPassphraseToForget(sv *settingsView, v *vault.Vault, problem string) {
	pass := widget.NewPasswordEntry()
	pass.SetPlaceHolder("Passphrase")
	items := []*widget.FormItem{widget.NewFormItem("", note(
		"Forgetting this device gives the vault a new data key, so that this computer's keychain opens nothing saved from now on. Type the passphrase to do it."))}
	if problem != "" {
		items = append(items, widget.NewFormItem("", widget.NewLabelWithStyle(problem, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})))
	}
	items = append(items, widget.NewFormItem("Passphrase", pass))
	d := dialog.NewForm("Forget this device", "Forget", "Cancel", items, func(ok bool) {
		typed := pass.Text
		pass.SetText("")
		if !ok || typed == "" || u.v != v {
			if u.settings == sv {
				sv.refreshRemember(u)
			}
			return
		}
		u.forgetDevice(sv, v, typed)
	}, u.win)
	pass.OnSubmitted = func(string) { d.Submit() }
	d.Resize(fyne.NewSize(460, d.MinSize().Height))
	u.show(d)
	u.win.Canvas().Focus(pass)
}

// forgotten tells the user what forgetting this device did.
func (u *UI) forgotten(rk vault.Rekeyed) {
	msg := "This device no longer unlocks the vault without the passphrase, and the vault has a new data key."
	if len(rk.Dropped) > 0 {
		msg += "\n\nOther computers that were remembered (" + strings.Join(rk.Dropped, ", ") +
			") now need the passphrase too: turn on \"Remember on this device\" there again."
	}
	if rk.Problems != nil {
		msg += "\n\n" + u.userMessage(rk.Problems)
	}
	u.show(dialog.NewInformation("Device forgotten", msg, u.win))
}

// pickVaultFolder lets the user pick a folder for a new vault. It is a
// folder, not a save dialog, because Fyne's save dialog empties an existing
// file it is pointed at before Keyshelf could refuse it.
func (u *UI) pickVaultFolder() {
	dialog.NewFolderOpen(func(dir fyne.ListableURI, err error) {
		if err != nil {
			u.showError(err)
			return
		}
		if dir == nil {
			return
		}
		u.openVaultAt(filepath.Join(dir.Path(), "vault.keyshelf"))
	}, u.win).Show()
}

// openVaultAt closes the settings and switches to the vault at path: its
// unlock screen, or the welcome screen that creates it.
func (u *UI) openVaultAt(path string) {
	if u.settings != nil {
		u.settings.dlg.Hide()
	}
	if path == u.cfg.VaultPath {
		return
	}
	u.switchVault(path)
}

func note(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.Wrapping = fyne.TextWrapWord
	l.Importance = widget.LowImportance
	return l
}

// withValue returns choices with v added in order if it is not one of them.
func withValue(choices []int, v int) []int {
	if slices.Contains(choices, v) {
		return choices
	}
	out := append(slices.Clone(choices), v)
	slices.Sort(out)
	return out
}

func mapLabels(ns []int, word func(int) string) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = word(n)
	}
	return out
}

func secondsWords(n int) string {
	switch {
	case n%60 == 0 && n >= 120:
		return strconv.Itoa(n/60) + " minutes"
	case n == 60:
		return "1 minute"
	}
	return strconv.Itoa(n) + " seconds"
}

func minutesWords(n int) string {
	switch {
	case n <= 0:
		return "Never"
	case n == 60:
		return "1 hour"
	case n%60 == 0:
		return strconv.Itoa(n/60) + " hours"
	case n == 1:
		return "1 minute"
	}
	return strconv.Itoa(n) + " minutes"
}

var rotationDefaultChoices = []int{30, 60, 90, 180, 365} // days

// rotationSetting is the vault's default rotation interval (kept in the
// vault, not the preferences: the command line judges by it too). It can
// be changed only while the vault is open.
func (u *UI) rotationSetting(sv *settingsView) fyne.CanvasObject {
	if u.v == nil {
		return note("Unlock the vault to change how often its keys should be rotated.")
	}
	days := u.v.RotationDays()
	choices := withValue(rotationDefaultChoices, days)
	sv.rotation = widget.NewSelect(mapLabels(choices, func(n int) string { return plural(n, "day") }), nil)
	sv.rotation.SetSelectedIndex(slices.Index(choices, days))
	sv.rotation.OnChanged = func(string) {
		i := sv.rotation.SelectedIndex()
		if i < 0 || u.v == nil || choices[i] == u.v.RotationDays() {
			return
		}
		u.setRotationDays(sv, choices, choices[i])
	}
	if u.v.ReadOnly() {
		sv.rotation.Disable()
	}
	return container.NewVBox(sv.rotation, note("For keys without their own interval. Keys due within 14 days are flagged."))
}

// setRotationDays keeps days as the vault's default interval. A failed save
// puts the choice back to what the vault holds and offers to try again, as
// every other change does.
func (u *UI) setRotationDays(sv *settingsView, choices []int, days int) {
	v := u.v
	if v == nil {
		return
	}
	err := v.SetRotationDays(days)
	if u.settings == sv {
		// What the vault holds now; OnChanged sees no change in it.
		sv.rotation.SetSelectedIndex(slices.Index(choices, v.RotationDays()))
	}
	if err != nil {
		if errors.Is(err, vault.ErrSave) {
			u.saveFailed(err, func() {
				if u.v == v {
					u.setRotationDays(sv, choices, days)
				}
			})
		} else {
			u.showError(err)
		}
		return
	}
	if u.main != nil {
		u.main.reload(u.main.selectedID())
	}
}

// settingsChrome is the height a dialog adds around its content: the title,
// the Close button and the paddings between them and the window's edge.
const settingsChrome = 150

// settingsScroll puts the settings form in a vertical scroller as tall as
// the form, or as the window allows: with every row in it the form is taller
// than a 640-pixel window, and the Close button must stay in sight.
func settingsScroll(form fyne.CanvasObject, win fyne.Size) fyne.CanvasObject {
	s := container.NewVScroll(form)
	h := form.MinSize().Height
	if room := win.Height - settingsChrome; room > 100 && h > room {
		h = room
	}
	s.SetMinSize(fyne.NewSize(form.MinSize().Width, h))
	return s
}
