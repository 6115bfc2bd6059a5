package gui

import (
	"runtime"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"keyshelf/assets"
	"keyshelf/gui/trayhost"
	"keyshelf/vault"
)

// Tray icons: one while unlocked, one while locked.
var (
	trayIcon       = fyne.NewStaticResource("icon-tray.png", assets.TrayIcon)
	trayLockedIcon = fyne.NewStaticResource("icon-locked.png", assets.TrayLockedIcon)
)

// trayState is the system tray icon and its menu. The UI has none (nil) when
// the app or the desktop cannot show one; closing the window then quits.
type trayState struct {
	desk   desktop.App
	hidden bool          // the window is hidden in the tray
	icon   fyne.Resource // the icon last set
	menu   *fyne.Menu    // the menu last set
	copyID string        // a favourite whose copy waits for an unlock
	copyIn string        // the vault copyID belongs to

	// The favourites last seen unlocked, and their vault: the menu keeps
	// offering them while locked, and a copy then asks for an unlock.
	favs   []trayFav
	favsIn string
}

type trayFav struct{ id, name string }

// askTray starts asking, in the background, whether the desktop shows tray
// icons (Config.TrayAvailable: a D-Bus question on Linux, which a slow
// desktop may take up to trayhost.DefaultTimeout to answer), so that the
// start screen is built meanwhile. setupTray takes the answer.
func (u *UI) askTray() <-chan bool {
	answer := make(chan bool, 1)
	if _, ok := u.app.(desktop.App); !ok {
		answer <- false
		return answer
	}
	available := u.cfg.TrayAvailable
	if available == nil {
		available = func() bool { return trayhost.Available(trayhost.DefaultTimeout) }
	}
	go func() { answer <- available() }()
	return answer
}

// setupTray puts Keyshelf in the system tray if the app is a desktop app
// and the desktop shows tray icons (the answer from askTray). Fyne starts
// the tray when its event loop starts, so this must come before Run.
func (u *UI) setupTray(available <-chan bool) {
	if !<-available {
		return
	}
	u.tray = &trayState{desk: u.app.(desktop.App)}
	u.refreshTray()
}

// refreshTray brings the tray menu and icon up to date: Show or Hide, Lock
// or Unlock…, "Copy <name>" for each favourite (while locked, those last
// seen unlocked, whose copy asks for an unlock first), Quit. Call it
// whenever the lock state or the favourites change.
func (u *UI) refreshTray() {
	t := u.tray
	if t == nil {
		return
	}
	var items []*fyne.MenuItem
	if t.hidden {
		show := "Show Keyshelf"
		if u.hotkey.active {
			show += " (" + u.hotkey.combo.String() + ")"
		}
		items = append(items, fyne.NewMenuItem(show, u.showWindow))
	} else {
		items = append(items, fyne.NewMenuItem("Hide Keyshelf", u.hideWindow))
	}
	switch {
	case u.v != nil:
		items = append(items, fyne.NewMenuItem("Lock", u.Lock))
	case u.unlock != nil:
		items = append(items, fyne.NewMenuItem("Unlock…", u.showWindow))
	}
	if u.v != nil {
		t.favs, t.favsIn = t.favs[:0], u.cfg.VaultPath
		for _, e := range u.v.Favorites() {
			t.favs = append(t.favs, trayFav{e.ID, e.Name})
		}
	} else if t.favsIn != u.cfg.VaultPath {
		t.favs = nil // another vault: its favourites are not known yet
	}
	if len(t.favs) > 0 {
		items = append(items, fyne.NewMenuItemSeparator())
		for _, f := range t.favs {
			items = append(items, fyne.NewMenuItem(trayLabel("Copy "+f.name), func() { u.trayCopy(f.id, f.name) }))
		}
	}
	quit := fyne.NewMenuItem("Quit", u.quit)
	quit.IsQuit = true
	items = append(items, fyne.NewMenuItemSeparator(), quit)
	t.menu = fyne.NewMenu("Keyshelf", items...)
	t.desk.SetSystemTrayMenu(t.menu)

	icon := fyne.Resource(trayIcon)
	if u.v == nil {
		icon = trayLockedIcon
	}
	if icon != t.icon {
		t.icon = icon
		t.desk.SetSystemTrayIcon(icon)
	}
}

// trayLabel escapes the characters a tray menu would take for a keyboard
// accelerator: "_" in D-Bus menus (Linux, BSD), "&" on Windows.
func trayLabel(s string) string {
	switch runtime.GOOS {
	case "windows":
		return strings.ReplaceAll(s, "&", "&&")
	case "darwin":
		return s
	}
	return strings.ReplaceAll(s, "_", "__")
}

// trayCopy copies a favourite from the tray with the usual auto-clear. While
// locked it refuses with a notice and brings up the unlock screen; the copy
// then happens once the same vault is unlocked.
func (u *UI) trayCopy(id, name string) {
	if u.v == nil {
		u.app.SendNotification(fyne.NewNotification("Keyshelf", "Unlock Keyshelf to copy "+name))
		if u.tray != nil {
			u.tray.copyID, u.tray.copyIn = id, u.cfg.VaultPath
		}
		u.showWindow()
		return
	}
	e, ok := u.v.Get(id)
	if !ok {
		u.refreshTray() // deleted meanwhile
		return
	}
	ttl := u.prefs.ClearAfter()
	u.clip.Copy(e.Name, e.Secret, ttl)
	u.record(e.ID, vault.ActionCopied, vault.SourceTray, "")
	if u.tray != nil && u.tray.hidden {
		u.app.SendNotification(fyne.NewNotification("Keyshelf",
			"Copied "+e.Name+": the clipboard clears in "+strconv.Itoa(int(ttl.Seconds()))+" s"))
	}
}

// lockChanged updates the tray and the settings after an unlock or a lock,
// and makes a copy asked for from the tray while locked.
func (u *UI) lockChanged() {
	if u.settings != nil {
		u.settings.refreshRemember(u)
	}
	if t := u.tray; t != nil && t.copyID != "" && u.v != nil {
		id, in := t.copyID, t.copyIn
		t.copyID, t.copyIn = "", ""
		if in == u.cfg.VaultPath {
			if e, ok := u.v.Get(id); ok {
				u.clip.Copy(e.Name, e.Secret, u.prefs.ClearAfter())
				u.record(e.ID, vault.ActionCopied, vault.SourceTray, "")
			}
		}
	}
	u.refreshTray()
}

// Show brings the window to the front, from the tray too: what a second
// start of Keyshelf and `keyshelf show` ask of the running copy. Call it on
// the Fyne goroutine (fyne.Do).
func (u *UI) Show() { u.showWindow() }

// showWindow brings the window up (from the tray, or from behind others).
func (u *UI) showWindow() {
	u.summoned = false // summon sets it again
	if u.tray != nil {
		u.tray.hidden = false
	}
	u.win.Show()
	u.win.RequestFocus()
	// The countdown of a copy was not shown while hidden.
	u.clip.recheck()
	u.refreshTray()
}

// hidden reports whether the window is hidden in the tray.
func (u *UI) hidden() bool { return u.tray != nil && u.tray.hidden }

// hideWindow hides the window in the tray.
func (u *UI) hideWindow() {
	if u.tray == nil {
		return // it could not be brought back
	}
	u.tray.hidden = true
	u.summoned = false
	u.tray.copyID = "" // a copy waiting for an unlock is given up
	if u.main != nil {
		// A key shown in full is masked again: nobody is looking, and
		// its countdown would redraw the hidden window.
		u.main.reveal.hide()
	}
	u.win.Hide()
	u.refreshTray()
	if u.v != nil {
		// Hidden, nothing is drawn: the garbage of the last use can go.
		u.cancelRest()
		u.releaseMemory()
	}
}

// closeRequested handles the window's close button: with a tray the window
// hides there, without one the app quits.
func (u *UI) closeRequested() {
	if u.tray == nil {
		u.quit()
		return
	}
	u.hideWindow()
}

// Run shows the window and runs the app until it quits. When the settings
// ask to start hidden and there is a tray to come back from, the window
// stays hidden (unless there is no vault yet: the welcome screen shows).
func (u *UI) Run() {
	if u.tray != nil && u.prefs.StartHidden() && u.welcome == nil {
		u.tray.hidden = true
		u.refreshTray()
		u.app.Run()
		return
	}
	u.win.ShowAndRun()
}
