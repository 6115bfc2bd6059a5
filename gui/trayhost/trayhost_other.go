//go:build !(linux || freebsd || openbsd || netbsd)

package trayhost

// hostRunning is true: Windows and macOS always have a tray (the
// notification area, the menu bar).
func hostRunning() bool { return true }
