// Package desktop tells the window what the desktop session is doing: the
// screen locking, the computer going to sleep and waking up, the session
// ending. It holds the per-system code (D-Bus on Linux and the BSDs) so that
// the gui's screens stay free of it, and it never imports Fyne: the gui
// hands events to its own goroutine with fyne.Do.
//
// Linux and the BSDs: the session bus's screensavers (org.freedesktop,
// GNOME, MATE and Xfce ScreenSaver ActiveChanged) and, on the system bus,
// systemd-logind (org.freedesktop.login1: the Lock signal of this session,
// PrepareForSleep, PrepareForShutdown, and the removal of this session).
// Signals are taken only from the owners of those names. No bus, or no
// logind, is normal: fewer events, or none, and no error.
//
// Windows and macOS: not supported yet (Supported is false; Watch reports
// nothing). Windows tells a window about a locked session with
// WM_WTSSESSION_CHANGE after WTSRegisterSessionNotification, which needs a
// window handle of our own; macOS posts the com.apple.screenIsLocked
// distributed notification, which needs cgo and Objective-C.
package desktop

import "strconv"

// Event is something the desktop session did.
type Event int

// The events. ScreenLocked, Sleeping and SessionEnding are reasons to lock;
// Resumed means the computer woke up, so timers may be late.
const (
	ScreenLocked  Event = iota + 1 // the screen locked (or its screensaver started)
	Sleeping                       // the computer is about to sleep
	SessionEnding                  // the session is ending, or the computer shutting down
	Resumed                        // the computer woke up from sleep
)

func (e Event) String() string {
	switch e {
	case ScreenLocked:
		return "screen locked"
	case Sleeping:
		return "sleeping"
	case SessionEnding:
		return "session ending"
	case Resumed:
		return "resumed"
	}
	return "event " + strconv.Itoa(int(e))
}
