package gui

import (
	"time"

	"fyne.io/fyne/v2"
)

// idleRecheck is the longest the idle lock waits between two looks at the
// clock while a vault is open. Its timer runs on the monotonic clock, which
// stands still while the computer sleeps: after a sleep the lock comes at
// most this late (at once with Woke, the window coming to the foreground,
// or the first use of the window).
const idleRecheck = 30 * time.Second

// idleLock locks the vault after the user has done nothing in the window
// (no key typed, nothing clicked) for the auto-lock time in the settings.
type idleLock struct {
	last moment // the last activity
	stop func()
	gen  int // counts disarms: a check already queued by an old timer is dropped
}

// touch records user activity, which restarts the idle countdown. When the
// vault has in fact been idle past the auto-lock time (the computer slept
// through it), it locks the vault instead and reports false: the action
// that touched must not go ahead.
func (u *UI) touch() bool {
	if u.idleDue() {
		u.lockIdle()
		return false
	}
	u.idle.last = momentOf(u.cfg.Clock.Now())
	u.restSoon()
	return true
}

// act wraps a button's action so that pressing it counts as activity.
func (u *UI) act(f func()) func() {
	return func() {
		if u.touch() {
			f()
		}
	}
}

// armIdleLock starts watching for idleness; it runs while a vault is open.
func (u *UI) armIdleLock() {
	u.disarmIdleLock()
	u.idle.last = momentOf(u.cfg.Clock.Now())
	u.scheduleIdleCheck(u.prefs.AutoLock())
}

func (u *UI) scheduleIdleCheck(after time.Duration) {
	if after <= 0 {
		// Auto-lock is off; look again in a minute in case it is turned on.
		after = time.Minute
	} else {
		after = min(after, idleRecheck)
	}
	gen := u.idle.gen
	u.idle.stop = u.cfg.Clock.AfterFunc(after, func() {
		fyne.Do(func() {
			if u.idle.gen == gen {
				u.checkIdle()
			}
		})
	})
}

// idleDue reports whether an open vault has been idle for the auto-lock
// time, by the wall clock or the monotonic one.
func (u *UI) idleDue() bool {
	limit := u.prefs.AutoLock()
	return u.v != nil && limit > 0 && u.idle.last.since(u.cfg.Clock.Now()) >= limit
}

// checkIdle locks when the window has been idle long enough, and otherwise
// looks again when it would be.
func (u *UI) checkIdle() {
	u.disarmIdleLock()
	if u.v == nil {
		return
	}
	if u.idleDue() {
		u.lockIdle()
		return
	}
	u.scheduleIdleCheck(u.prefs.AutoLock() - u.idle.last.since(u.cfg.Clock.Now()))
}

// lockIdle locks the vault and says why on the unlock screen.
func (u *UI) lockIdle() {
	limit := u.prefs.AutoLock()
	u.Lock()
	u.notifyLocked("Keyshelf locked after " + plural(int(limit/time.Minute), "minute") + " without use")
}

func (u *UI) disarmIdleLock() {
	u.idle.gen++
	if u.idle.stop != nil {
		u.idle.stop()
		u.idle.stop = nil
	}
}

// Woke re-checks the clipboard and auto-lock deadlines against the wall
// clock; call it when the computer resumes from sleep. Call it on the UI
// goroutine (fyne.Do). A copied key whose time is up is cleared, and a vault
// idle past the auto-lock time is locked, at once.
func (u *UI) Woke() {
	u.clip.recheck()
	if u.main != nil {
		u.main.reveal.recheck()
	}
	if u.v != nil {
		u.checkIdle()
	}
}
