//go:build window

package e2e

import (
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"

	"keyshelf/internal/testbus"
)

// TestRealWindowHotkeySummonsCopiesAndHides is the launcher flow of issue
// #12 on a real X server: with focus in another window, Ctrl+Alt+K (sent
// with xdotool) brings up the Keyshelf window, focused; typing part of a
// key's name and Enter put the key on the real clipboard, and the window
// goes away again; the shortcut and `keyshelf show` bring it back. The app
// gets a private session bus with a stand-in StatusNotifierWatcher, so it
// believes a tray is there (only then does it hide: without a tray the
// window could not be found again).
func TestRealWindowHotkeySummonsCopiesAndHides(t *testing.T) {
	bus := testbus.Start(t)
	watcher := fakeTrayWatcher(t, bus)
	f := newFixture(t)
	f.env = withEnv(f.env, map[string]string{"DBUS_SESSION_BUS_ADDRESS": bus})
	// The 5-s clear of the fixture would race the checks below.
	f.setPrefs(`{"clipboard.clearSeconds":600}`)
	f.start()
	f.unlock()
	f.copyByTyping() // unlocked, and the search works
	select {
	case <-watcher:
	case <-time.After(10 * time.Second):
		t.Fatal("the app did not put an icon in the (fake) tray within 10 s")
	}

	x, err := xgb.NewConn()
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	other := otherWindow(t, x)
	f.xdo(5*time.Second, "windowfocus", "--sync", other)
	if got := f.focused(); got != other {
		t.Fatalf("focus is on %s, not on the other window %s", got, other)
	}
	f.userCopy(userText) // the user copied something in the other program
	if _, ok := f.waitClipboard(func(s string) bool { return s == userText }, time.Now().Add(3*time.Second)); !ok {
		t.Fatal("the user's copy did not reach the clipboard")
	}

	pressed := time.Now()
	f.xdo(5*time.Second, "key", "ctrl+alt+k")
	f.waitFocused(pressed, "Ctrl+Alt+K")
	// The search is focused with its last text selected: typing replaces it.
	f.xdo(10*time.Second, "type", "--delay", "30", query)
	f.xdo(5*time.Second, "key", "Return")
	if _, ok := f.waitClipboard(func(s string) bool { return s == f.key }, time.Now().Add(5*time.Second)); !ok {
		s, _ := f.clipboard()
		t.Fatalf("after Ctrl+Alt+K, %q and Enter the clipboard does not hold the key (%d bytes)", query, len(s))
	}
	f.waitHidden("the copy")

	// Hidden in the tray, the shortcut brings it back, on top and focused.
	pressed = time.Now()
	f.xdo(5*time.Second, "key", "ctrl+alt+k")
	f.waitVisible("Ctrl+Alt+K from the tray")
	f.waitFocused(pressed, "Ctrl+Alt+K from the tray")
	// Escape clears the selected search, a second Escape puts it away.
	f.xdo(5*time.Second, "key", "Escape")
	f.xdo(5*time.Second, "key", "Escape")
	f.waitHidden("Escape on an empty search")

	// `keyshelf show` (what a system shortcut runs on Wayland) brings it back too.
	f.runAgain("--vault", f.vault, "show")
	f.waitVisible("keyshelf show")
	if !f.alive() {
		t.Fatal("the app exited")
	}
}

// setPrefs replaces the app's preferences file with json.
func (f *fixture) setPrefs(json string) {
	f.t.Helper()
	config := ""
	for _, kv := range f.env {
		if v, ok := strings.CutPrefix(kv, "XDG_CONFIG_HOME="); ok {
			config = v
		}
	}
	if err := os.WriteFile(config+"/fyne/"+appID+"/preferences.json", []byte(json), 0o600); err != nil {
		f.t.Fatal(err)
	}
}

// focused is the window that has the X keyboard focus, as xdotool names it.
func (f *fixture) focused() string {
	f.t.Helper()
	out, err := exec.Command("xdotool", "getwindowfocus").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// waitFocused waits up to 10 s for the Keyshelf window to be visible and
// have the keyboard focus, and logs how long that took after since.
func (f *fixture) waitFocused(since time.Time, after string) {
	f.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for f.focused() != f.window || !f.visible() {
		if time.Now().After(deadline) {
			f.t.Fatalf("10 s after %s the Keyshelf window is not focused (focus on %s, visible %v)", after, f.focused(), f.visible())
		}
		if !f.alive() {
			f.t.Fatalf("the app exited after %s", after)
		}
		time.Sleep(20 * time.Millisecond)
	}
	f.t.Logf("the window was visible and focused %v after %s", time.Since(since).Round(10*time.Millisecond), after)
}

// waitHidden waits up to 10 s for the Keyshelf window to be unmapped.
func (f *fixture) waitHidden(after string) {
	f.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for f.visible() {
		if time.Now().After(deadline) {
			f.t.Fatalf("the window is still visible 10 s after %s", after)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !f.alive() {
		f.t.Fatalf("the app exited after %s", after)
	}
}

// otherWindow maps a small top-level window of the test's own, standing in
// for the program the user works in, and returns its id as xdotool writes it.
func otherWindow(t *testing.T, x *xgb.Conn) string {
	t.Helper()
	screen := xproto.Setup(x).DefaultScreen(x)
	id, err := xproto.NewWindowId(x)
	if err != nil {
		t.Fatal(err)
	}
	if err := xproto.CreateWindowChecked(x, screen.RootDepth, id, screen.Root, 50, 50, 300, 200, 0,
		xproto.WindowClassInputOutput, screen.RootVisual, xproto.CwBackPixel, []uint32{screen.WhitePixel}).Check(); err != nil {
		t.Fatal(err)
	}
	title := "Other program"
	xproto.ChangeProperty(x, xproto.PropModeReplace, id, xproto.AtomWmName, xproto.AtomString, 8, uint32(len(title)), []byte(title))
	if err := xproto.MapWindowChecked(x, id).Check(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { xproto.DestroyWindow(x, id) })
	return strconv.FormatUint(uint64(id), 10)
}

// trayWatcher is the least of a StatusNotifierWatcher (a panel's tray host)
// that Fyne's tray needs: it takes the app's registration.
type trayWatcher struct{ registered chan<- string }

// RegisterStatusNotifierItem is called by the app's tray icon.
func (w trayWatcher) RegisterStatusNotifierItem(item string) *dbus.Error {
	select {
	case w.registered <- item:
	default:
	}
	return nil
}

// fakeTrayWatcher owns org.kde.StatusNotifierWatcher on the bus at addr and
// returns a channel that receives the app's tray registrations.
func fakeTrayWatcher(t *testing.T, addr string) <-chan string {
	t.Helper()
	conn, err := dbus.Connect(addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	got := make(chan string, 4)
	const name = "org.kde.StatusNotifierWatcher"
	if err := conn.Export(trayWatcher{got}, "/StatusNotifierWatcher", name); err != nil {
		t.Fatal(err)
	}
	if r, err := conn.RequestName(name, dbus.NameFlagDoNotQueue); err != nil || r != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("own %s: %v %v", name, r, err)
	}
	return got
}
