// Package trayhost tells whether the desktop can show a system tray icon.
//
// Fyne draws a tray icon through a StatusNotifierItem on Linux and the BSDs,
// which appears only when some program (a panel, or GNOME's AppIndicator
// extension) hosts it; without one Fyne logs an error and nothing shows. A
// window hidden "to the tray" would then be out of reach, so Keyshelf asks
// first. Windows and macOS always have a tray.
package trayhost

import "time"

// DefaultTimeout bounds the question when the desktop is slow to answer; a
// desktop that does not answer in time is taken to have no tray.
const DefaultTimeout = 500 * time.Millisecond

// Available reports whether a system tray host is running, waiting at most
// timeout for the answer.
func Available(timeout time.Duration) bool {
	done := make(chan bool, 1)
	go func() { done <- hostRunning() }()
	select {
	case ok := <-done:
		return ok
	case <-time.After(timeout):
		return false
	}
}
