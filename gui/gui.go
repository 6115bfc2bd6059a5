// Package gui is Keyshelf's Fyne front end. It takes the fyne.App from main so
// that every screen can be tested on Fyne's test driver without a display.
package gui

import (
	"errors"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"

	"keyshelf/assets"
	"keyshelf/gui/desktop"
	"keyshelf/gui/hotkey"
	"keyshelf/vault"
	"keyshelf/vault/check"
)

// Config is what the window needs from main: where the vault is and the
// outside world (keychain, clock, background work), injectable for tests.
type Config struct {
	VaultPath string
	Version   string        // shown in About
	Options   vault.Options // keychain, KDF parameters, clock for entries
	Clock     Clock         // nil: the real clock
	// Checker tests keys against their providers; nil means check.New().
	Checker *check.Checker
	// Go runs slow work (the KDF, keychain calls) off the UI goroutine; nil
	// means a new goroutine. Work hands its results back with fyne.Do.
	Go func(func())
	// TrayAvailable reports whether the desktop shows tray icons; nil asks
	// the platform (package trayhost). Without a tray, closing the window
	// quits instead of hiding it.
	TrayAvailable func() bool
	// Session starts watching the desktop session and calls on, from any
	// goroutine, for each event until stop; main passes desktop.Watch. nil
	// means the system tells nothing, and the screen-lock setting is off.
	Session func(on func(desktop.Event)) (stop func())
	// VaultChanged, when set, is told the new path after the user picks
	// another vault, on the UI goroutine: main moves the running copy's
	// endpoint (package internal/instance) so that the next start, which
	// opens that vault, finds this window.
	VaultChanged func(path string)
	// Hotkey registers a global shortcut that calls fire (from any
	// goroutine) until stop; main passes hotkey.Register. nil means the
	// system has none: Settings says so and suggests a system shortcut
	// that runs `keyshelf show`.
	Hotkey func(c hotkey.Combo, fire func()) (stop func() error, err error)
	// LoginItem starts Keyshelf at login when Settings asks; nil means this
	// copy cannot (it runs from a temporary folder, as with go run).
	LoginItem LoginItem
	// SecretClipboard, when set, is where copied keys go, marked so that
	// clipboard managers do not keep them; main passes gui/secretclip's
	// X11 clipboard where there is one. nil: the app's own clipboard.
	SecretClipboard SecretClipboard
	// Watch starts watching the vault file at path for changes from
	// outside (a sync service brought another computer's version) and
	// calls changed, from any goroutine, for each until stop; main passes
	// WatchFile. nil: no watch (each save still takes such a change in
	// first, and unlocking takes in what is there).
	Watch func(path string, changed func()) (stop func())
	// MergedFolder is where merged conflict copies go; "" means
	// vault.MergedFolder.
	MergedFolder string
}

// UI is the application's window and state.
type UI struct {
	app   fyne.App
	win   fyne.Window
	cfg   Config
	prefs settings

	v       *vault.Vault
	clip    *clipGuard
	checker *check.Checker
	idle    idleLock
	rest    rest // the memory hand-back after a burst of use (memory.go)

	// modal is set while a dialog of ours is open; shortcuts wait for it.
	modal     bool
	editor    *editor
	dlg       dialog.Dialog   // the dialog on show, for Escape
	shortcuts []fyne.Shortcut // the window's shortcuts for this screen

	// The screen on show; the others are nil.
	welcome *welcomeView
	unlock  *unlockView
	main    *mainView

	tray     *trayState    // nil without a system tray
	settings *settingsView // the open settings dialog, or nil
	// folderPicker, when set, replaces the folder dialog (tests).
	folderPicker func(done func(string))
	// filePicker, when set, replaces File ▸ Import's file dialog (tests).
	filePicker func(done func(string))
	// savePicker, when set, replaces File ▸ Export's save dialog (tests):
	// name is the file name offered.
	savePicker func(name string, done func(string))
	exporter   *exporter     // File ▸ Export… while it is open
	scan       *scanView     // File ▸ Scan a folder… while it is open
	sharing    dialog.Dialog // Share… while it is open
	// identityPicker, when set, replaces the file dialog that picks the
	// key to open a share with (tests).
	identityPicker func(done func(string))
	imports        *importView // the open import preview, or nil

	stopSession func() // ends Config.Session's watch; nil if none

	hotkey   hotkeyState // the global shortcut
	summoned bool        // shown by the shortcut; hiding ends it

	sync syncState // the watch for changes from other computers
}

// Icon is the application icon as a Fyne resource.
var Icon = fyne.NewStaticResource("icon.png", assets.Icon)

// New builds the user interface on app: the welcome screen when there is no
// vault yet, otherwise the unlock screen.
func New(app fyne.App, cfg Config) *UI {
	if cfg.Clock == nil {
		cfg.Clock = realClock{}
	}
	if cfg.Checker == nil {
		cfg.Checker = check.New()
	}
	if cfg.Go == nil {
		cfg.Go = func(f func()) { go f() }
	}
	u := &UI{app: app, cfg: cfg, prefs: settings{app.Preferences()}, checker: cfg.Checker}
	tray := u.askTray()
	u.win = app.NewWindow("Keyshelf")
	app.SetIcon(Icon)
	u.win.SetIcon(Icon)
	u.win.Resize(fyne.NewSize(960, 640))
	u.clip = newClipGuard(keyClipboard(app, cfg), cfg.Clock, u.clipboardStatus, u.clipboardDone)
	u.win.SetCloseIntercept(u.closeRequested)
	// Back in the foreground, perhaps after a sleep: deadlines first.
	app.Lifecycle().SetOnEnteredForeground(u.Woke)
	app.Lifecycle().SetOnExitedForeground(u.leftForeground)
	u.win.Canvas().SetOnTypedKey(u.typedKey)
	u.win.SetOnDropped(u.dropped)
	u.applyTheme(true)
	u.showStart()
	u.setupTray(tray)
	u.applyHotkey()
	u.watchSession()
	return u
}

// Window is the main window.
func (u *UI) Window() fyne.Window { return u.win }

// ShowAndRun shows the window and runs the app until it quits. Run may
// start hidden in the tray instead.
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
	u.setMenus()
	u.main.focus()
	if v.ReadOnly() {
		u.main.setStatus("Read-only: " + readOnlyReason(v))
	}
	u.armIdleLock()
	u.notifyAttention()
	u.lockChanged()
	u.releaseMemory()
	// Drawing the list for the first time (text, glyphs, a system font for
	// a mark the theme's font lacks) comes after this: its garbage goes
	// once the window has been left alone for restAfter.
	u.restSoon()
	u.startWatching()
}

// Lock clears a copied key from the clipboard (if it is still there), drops
// the decrypted vault and shows the unlock screen.
func (u *UI) Lock() {
	u.stopWatching()
	u.clip.Clear()
	u.disarmIdleLock()
	u.closeDialogs()
	if u.main != nil {
		u.main.stopTests()
		u.main.reveal.hide()
		u.main = nil
	}
	if u.v != nil {
		u.v.Close()
		u.v = nil
	}
	u.showUnlock()
	u.lockChanged()
	// The decrypted vault, its search index and the list are garbage now.
	u.cancelRest()
	u.releaseMemory()
}

// closeDialogs removes every dialog and pop-up menu from the window; a
// dialog may show a key, and none of them may outlive the vault.
func (u *UI) closeDialogs() {
	ov := u.win.Canvas().Overlays()
	for _, o := range ov.List() {
		ov.Remove(o)
	}
	u.modal, u.editor, u.dlg, u.settings, u.imports = false, nil, nil, nil, nil
}

// Quit clears a copied key from the clipboard (if it is still there),
// closes the vault and ends the app. Call it on the UI goroutine (fyne.Do).
func (u *UI) Quit() { u.quit() }

func (u *UI) quit() {
	if u.stopSession != nil {
		u.stopSession()
		u.stopSession = nil
	}
	u.stopHotkey()
	u.stopWatching()
	u.clip.Clear()
	u.disarmIdleLock()
	if u.v != nil {
		u.v.Close()
	}
	u.app.Quit()
}

// clipboardDone says how a copy's countdown ended: the key taken off the
// clipboard, or the clipboard left alone because the user copied something
// else since.
func (u *UI) clipboardDone(label string, cleared bool) {
	if u.main == nil {
		return
	}
	u.restSoon() // the countdown's repaints were a burst of work too
	if cleared {
		u.main.setStatus("Clipboard cleared")
		return
	}
	u.main.setStatus("Clipboard left alone (you copied something else)")
}

// clipboardStatus shows a copy's countdown in the status bar. A window
// hidden in the tray is not redrawn for it: showWindow brings it up to date.
func (u *UI) clipboardStatus(label string, left time.Duration, first bool) {
	if u.main == nil || u.hidden() {
		return
	}
	secs := int((left + time.Second - 1) / time.Second)
	msg := "Copied \"" + label + "\" — clears in " + strconv.Itoa(secs) + " s"
	if !first {
		u.main.tickStatus(msg)
		return
	}
	u.main.setStatus(msg)
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
	u.refreshTray()
	if u.cfg.VaultChanged != nil {
		u.cfg.VaultChanged(path)
	}
}
