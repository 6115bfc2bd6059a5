//go:build (linux && !android) || freebsd || openbsd || netbsd || dragonfly

package secretclip

import (
	"errors"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"
)

// Without an X display (a Wayland session without XWayland, or none at
// all) New says ErrUnsupported, and the caller uses the app's clipboard.
func TestNewWithoutXSaysSo(t *testing.T) {
	t.Setenv("WAYLAND_DISPLAY", "wayland-0")
	t.Setenv("DISPLAY", "")
	if c, err := New(); !errors.Is(err, ErrUnsupported) {
		if c != nil {
			c.Close()
		}
		t.Fatalf("New without DISPLAY: %v, want ErrUnsupported", err)
	}
}

// xclip reads the CLIPBOARD selection with xclip -o and returns the output.
func xclip(t *testing.T, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command("xclip", append([]string{"-selection", "clipboard"}, args...)...)
	out, err := cmd.Output()
	return string(out), err
}

// TestRealX11SecretClipboard owns the clipboard of a real X server and reads
// it back with xclip, as another program would. `make test-window` runs it
// under scripts/with-xvfb.sh with KEYSHELF_REAL_X11=1, which turns a missing
// display into a failure.
func TestRealX11SecretClipboard(t *testing.T) {
	if os.Getenv("DISPLAY") == "" {
		if os.Getenv("KEYSHELF_REAL_X11") != "" {
			t.Fatal("KEYSHELF_REAL_X11 is set but DISPLAY is not: run under scripts/with-xvfb.sh")
		}
		t.Skip("no X display (DISPLAY unset); make test-window runs this under Xvfb")
	}
	if _, err := exec.LookPath("xclip"); err != nil {
		t.Fatal("xclip not found (scripts/install-deps.sh test)")
	}
	t.Setenv("WAYLAND_DISPLAY", "")
	t.Setenv("XDG_SESSION_TYPE", "x11")
	c, err := New()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	const key = "sk-proj-FAKEsecretclip0123456789"
	if err := c.Set(key); err != nil {
		t.Fatal(err)
	}
	if got, err := xclip(t, "-o"); err != nil || got != key {
		t.Fatalf("xclip -o = %q, %v; want the key", got, err)
	}
	for _, target := range []string{"UTF8_STRING", "text/plain;charset=utf-8", "STRING"} {
		if got, err := xclip(t, "-o", "-t", target); err != nil || got != key {
			t.Errorf("xclip -o -t %s = %q, %v", target, got, err)
		}
	}
	targets, err := xclip(t, "-o", "-t", "TARGETS")
	if err != nil || !slices.Contains(strings.Fields(targets), HintTarget) {
		t.Fatalf("TARGETS = %q, %v; want %s among them", targets, err, HintTarget)
	}
	if got, err := xclip(t, "-o", "-t", HintTarget); err != nil || got != HintValue {
		t.Fatalf("xclip -o -t %s = %q, %v; want %q", HintTarget, got, err, HintValue)
	}
	if s, ok := c.Owns(); !ok || s != key {
		t.Fatalf("Owns = %q, %v while it holds the key", s, ok)
	}

	// Another program copies: ours no more, and nothing of the key is kept.
	// xclip -i stays behind to serve its text: no output is read from it,
	// or the read would wait for it to end.
	cp := exec.Command("xclip", "-selection", "clipboard", "-i")
	cp.Stdin = strings.NewReader("the user's own text")
	if err := cp.Run(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = exec.Command("pkill", "-f", "^xclip -selection clipboard -i$").Run() })
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, ok := c.Owns(); !ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("still owns the clipboard 10 s after xclip took it")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if got, _ := xclip(t, "-o"); got != "the user's own text" {
		t.Fatalf("xclip -o = %q after the user's copy", got)
	}

	// Set again, then give it up: the clipboard is empty.
	if err := c.Set(key); err != nil {
		t.Fatal(err)
	}
	if err := c.Set(""); err != nil {
		t.Fatal(err)
	}
	if got, err := xclip(t, "-o"); err == nil && got != "" {
		t.Fatalf("xclip -o = %q after Set(\"\"), want nothing", got)
	}
	if _, ok := c.Owns(); ok {
		t.Fatal("Owns after Set(\"\")")
	}
}
