// Package gui is Keyshelf's Fyne front end. It takes the fyne.App from main so
// that every screen can be tested on Fyne's test driver without a display.
package gui

import (
	"errors"
	"path/filepath"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"

	"keyshelf/assets"
	"keyshelf/vault"
)

// Config is what the window needs from main: where the vault is and the
// outside world (keychain, clock, background work), injectable for tests.
type Config struct {
	VaultPath string
	Options   vault.Options // keychain, KDF parameters, clock for entries
	Clock     Clock         // nil: the real clock
	// Go runs slow work (the KDF, keychain calls) off the UI goroutine; nil
	// means a new goroutine. Work hands its results back with fyne.Do.
	Go func(func())
}

// UI is the application's window and state.
type UI struct {
	app   fyne.App
	win   fyne.Window
	cfg   Config
	prefs settings

	v    *vault.Vault
	clip *clipGuard

	// The screen on show; the others are nil.
	welcome *welcomeView
	unlock  *unlockView
	main    *mainView
}

// Icon is the application icon as a Fyne resource.
var Icon = fyne.NewStaticResource("icon.png", assets.Icon)

// New builds the user interface on app: the welcome screen when there is no
// vault yet, otherwise the unlock screen.
func New(app fyne.App, cfg Config) *UI {
	if cfg.Clock == nil {
		cfg.Clock = realClock{}
	}
	if cfg.Go == nil {
		cfg.Go = func(f func()) { go f() }
	}
	u := &UI{app: app, cfg: cfg, win: app.NewWindow("Keyshelf"), prefs: settings{app.Preferences()}}
	app.SetIcon(Icon)
	u.win.SetIcon(Icon)
	u.win.Resize(fyne.NewSize(760, 520))
	u.clip = newClipGuard(app.Clipboard(), cfg.Clock, u.clipboardStatus)
	u.win.SetCloseIntercept(u.quit)
	u.showStart()
	return u
}

// Window is the main window.
func (u *UI) Window() fyne.Window { return u.win }

// ShowAndRun shows the window and runs the app until it quits.
func (u *UI) ShowAndRun() { u.win.ShowAndRun() }

// showStart shows the welcome screen or the unlock screen.
func (u *UI) showStart() {
	if _, err := vault.Peek(u.cfg.VaultPath); errors.Is(err, vault.ErrNoVault) {
		u.showWelcome()
		return
	}
	u.showUnlock()
}

// unlocked switches to the main view with v open.
func (u *UI) unlocked(v *vault.Vault) {
	u.v = v
	u.welcome, u.unlock = nil, nil
	u.main = newMainView(u)
	u.win.SetContent(u.main.content)
	u.main.focus()
	if v.ReadOnly() {
		u.main.setStatus("Read-only: another Keyshelf has this vault open")
	}
}

// Lock clears a copied key from the clipboard (if it is still there), drops
// the decrypted vault and shows the unlock screen.
func (u *UI) Lock() {
	u.clip.Clear()
	if u.v != nil {
		u.v.Close()
		u.v = nil
	}
	u.main = nil
	u.win.Canvas().RemoveShortcut(lockShortcut)
	u.win.Canvas().RemoveShortcut(findShortcut)
	u.showUnlock()
}

func (u *UI) quit() {
	u.clip.Clear()
	if u.v != nil {
		u.v.Close()
	}
	u.app.Quit()
}

func (u *UI) clipboardStatus(label string, left time.Duration) {
	if u.main == nil {
		return
	}
	if left <= 0 {
		u.main.setStatus("Clipboard cleared")
		return
	}
	secs := int((left + time.Second - 1) / time.Second)
	u.main.setStatus("Copied \"" + label + "\" — clears in " + strconv.Itoa(secs) + " s")
}

// showError shows err in a dialog, in words a person can act on.
func (u *UI) showError(err error) {
	dialog.NewError(errors.New(u.userMessage(err)), u.win).Show()
}

// userMessage turns an error into plain words for the window.
func (u *UI) userMessage(err error) string {
	switch {
	case errors.Is(err, vault.ErrWrongPassphrase):
		return "Wrong passphrase"
	case errors.Is(err, vault.ErrNewerVersion):
		return "This vault was written by a newer version of Keyshelf. Update Keyshelf to open it."
	case errors.Is(err, vault.ErrNotVault):
		return "This file is not a Keyshelf vault."
	case errors.Is(err, vault.ErrTampered), errors.Is(err, vault.ErrCorrupt):
		return "The vault file is damaged or was changed by something else and could not be read. " +
			"The previous version is kept beside it as " + filepath.Base(u.cfg.VaultPath) + ".bak"
	}
	return err.Error()
}

// switchVault locks the open vault, if any, and shows the start screen for
// the vault at path, which becomes the one opened next time too.
func (u *UI) switchVault(path string) {
	if u.v != nil {
		u.Lock()
	}
	u.cfg.VaultPath = path
	u.app.Preferences().SetString(PrefVaultPath, path)
	u.showStart()
}
