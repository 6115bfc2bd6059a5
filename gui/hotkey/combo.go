// Package hotkey registers a system-wide keyboard shortcut (a "global
// hotkey") that calls a function from any program. It does not import Fyne:
// the function runs on the package's own goroutine, and callers hand UI work
// back to their toolkit themselves (fyne.Do).
//
// Supported: X11 (Linux and the BSDs) through the X protocol's XGrabKey, and
// Windows through RegisterHotKey. Wayland lets no program grab keys
// (ErrWayland); macOS is not done yet (ErrUnsupported).
package hotkey

import (
	"errors"
	"fmt"
	"strings"
)

// Mod is a set of modifier keys.
type Mod uint8

// The modifiers a Combo can hold.
const (
	Ctrl Mod = 1 << iota
	Alt
	Shift
	Super
)

// modNames lists the modifiers in the order String writes them.
var modNames = []struct {
	mod  Mod
	name string
}{
	{Ctrl, "Ctrl"}, {Alt, "Alt"}, {Shift, "Shift"}, {Super, "Super"},
}

// modAliases maps the lower-case spellings Parse accepts to a modifier.
var modAliases = map[string]Mod{
	"ctrl": Ctrl, "control": Ctrl,
	"alt":   Alt,
	"shift": Shift,
	"super": Super, "win": Super, "meta": Super,
}

// Combo is one shortcut: at least one modifier and one key.
type Combo struct {
	// Mods holds the modifiers that must be down.
	Mods Mod
	// Key is the key's canonical name: "A"-"Z", "0"-"9", "Space" or "F1"-"F12".
	Key string
}

// ErrTaken reports that another program already holds the combination.
type ErrTaken struct {
	// Combo is the combination that could not be registered.
	Combo Combo
}

// Error says which combination is taken.
func (e *ErrTaken) Error() string {
	return "another program already uses " + e.Combo.String()
}

// ErrWayland is returned on a Wayland session, where programs may not grab
// keys; the user binds `keyshelf show` as a system shortcut instead.
var ErrWayland = errors.New("this desktop (wayland) does not let programs set global shortcuts")

// ErrUnsupported is returned where this package has no implementation.
var ErrUnsupported = errors.New("global shortcuts are not supported on this system yet")

// Parse reads a combination such as "Ctrl+Alt+K": modifiers (Ctrl, Alt,
// Shift, Super) and one key (A-Z, 0-9, Space, F1-F12), joined by "+",
// in any case and order.
func Parse(s string) (Combo, error) {
	var c Combo
	if strings.TrimSpace(s) == "" {
		return c, errors.New("empty shortcut: give modifiers and a key, such as Ctrl+Alt+K")
	}
	parts := strings.Split(s, "+")
	for i, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" {
			return Combo{}, fmt.Errorf("shortcut %q has an empty part: join modifiers and a key with +, such as Ctrl+Alt+K", s)
		}
		if i < len(parts)-1 {
			m, ok := modAliases[strings.ToLower(p)]
			if !ok {
				return Combo{}, fmt.Errorf("shortcut %q: %q is not a modifier (use Ctrl, Alt, Shift or Super)", s, p)
			}
			if c.Mods&m != 0 {
				return Combo{}, fmt.Errorf("shortcut %q names %s twice", s, p)
			}
			c.Mods |= m
			continue
		}
		if _, isMod := modAliases[strings.ToLower(p)]; isMod {
			return Combo{}, fmt.Errorf("shortcut %q has no key after the modifiers, such as Ctrl+Alt+K", s)
		}
		k, ok := canonicalKey(p)
		if !ok {
			return Combo{}, fmt.Errorf("shortcut %q: %q is not a key this app can use (use A-Z, 0-9, Space or F1-F12)", s, p)
		}
		c.Key = k
	}
	if c.Mods == 0 {
		return Combo{}, fmt.Errorf("shortcut %q needs at least one modifier (Ctrl, Alt, Shift or Super)", s)
	}
	if c.Mods == Shift && !isFKey(c.Key) {
		return Combo{}, fmt.Errorf("shortcut %q would stop Shift+%s from typing: add Ctrl, Alt or Super", s, c.Key)
	}
	return c, nil
}

// String writes the combination as Parse reads it, modifiers in the order
// Ctrl, Alt, Shift, Super: "Ctrl+Alt+K".
func (c Combo) String() string {
	var b strings.Builder
	for _, m := range modNames {
		if c.Mods&m.mod != 0 {
			b.WriteString(m.name)
			b.WriteByte('+')
		}
	}
	b.WriteString(c.Key)
	return b.String()
}

// canonicalKey returns the canonical name of a key, or false.
func canonicalKey(p string) (string, bool) {
	u := strings.ToUpper(p)
	if len(u) == 1 && (u[0] >= 'A' && u[0] <= 'Z' || u[0] >= '0' && u[0] <= '9') {
		return u, true
	}
	if u == "SPACE" {
		return "Space", true
	}
	if isFKey(u) {
		return u, true
	}
	return "", false
}

// isFKey reports whether k is "F1" to "F12" (upper case).
func isFKey(k string) bool {
	switch k {
	case "F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9", "F10", "F11", "F12":
		return true
	}
	return false
}

// fNumber returns n for the key "Fn" (1-12), or 0.
func fNumber(k string) int {
	if !isFKey(k) {
		return 0
	}
	n := 0
	for _, r := range k[1:] {
		n = n*10 + int(r-'0')
	}
	return n
}
