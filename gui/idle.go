package gui

import (
	"time"

	"fyne.io/fyne/v2"
)

// idleLock locks the vault after the user has done nothing in the window
// (no key typed, nothing clicked) for the auto-lock time in the settings.
type idleLock struct {
	last time.Time // the last activity
	stop func()
}

// touch records user activity; it restarts the idle countdown.
func (u *UI) touch() { u.idle.last = u.cfg.Clock.Now() }

// act wraps a button's action so that pressing it counts as activity.
func (u *UI) act(f func()) func() {
	return func() {
		u.touch()
		f()
	}
}

// armIdleLock starts watching for idleness; it runs while a vault is open.
func (u *UI) armIdleLock() {
	u.disarmIdleLock()
	u.touch()
	u.scheduleIdleCheck(u.prefs.AutoLock())
}

func (u *UI) scheduleIdleCheck(after time.Duration) {
	if after <= 0 {
		// Auto-lock is off; look again in a minute in case it is turned on.
		after = time.Minute
	}
	u.idle.stop = u.cfg.Clock.AfterFunc(after, func() { fyne.Do(u.checkIdle) })
}

// checkIdle locks when the window has been idle long enough, and otherwise
// looks again when it would be.
func (u *UI) checkIdle() {
	u.idle.stop = nil
	if u.v == nil {
		return
	}
	limit := u.prefs.AutoLock()
	idle := u.cfg.Clock.Now().Sub(u.idle.last)
	if limit > 0 && idle >= limit {
		u.Lock()
		u.notifyLocked("Keyshelf locked after " + plural(int(limit/time.Minute), "minute") + " without use")
		return
	}
	u.scheduleIdleCheck(limit - idle)
}

func (u *UI) disarmIdleLock() {
	if u.idle.stop != nil {
		u.idle.stop()
		u.idle.stop = nil
	}
}
