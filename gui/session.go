package gui

import (
	"fyne.io/fyne/v2"

	"keyshelf/gui/desktop"
)

// watchSession starts listening to the desktop session (Config.Session).
func (u *UI) watchSession() {
	if u.cfg.Session == nil {
		return
	}
	u.stopSession = u.cfg.Session(func(e desktop.Event) {
		fyne.Do(func() { u.sessionEvent(e) })
	})
}

// sessionEvent handles an event of the desktop session on the UI
// goroutine: the screen locking, the computer going to sleep or the session
// ending locks the vault (when the setting is on), as KeePassXC does; a
// wake-up re-checks the clipboard and auto-lock deadlines, whose timers
// were asleep too.
func (u *UI) sessionEvent(e desktop.Event) {
	var why string
	switch e {
	case desktop.Resumed:
		u.Woke()
		return
	case desktop.ScreenLocked:
		why = "Keyshelf locked when the screen locked"
	case desktop.Sleeping:
		why = "Keyshelf locked when the computer went to sleep"
	case desktop.SessionEnding:
		why = "Keyshelf locked when the session ended"
	default:
		return
	}
	if !u.prefs.LockOnScreenLock() {
		return
	}
	if u.v == nil {
		// Nothing is open; a key copied before the last lock is gone
		// already, but make sure.
		u.clip.Clear()
		if u.unlock != nil && u.unlock.pass.Disabled() {
			// An unlock is under way: a fresh unlock screen drops its
			// result (staleUnlock), so the vault stays closed.
			u.showUnlock()
			u.notifyLocked(why)
		}
		return
	}
	u.Lock()
	u.notifyLocked(why)
}
