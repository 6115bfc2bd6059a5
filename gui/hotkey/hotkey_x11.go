//go:build (linux && !android) || freebsd || openbsd || netbsd || dragonfly

package hotkey

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"
)

// Register grabs c on the X11 root window and calls fire (on a goroutine of
// its own) each time the combination is pressed, whatever program has the
// focus. stop releases the grab and closes the X connection; fire is not
// called after stop has returned, except for a press already being handled.
//
// Errors: *ErrTaken when another program holds the combination, ErrWayland on
// a Wayland session (programs may not grab keys there), and a wrapped error
// when no X display can be reached.
func Register(c Combo, fire func()) (stop func() error, err error) {
	if os.Getenv("XDG_SESSION_TYPE") == "wayland" || os.Getenv("WAYLAND_DISPLAY") != "" {
		return nil, ErrWayland
	}
	return registerX11(os.Getenv("DISPLAY"), c, fire)
}

// The X11 modifier masks for Ctrl, Alt (Mod1), Shift and Super (Mod4), the
// usual mapping of every X server and desktop.
var x11Mods = map[Mod]uint16{
	Ctrl:  xproto.ModMaskControl,
	Alt:   xproto.ModMask1,
	Shift: xproto.ModMaskShift,
	Super: xproto.ModMask4,
}

// ignoredMods are the lock modifiers a press may carry: the grab is made
// for each combination of them, or the hotkey would die with NumLock or
// CapsLock on.
const ignoredMods = xproto.ModMaskLock | xproto.ModMask2

// keysym returns the X keysym of a canonical key name.
func keysym(k string) (xproto.Keysym, bool) {
	switch {
	case k == "Space":
		return 0x20, true
	case len(k) == 1 && k[0] >= 'A' && k[0] <= 'Z':
		return xproto.Keysym(k[0] - 'A' + 'a'), true // XK_a..XK_z
	case len(k) == 1 && k[0] >= '0' && k[0] <= '9':
		return xproto.Keysym(k[0]), true // XK_0..XK_9
	case fNumber(k) > 0:
		return xproto.Keysym(0xffbe + fNumber(k) - 1), true // XK_F1..
	}
	return 0, false
}

// registerX11 is Register on the given display ("" means $DISPLAY).
func registerX11(display string, c Combo, fire func()) (func() error, error) {
	sym, ok := keysym(c.Key)
	if !ok || c.Mods == 0 {
		return nil, fmt.Errorf("hotkey: %q is not a shortcut this app can register", c.String())
	}
	var mods uint16
	for m, x := range x11Mods {
		if c.Mods&m != 0 {
			mods |= x
		}
	}
	conn, err := xgb.NewConnDisplay(display)
	if err != nil {
		return nil, fmt.Errorf("hotkey: connect to the X display: %w", err)
	}
	setup := xproto.Setup(conn)
	root := setup.DefaultScreen(conn).Root
	code, err := keycodeFor(conn, setup, sym)
	if err != nil {
		conn.Close()
		return nil, err
	}

	variants := []uint16{0, xproto.ModMaskLock, xproto.ModMask2, xproto.ModMaskLock | xproto.ModMask2}
	ungrab := func() {
		for _, v := range variants {
			_ = xproto.UngrabKeyChecked(conn, code, root, mods|v).Check()
		}
	}
	for _, v := range variants {
		err := xproto.GrabKeyChecked(conn, true, root, mods|v, code,
			xproto.GrabModeAsync, xproto.GrabModeAsync).Check()
		if err == nil {
			continue
		}
		ungrab()
		conn.Close()
		var access xproto.AccessError
		if errors.As(err, &access) {
			return nil, &ErrTaken{Combo: c}
		}
		return nil, fmt.Errorf("hotkey: grab %s: %w", c.String(), err)
	}

	var stopped atomic.Bool
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			ev, xerr := conn.WaitForEvent()
			if ev == nil && xerr == nil {
				return // connection closed
			}
			kp, ok := ev.(xproto.KeyPressEvent)
			if !ok || kp.Detail != code || kp.State&^ignoredMods != mods {
				continue
			}
			if !stopped.Load() {
				fire()
			}
		}
	}()

	var once sync.Once
	return func() error {
		once.Do(func() {
			stopped.Store(true)
			ungrab()
			conn.Close()
		})
		return nil
	}, nil
}

// keycodeFor finds the keycode that produces sym in the server's keyboard map.
func keycodeFor(conn *xgb.Conn, setup *xproto.SetupInfo, sym xproto.Keysym) (xproto.Keycode, error) {
	first, last := setup.MinKeycode, setup.MaxKeycode
	m, err := xproto.GetKeyboardMapping(conn, first, byte(last-first+1)).Reply()
	if err != nil {
		return 0, fmt.Errorf("hotkey: read the keyboard map: %w", err)
	}
	per := int(m.KeysymsPerKeycode)
	if per == 0 {
		return 0, errors.New("hotkey: the X server sent an empty keyboard map")
	}
	upper := sym
	if sym >= 'a' && sym <= 'z' {
		upper = sym - 'a' + 'A'
	}
	for i, s := range m.Keysyms {
		if s == sym || s == upper {
			return first + xproto.Keycode(i/per), nil
		}
	}
	return 0, fmt.Errorf("hotkey: no key on this keyboard types keysym %#x", uint32(sym))
}
