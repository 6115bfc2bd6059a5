//go:build linux || freebsd || openbsd || netbsd

package desktop

import (
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"keyshelf/internal/testbus"
)

const ourSession = dbus.ObjectPath("/org/freedesktop/login1/session/c7")

func TestClassify(t *testing.T) {
	other := dbus.ObjectPath("/org/freedesktop/login1/session/c9")
	sig := func(name string, path dbus.ObjectPath, body ...any) *dbus.Signal {
		return &dbus.Signal{Name: name, Path: path, Body: body}
	}
	for _, c := range []struct {
		sig     *dbus.Signal
		session dbus.ObjectPath
		want    Event // 0: no event
	}{
		{sig("org.freedesktop.ScreenSaver.ActiveChanged", "/ScreenSaver", true), "", ScreenLocked},
		{sig("org.freedesktop.ScreenSaver.ActiveChanged", "/org/freedesktop/ScreenSaver", false), "", 0},
		{sig("org.gnome.ScreenSaver.ActiveChanged", "/org/gnome/ScreenSaver", true), "", ScreenLocked},
		{sig("org.mate.ScreenSaver.ActiveChanged", "/org/mate/ScreenSaver", true), "", ScreenLocked},
		{sig("org.xfce.ScreenSaver.ActiveChanged", "/org/xfce/ScreenSaver", true), "", ScreenLocked},
		{sig("org.gnome.ScreenSaver.ActiveChanged", "/org/gnome/ScreenSaver"), "", 0},           // no argument
		{sig("org.gnome.ScreenSaver.ActiveChanged", "/org/gnome/ScreenSaver", "yes"), "", 0},    // wrong type
		{sig("org.freedesktop.login1.Session.Lock", ourSession), ourSession, ScreenLocked},      // ours
		{sig("org.freedesktop.login1.Session.Lock", other), ourSession, 0},                      // another user's
		{sig("org.freedesktop.login1.Session.Lock", ourSession), "", 0},                         // ours unknown
		{sig("org.freedesktop.login1.Session.Unlock", ourSession), ourSession, 0},               //
		{sig("org.freedesktop.login1.Manager.PrepareForSleep", logindPath, true), "", Sleeping}, //
		{sig("org.freedesktop.login1.Manager.PrepareForSleep", logindPath, false), "", Resumed},
		{sig("org.freedesktop.login1.Manager.PrepareForSleep", logindPath), "", 0},
		{sig("org.freedesktop.login1.Manager.PrepareForShutdown", logindPath, true), "", SessionEnding},
		{sig("org.freedesktop.login1.Manager.PrepareForShutdown", logindPath, false), "", 0},
		{sig("org.freedesktop.login1.Manager.SessionRemoved", logindPath, "c7", ourSession), ourSession, SessionEnding},
		{sig("org.freedesktop.login1.Manager.SessionRemoved", logindPath, "c9", other), ourSession, 0},
		{sig("org.freedesktop.login1.Manager.SessionRemoved", logindPath, "c7"), ourSession, 0},
		{sig("org.freedesktop.DBus.NameAcquired", "/org/freedesktop/DBus", ":1.5"), "", 0},
	} {
		e, ok := classify(c.sig, c.session)
		if !ok {
			e = 0
		}
		if e != c.want {
			t.Errorf("%s %v on %s (session %q): %v, want %v", c.sig.Name, c.sig.Body, c.sig.Path, c.session, e, c.want)
		}
	}
}

// fakeLogind answers the one call the watcher makes.
type fakeLogind struct{}

func (fakeLogind) GetSessionByPID(uint32) (dbus.ObjectPath, *dbus.Error) { return ourSession, nil }

// TestWatchOnPrivateBus runs a private bus daemon and plays screensaver and
// logind on it (the watcher takes it for both buses), with an impostor that
// owns no name: its signals must be ignored.
func TestWatchOnPrivateBus(t *testing.T) {
	addr := privateBus(t)
	connect := func() *dbus.Conn {
		c, err := dbus.Connect(addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}
	own := func(c *dbus.Conn, name string) {
		if r, err := c.RequestName(name, dbus.NameFlagDoNotQueue); err != nil || r != dbus.RequestNameReplyPrimaryOwner {
			t.Fatalf("own %s: %v %v", name, r, err)
		}
	}
	login := connect()
	if err := login.Export(fakeLogind{}, logindPath, logindManager); err != nil {
		t.Fatal(err)
	}
	own(login, logind)
	saver := connect()
	for _, name := range screensavers {
		own(saver, name)
	}
	impostor := connect()

	events := make(chan Event, 32)
	w := &watcher{gate: gate{on: func(e Event) { events <- e }}}
	w.listen(connect(), true, true)
	defer w.stop()

	emit := func(c *dbus.Conn, path dbus.ObjectPath, name string, args ...any) {
		t.Helper()
		if err := c.Emit(path, name, args...); err != nil {
			t.Fatal(err)
		}
	}
	expect := func(want ...Event) {
		t.Helper()
		for _, e := range want {
			select {
			case got := <-events:
				if got != e {
					t.Fatalf("got %v, want %v", got, e)
				}
			case <-time.After(10 * time.Second): // a hang guard, not a timing check
				t.Fatalf("no %v within 10 s", e)
			}
		}
	}

	// The impostor's signals first; a call it makes after them returns
	// only once the bus has routed them (it handles one connection's
	// messages in order), so they come before anything sent later.
	emit(impostor, "/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver.ActiveChanged", true)
	emit(impostor, logindPath, logindManager+".PrepareForSleep", true)
	emit(impostor, ourSession, logindSession+".Lock")
	var id string
	if err := impostor.BusObject().Call("org.freedesktop.DBus.GetId", 0).Store(&id); err != nil {
		t.Fatal(err)
	}
	emit(login, logindPath, logindManager+".PrepareForSleep", false)
	expect(Resumed) // not the impostor's ScreenLocked or Sleeping

	for _, name := range screensavers {
		path := dbus.ObjectPath("/" + strings.ReplaceAll(name, ".", "/"))
		emit(saver, path, name+".ActiveChanged", false)
		emit(saver, path, name+".ActiveChanged", true)
		expect(ScreenLocked)
	}

	emit(login, "/org/freedesktop/login1/session/c9", logindSession+".Lock") // another session's
	emit(login, ourSession, logindSession+".Lock")
	emit(login, logindPath, logindManager+".PrepareForSleep", true)
	emit(login, logindPath, logindManager+".SessionRemoved", "c9", dbus.ObjectPath("/org/freedesktop/login1/session/c9"))
	emit(login, logindPath, logindManager+".SessionRemoved", "c7", ourSession)
	emit(login, logindPath, logindManager+".PrepareForShutdown", true)
	emit(login, logindPath, logindManager+".PrepareForSleep", false)
	expect(ScreenLocked, Sleeping, SessionEnding, SessionEnding, Resumed)

	w.stop()
	select {
	case e := <-events:
		t.Fatalf("an extra event %v", e)
	default:
	}
}

// TestWatchWithoutBuses: no session bus and no system bus is a normal
// state: no events, no panic, and stop works.
func TestWatchWithoutBuses(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/keyshelf-test-bus")
	t.Setenv("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/nonexistent/keyshelf-test-system-bus")
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
	stop := Watch(func(e Event) { t.Errorf("event %v without a bus", e) })
	stop()
	stop() // twice is fine
}

// privateBus is a private session bus for the test (see package testbus).
func privateBus(t *testing.T) string { return testbus.Start(t) }
