//go:build window

package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

// TestRealWindowScreenLockLocks copies a key in the real window, then plays
// GNOME's screensaver on the session bus (make test-window runs one, through
// scripts/with-keychain.sh) and announces ActiveChanged(true): the window
// must lock and clear the clipboard. The clear time is set to 10 minutes so
// that only the lock can have cleared it.
func TestRealWindowScreenLockLocks(t *testing.T) {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		t.Skip("no session bus: run with make test-window")
	}
	f := newFixture(t)
	config := ""
	for _, kv := range f.env {
		if v, ok := strings.CutPrefix(kv, "XDG_CONFIG_HOME="); ok {
			config = v
		}
	}
	prefs := filepath.Join(config, "fyne", appID, "preferences.json")
	if err := os.WriteFile(prefs, []byte(`{"clipboard.clearSeconds":600}`), 0o600); err != nil {
		t.Fatal(err)
	}
	f.start()
	f.unlock()
	f.copyByTyping()

	bus, err := dbus.ConnectSessionBus()
	if err != nil {
		t.Fatal(err)
	}
	defer bus.Close()
	const saver = "org.gnome.ScreenSaver"
	if r, err := bus.RequestName(saver, dbus.NameFlagDoNotQueue); err != nil || r != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("own %s: %v %v", saver, r, err)
	}
	if err := bus.Emit("/org/gnome/ScreenSaver", saver+".ActiveChanged", true); err != nil {
		t.Fatal(err)
	}
	if _, ok := f.waitClipboard(func(s string) bool { return s != f.key }, time.Now().Add(10*time.Second)); !ok {
		t.Fatal("the key is still on the clipboard 10 s after the screen locked")
	}
	if !f.alive() {
		t.Fatal("the app exited instead of locking")
	}
}
