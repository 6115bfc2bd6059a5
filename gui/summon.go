package gui

import (
	"errors"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"keyshelf/gui/hotkey"
)

// The global shortcut's preference and its choices in Settings ("" is off).
const (
	prefHotkey    = "hotkey.combo"
	defaultHotkey = "Ctrl+Alt+K"
)

var hotkeyChoices = []string{"", "Ctrl+Alt+K", "Ctrl+Alt+Space", "Ctrl+Shift+K", "Ctrl+Alt+J", "Super+K"}

// Hotkey is the global shortcut as stored ("" means off).
func (s settings) Hotkey() string { return s.p.StringWithFallback(prefHotkey, defaultHotkey) }

// hotkeyState is the global shortcut as registered.
type hotkeyState struct {
	combo   hotkey.Combo
	active  bool         // registered: pressing combo summons the window
	pending bool         // being registered (Config.Go)
	stop    func() error // ends the registration; nil when not active
	err     error        // why the preferred shortcut is not active, or nil
	gen     int          // counts applyHotkey and stopHotkey calls
}

// applyHotkey registers the shortcut the preferences name, after releasing
// the one registered before, and says how it went in the tray menu and the
// open settings. The registration (an X connection and a few round trips,
// a few milliseconds) runs off the UI goroutine (Config.Go), so that it
// does not delay the first frame.
func (u *UI) applyHotkey() {
	u.stopHotkey()
	hk := &u.hotkey
	*hk = hotkeyState{gen: hk.gen}
	if s := u.prefs.Hotkey(); s != "" {
		c, err := hotkey.Parse(s)
		switch {
		case err != nil:
			hk.err = err
		case u.cfg.Hotkey == nil:
			hk.err = hotkey.ErrUnsupported
		default:
			hk.combo, hk.pending = c, true
			gen, register := hk.gen, u.cfg.Hotkey
			fire := func() { fyne.Do(u.summon) }
			u.cfg.Go(func() {
				stop, err := register(c, fire)
				fyne.Do(func() { u.hotkeyRegistered(gen, stop, err) })
			})
		}
	}
	u.hotkeyChanged()
}

// hotkeyRegistered takes the outcome of the registration applyHotkey
// started as gen; one overtaken by a later change or a quit is undone.
func (u *UI) hotkeyRegistered(gen int, stop func() error, err error) {
	hk := &u.hotkey
	if gen != hk.gen {
		if err == nil {
			_ = stop()
		}
		return
	}
	hk.pending, hk.stop, hk.err, hk.active = false, stop, err, err == nil
	u.hotkeyChanged()
}

// hotkeyChanged shows the shortcut's state in the settings and the tray.
func (u *UI) hotkeyChanged() {
	if u.settings != nil && u.settings.hotkeyNote != nil {
		u.settings.hotkeyNote.SetText(u.hotkeyWords())
	}
	u.refreshTray()
}

// stopHotkey releases the registered shortcut, if any.
func (u *UI) stopHotkey() {
	u.hotkey.gen++ // a registration under way is undone when it ends
	u.hotkey.pending = false
	if u.hotkey.stop != nil {
		_ = u.hotkey.stop() // nothing to tell the user: the grab is gone with the connection
		u.hotkey.stop = nil
	}
	u.hotkey.active = false
}

// hotkeyWords says in plain words what the shortcut does now.
func (u *UI) hotkeyWords() string {
	hk := u.hotkey
	var taken *hotkey.ErrTaken
	switch {
	case hk.pending:
		return "Setting " + hk.combo.String() + "…"
	case hk.active:
		return "Press " + hk.combo.String() + " in any program to bring up the search. Enter copies the key and puts Keyshelf away again."
	case hk.err == nil:
		return "Off. Keyshelf comes up from its tray icon or when you start it again."
	case errors.As(hk.err, &taken):
		return "Another program already uses " + taken.Combo.String() + ": pick another."
	case errors.Is(hk.err, hotkey.ErrWayland):
		return "This desktop does not let programs set global shortcuts: add a shortcut in your system settings that runs `keyshelf show`."
	case errors.Is(hk.err, hotkey.ErrUnsupported):
		return "Keyshelf cannot set global shortcuts on this system yet: add a shortcut in your system settings that runs `keyshelf show`."
	}
	return "The shortcut could not be set (" + hk.err.Error() + "): pick another."
}

// hotkeySetting is the Settings row: the choice and the state under it.
func (u *UI) hotkeySetting(sv *settingsView) fyne.CanvasObject {
	cur := u.prefs.Hotkey()
	choices := hotkeyChoices
	if !slices.Contains(choices, cur) {
		choices = append(slices.Clone(choices), cur) // set some other way
	}
	words := make([]string, len(choices))
	for i, c := range choices {
		words[i] = c
		if c == "" {
			words[i] = "Off"
		}
	}
	sv.hotkey = widget.NewSelect(words, nil)
	sv.hotkey.SetSelectedIndex(slices.Index(choices, cur))
	sv.hotkey.OnChanged = func(string) {
		i := sv.hotkey.SelectedIndex()
		if i < 0 || choices[i] == u.prefs.Hotkey() {
			return
		}
		u.app.Preferences().SetString(prefHotkey, choices[i])
		u.applyHotkey()
	}
	sv.hotkeyNote = note(u.hotkeyWords())
	return container.NewVBox(sv.hotkey, sv.hotkeyNote)
}

// summon is what the global shortcut does: the window comes up, on top and
// focused, with the search focused and its text selected (or the passphrase
// field while locked; the search gets the focus after the unlock). Until the
// window hides again, Enter in the search copies and then hides the window
// in the tray, and Escape on an empty search hides it, so that the user is
// back in their program: a launcher's flow.
func (u *UI) summon() {
	if u.main != nil && !u.modal {
		u.touch() // the idle lock may be due: then the unlock screen shows
	}
	u.showWindow()
	u.summoned = true
	switch {
	case u.modal:
		// A dialog of ours is open: it keeps the focus.
	case u.main != nil:
		u.main.focus()
		u.main.search.Entry.TypedShortcut(&fyne.ShortcutSelectAll{})
	case u.unlock != nil:
		u.win.Canvas().Focus(u.unlock.pass)
	}
}

// leftForeground is the app losing the keyboard focus (the user clicked
// into another program, or the window hid): a summon's launcher flow ends
// there, so that a later Enter in the search does not hide the window.
// (X11 keyboard grabs, such as the shortcut's own, are not focus changes
// for GLFW.)
func (u *UI) leftForeground() { u.summoned = false }

// dismiss puts a summoned window away again after a copy or an Escape.
// Without a tray it stays: hidden, it could be brought back only by the
// shortcut, and a window that vanishes with no icon to find it by is worse
// than one left open.
func (u *UI) dismiss() {
	if !u.summoned || u.tray == nil {
		return
	}
	u.hideWindow()
}
