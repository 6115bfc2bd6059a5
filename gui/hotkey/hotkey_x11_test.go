//go:build (linux && !android) || freebsd || openbsd || netbsd || dragonfly

package hotkey

import (
	"errors"
	"os"
	"os/exec"
	"testing"
	"time"
)

func TestRegisterOnWaylandSaysSo(t *testing.T) {
	t.Setenv("WAYLAND_DISPLAY", "wayland-0")
	stop, err := Register(Combo{Ctrl | Alt, "K"}, func() {})
	if !errors.Is(err, ErrWayland) {
		if stop != nil {
			_ = stop()
		}
		t.Fatalf("Register on Wayland: %v, want ErrWayland", err)
	}
	t.Setenv("WAYLAND_DISPLAY", "")
	t.Setenv("XDG_SESSION_TYPE", "wayland")
	if _, err := Register(Combo{Ctrl | Alt, "K"}, func() {}); !errors.Is(err, ErrWayland) {
		t.Fatalf("Register with XDG_SESSION_TYPE=wayland: %v, want ErrWayland", err)
	}
}

func TestKeysym(t *testing.T) {
	for k, want := range map[string]uint32{"A": 'a', "Z": 'z', "0": '0', "9": '9', "Space": 0x20, "F1": 0xffbe, "F12": 0xffc9} {
		got, ok := keysym(k)
		if !ok || uint32(got) != want {
			t.Errorf("keysym(%q) = %#x, %v; want %#x", k, uint32(got), ok, want)
		}
	}
	if _, ok := keysym("Enter"); ok {
		t.Errorf("keysym(Enter) accepted")
	}
}

// TestRealX11Hotkey grabs Ctrl+Alt+K on a real X server and presses it with
// xdotool. `make test-window` runs it under scripts/with-xvfb.sh with
// KEYSHELF_REAL_X11=1, which turns a missing display into a failure.
func TestRealX11Hotkey(t *testing.T) {
	display := os.Getenv("DISPLAY")
	if display == "" {
		if os.Getenv("KEYSHELF_REAL_X11") != "" {
			t.Fatal("KEYSHELF_REAL_X11 is set but DISPLAY is not: run under scripts/with-xvfb.sh")
		}
		t.Skip("no X display (DISPLAY unset); make test-window runs this under Xvfb")
	}
	if _, err := exec.LookPath("xdotool"); err != nil {
		t.Fatalf("xdotool not found: %v (scripts/install-deps.sh test)", err)
	}
	combo := Combo{Ctrl | Alt, "K"}
	press := func(keys string) {
		t.Helper()
		if out, err := exec.Command("xdotool", "key", keys).CombinedOutput(); err != nil {
			t.Fatalf("xdotool key %s: %v: %s", keys, err, out)
		}
	}
	waitFire := func(fired <-chan struct{}, what string) {
		t.Helper()
		select {
		case <-fired:
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: the hotkey did not fire within 5 s", what)
		}
	}

	fired := make(chan struct{}, 10)
	began := time.Now()
	stop, err := registerX11(display, combo, func() { fired <- struct{}{} })
	if err != nil {
		t.Fatalf("Register: %v", err)
	}
	t.Logf("Register took %v (connect, keyboard map, 4 grabs)", time.Since(began).Round(10*time.Microsecond))
	press("ctrl+alt+k")
	waitFire(fired, "ctrl+alt+k")
	// NumLock on must not break it (the Mod2 variant of the grab).
	press("Num_Lock")
	press("ctrl+alt+k")
	waitFire(fired, "ctrl+alt+k with NumLock on")
	press("Num_Lock")
	// Another key with the same modifiers does not fire.
	press("ctrl+alt+j")
	press("ctrl+alt+k")
	waitFire(fired, "ctrl+alt+k after ctrl+alt+j")
	select {
	case <-fired:
		t.Fatal("the hotkey fired for ctrl+alt+j too")
	default:
	}

	// A second connection (as another program would) finds it taken.
	stop2, err := registerX11(display, combo, func() {})
	var taken *ErrTaken
	if !errors.As(err, &taken) {
		if stop2 != nil {
			_ = stop2()
		}
		_ = stop()
		t.Fatalf("second Register: %v, want ErrTaken", err)
	}
	if err.Error() != "another program already uses Ctrl+Alt+K" {
		t.Errorf("ErrTaken says %q", err)
	}

	if err := stop(); err != nil {
		t.Fatalf("stop: %v", err)
	}
	if err := stop(); err != nil {
		t.Fatalf("second stop: %v", err)
	}
	fired3 := make(chan struct{}, 10)
	stop3, err := registerX11(display, combo, func() { fired3 <- struct{}{} })
	if err != nil {
		t.Fatalf("Register after stop: %v", err)
	}
	defer func() { _ = stop3() }()
	press("ctrl+alt+k")
	waitFire(fired3, "ctrl+alt+k after re-registering")
	select {
	case <-fired:
		t.Fatal("the stopped registration still fired")
	default:
	}
}
