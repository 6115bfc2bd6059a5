//go:build linux || freebsd || openbsd || netbsd

package trayhost

import "github.com/godbus/dbus/v5"

// watcherName is the D-Bus name a StatusNotifierItem host owns.
const watcherName = "org.kde.StatusNotifierWatcher"

// hostRunning asks the session bus whether the StatusNotifierWatcher name has
// an owner. It never starts a bus: no session bus means no tray.
func hostRunning() bool {
	conn, err := dbus.SessionBusPrivateNoAutoStartup()
	if err != nil {
		return false
	}
	defer conn.Close()
	if err := conn.Auth(nil); err != nil {
		return false
	}
	if err := conn.Hello(); err != nil {
		return false
	}
	var owned bool
	if err := conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, watcherName).Store(&owned); err != nil {
		return false
	}
	return owned
}
