//go:build linux || freebsd || openbsd || netbsd

package desktop

import (
	"context"
	"os"
	"time"

	"github.com/godbus/dbus/v5"
)

// Supported reports whether Watch can report anything on this system. Here
// it can, when the buses and the services on them are there.
const Supported = true

// The screensavers that announce ActiveChanged(bool) on the session bus,
// each under its own name as sender, interface and (by convention) path.
var screensavers = []string{
	"org.freedesktop.ScreenSaver", // KDE and others
	"org.gnome.ScreenSaver",
	"org.mate.ScreenSaver",
	"org.xfce.ScreenSaver",
}

const (
	logind        = "org.freedesktop.login1"
	logindPath    = dbus.ObjectPath("/org/freedesktop/login1")
	logindManager = "org.freedesktop.login1.Manager"
	logindSession = "org.freedesktop.login1.Session"
)

// callTimeout bounds each call to logind, which might be slow to start.
const callTimeout = 5 * time.Second

// Watch starts watching the session bus and the system bus in the
// background and calls on, from a goroutine of its own and one event at a
// time, for each event until stop is called. It never starts a bus.
func Watch(on func(Event)) (stop func()) {
	w := &watcher{gate: gate{on: on}}
	go func() {
		if c, err := sessionBus(); err == nil {
			w.listen(c, true, false)
		}
		if c, err := dbus.ConnectSystemBus(); err == nil {
			w.listen(c, false, true)
		}
	}()
	return w.stop
}

// sessionBus connects to the session bus if there is one; unlike
// dbus.ConnectSessionBus it does not launch one.
func sessionBus() (*dbus.Conn, error) {
	c, err := dbus.SessionBusPrivateNoAutoStartup()
	if err != nil {
		return nil, err
	}
	if err := c.Auth(nil); err != nil {
		c.Close()
		return nil, err
	}
	if err := c.Hello(); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// watcher turns the signals of its connections into events.
type watcher struct {
	gate
	conns []*dbus.Conn
}

// listen subscribes on c to the screensavers' signals, logind's, or both,
// and hands the events they bring to w.on until w stops. It returns once
// the subscriptions are in place; w owns c from then on (and closes it at
// once if w has stopped).
func (w *watcher) listen(c *dbus.Conn, screensaver, login bool) {
	w.mu.Lock()
	if w.stopped {
		w.mu.Unlock()
		c.Close()
		return
	}
	w.conns = append(w.conns, c)
	w.mu.Unlock()

	var rules [][]dbus.MatchOption
	if screensaver {
		for _, name := range screensavers {
			rules = append(rules, []dbus.MatchOption{dbus.WithMatchSender(name),
				dbus.WithMatchInterface(name), dbus.WithMatchMember("ActiveChanged")})
		}
	}
	var session dbus.ObjectPath
	if login {
		for _, member := range []string{"PrepareForSleep", "PrepareForShutdown", "SessionRemoved"} {
			rules = append(rules, []dbus.MatchOption{dbus.WithMatchSender(logind),
				dbus.WithMatchInterface(logindManager), dbus.WithMatchMember(member)})
		}
		if session = ownSession(c); session != "" {
			rules = append(rules, []dbus.MatchOption{dbus.WithMatchSender(logind),
				dbus.WithMatchInterface(logindSession), dbus.WithMatchMember("Lock"),
				dbus.WithMatchObjectPath(session)})
		}
	}
	for _, r := range rules {
		ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
		err := c.AddMatchSignalContext(ctx, r...)
		cancel()
		if err != nil {
			return // a broken connection: no events from it
		}
	}
	sigs := make(chan *dbus.Signal, 16)
	c.Signal(sigs)
	go func() {
		for sig := range sigs { // closed when c closes
			if e, ok := classify(sig, session); ok {
				w.deliver(e)
			}
		}
	}()
}

// ownSession is the logind session object of this process, or "" when it
// has none (started outside a login session) or logind is not there.
func ownSession(c *dbus.Conn) dbus.ObjectPath {
	m := c.Object(logind, logindPath)
	var path dbus.ObjectPath
	ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
	defer cancel()
	if m.CallWithContext(ctx, logindManager+".GetSessionByPID", 0, uint32(os.Getpid())).Store(&path) == nil {
		return path
	}
	if id := os.Getenv("XDG_SESSION_ID"); id != "" {
		if m.CallWithContext(ctx, logindManager+".GetSession", 0, id).Store(&path) == nil {
			return path
		}
	}
	return ""
}

// stop closes the connections; on is not called after stop returns.
func (w *watcher) stop() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.stopped = true
	for _, c := range w.conns {
		c.Close()
	}
	w.conns = nil
}

// classify turns a signal into an event. session is this process's logind
// session ("" if unknown); the bus has already checked the sender.
func classify(sig *dbus.Signal, session dbus.ObjectPath) (Event, bool) {
	arg := func(i int) any {
		if i < len(sig.Body) {
			return sig.Body[i]
		}
		return nil
	}
	on, _ := arg(0).(bool)
	switch sig.Name {
	case "org.freedesktop.ScreenSaver.ActiveChanged", "org.gnome.ScreenSaver.ActiveChanged",
		"org.mate.ScreenSaver.ActiveChanged", "org.xfce.ScreenSaver.ActiveChanged":
		return ScreenLocked, on
	case logindSession + ".Lock":
		return ScreenLocked, session != "" && sig.Path == session
	case logindManager + ".PrepareForSleep":
		if _, ok := arg(0).(bool); !ok {
			return 0, false
		}
		if on {
			return Sleeping, true
		}
		return Resumed, true
	case logindManager + ".PrepareForShutdown":
		return SessionEnding, on
	case logindManager + ".SessionRemoved":
		path, _ := arg(1).(dbus.ObjectPath)
		return SessionEnding, session != "" && path == session
	}
	return 0, false
}
