//go:build linux

package trayhost

import (
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"keyshelf/internal/testbus"
)

func TestNoSessionBus(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/keyshelf-test-bus")
	t.Setenv("DISPLAY", "")
	if Available(DefaultTimeout) {
		t.Fatal("a tray reported without a session bus")
	}
}

// TestWatcherOnPrivateBus runs a private session bus: no tray until someone
// owns the StatusNotifierWatcher name.
func TestWatcherOnPrivateBus(t *testing.T) {
	addr := testbus.Start(t)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", addr)

	if Available(5 * time.Second) {
		t.Fatal("a tray reported while nobody owns " + watcherName)
	}
	conn, err := dbus.Connect(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if r, err := conn.RequestName(watcherName, dbus.NameFlagDoNotQueue); err != nil || r != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("own %s: %v %v", watcherName, r, err)
	}
	if !Available(5 * time.Second) {
		t.Fatal("no tray reported while " + watcherName + " is owned")
	}
}
