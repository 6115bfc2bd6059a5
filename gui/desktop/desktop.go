// Package desktop tells the window what the desktop session is doing: the
// screen locking, the computer going to sleep and waking up, the session
// ending. It holds the per-system code (D-Bus on Linux and the BSDs, window
// messages on Windows, notifications on macOS) so that the gui's screens
// stay free of it, and it never imports Fyne: the gui hands events to its
// own goroutine with fyne.Do.
//
// Linux and the BSDs: the session bus's screensavers (org.freedesktop,
// GNOME, MATE and Xfce ScreenSaver ActiveChanged) and, on the system bus,
// systemd-logind (org.freedesktop.login1: the Lock signal of this session,
// PrepareForSleep, PrepareForShutdown, and the removal of this session).
// Signals are taken only from the owners of those names. No bus, or no
// logind, is normal: fewer events, or none, and no error.
//
// Windows (windows.go): a hidden top-level window of our own, on a thread
// of its own, hears WM_WTSSESSION_CHANGE for this session (after
// WTSRegisterSessionNotification: lock and log-off), WM_POWERBROADCAST
// (suspend and resume) and WM_QUERYENDSESSION / WM_ENDSESSION.
//
// macOS (darwin.go, no cgo: purego's Objective-C runtime): an observer on
// NSDistributedNotificationCenter for com.apple.screenIsLocked, delivered
// even while the app is not active, and on NSWorkspace's notification
// center for will-sleep, did-wake and will-power-off (log-out, restart,
// shut-down). AppKit delivers them on the main thread.
//
// The Windows and macOS watchers are compile-checked (vet, build and
// staticcheck for those systems) but were not run on real Windows or macOS
// when written. The Windows one and its test (windows_test.go, which sends
// the window the messages) did run under Wine; the macOS test
// (darwin_test.go) has not run anywhere. The mapping from their messages
// and notification names to events (winmsg.go, macnote.go) is tested on
// every system. On any failure they report nothing, as on the systems
// with no watcher (other.go).
package desktop

import "sync"

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

// gate is what every system's watcher shares: the callback and whether stop
// was called. Its mutex is held while on runs, so events come one at a
// time, and on is never called once stop has set stopped.
type gate struct {
	on      func(Event)
	mu      sync.Mutex
	stopped bool
}

// deliver calls on with e unless the watcher has stopped.
func (g *gate) deliver(e Event) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.stopped {
		g.on(e)
	}
}
