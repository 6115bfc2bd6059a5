//go:build (linux && !android) || freebsd || openbsd || netbsd || dragonfly

package secretclip

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// wlPaste reads the Wayland clipboard's text as another program would;
// an empty clipboard reads as "".
func wlPaste(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("wl-paste", "--no-newline").CombinedOutput()
	if err != nil {
		if strings.Contains(string(out), "No selection") {
			return ""
		}
		t.Fatalf("wl-paste: %v: %s", err, out)
	}
	return string(out)
}

// wlCopyText puts text on the clipboard the way another program does.
func wlCopyText(t *testing.T, text string) {
	t.Helper()
	// wl-copy leaves a child serving the text; its output goes nowhere so
	// that Run need not wait for the child to close it.
	cmd := exec.Command("wl-copy")
	cmd.Stdin = strings.NewReader(text)
	if err := cmd.Run(); err != nil {
		t.Fatalf("wl-copy: %v", err)
	}
}

// TestRealWaylandClipboard copies keys to the clipboard of a real Wayland
// compositor (headless Sway, no window has the focus) through wl-copy and
// reads them back with wl-paste, as another program would. `make
// test-wayland` runs it under scripts/with-sway.sh with
// KEYSHELF_REAL_WAYLAND=1, which turns a missing compositor into a failure.
func TestRealWaylandClipboard(t *testing.T) {
	if os.Getenv("WAYLAND_DISPLAY") == "" {
		if os.Getenv("KEYSHELF_REAL_WAYLAND") != "" {
			t.Fatal("KEYSHELF_REAL_WAYLAND is set but WAYLAND_DISPLAY is not: run under scripts/with-sway.sh")
		}
		t.Skip("no Wayland compositor (WAYLAND_DISPLAY unset); make test-wayland runs this under headless Sway")
	}
	c, err := New()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if c.wl == nil {
		t.Fatal("New on Wayland did not choose wl-copy")
	}

	const key = "sk-proj-FAKEwayland0123456789abcdef"
	if err := c.Set(key); err != nil {
		t.Fatal(err)
	}
	if got := wlPaste(t); got != key {
		t.Fatalf("after Set the clipboard holds %d bytes, not the key", len(got))
	}
	if s, ok := c.Owns(); !ok || s != key {
		t.Fatal("Owns does not report the key it put there")
	}
	// The key is never on wl-copy's command line, where ps would show it.
	if out, err := exec.Command("ps", "-eo", "args").Output(); err != nil {
		t.Fatal(err)
	} else if strings.Contains(string(out), key) {
		t.Fatal("the key shows in the process list")
	}

	// The clear time: Set("") empties the clipboard, without the focus.
	if err := c.Set(""); err != nil {
		t.Fatal(err)
	}
	if got := wlPaste(t); got != "" {
		t.Fatalf("after Set(\"\") the clipboard still holds %d bytes", len(got))
	}
	if _, ok := c.Owns(); ok {
		t.Fatal("Owns reports a key after Set(\"\")")
	}

	// Another copy replaces the first.
	const second = "ghp_FAKEwaylandSECOND0123456789abcdefgh"
	if err := c.Set(key); err != nil {
		t.Fatal(err)
	}
	if err := c.Set(second); err != nil {
		t.Fatal(err)
	}
	if got := wlPaste(t); got != second {
		t.Fatalf("after a second Set the clipboard holds %d bytes, not the second key", len(got))
	}

	// The user copies something else: Owns says so, and the clear leaves
	// the user's text alone.
	const user = "the user's own text"
	wlCopyText(t, user)
	waitGone(t, c)
	if err := c.Set(""); err != nil {
		t.Fatal(err)
	}
	if got := wlPaste(t); got != user {
		t.Fatalf("the clear took the user's text: the clipboard holds %q", got)
	}

	// Quitting with a key on the clipboard empties it.
	if err := c.Set(key); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if got := wlPaste(t); got != "" {
		t.Fatalf("after Close the clipboard still holds %d bytes", len(got))
	}
}

// waitGone waits until Owns sees that another program took the clipboard
// (wl-copy ends when that happens; wl-paste above has already seen the new
// content, so it is a matter of the process exiting).
func waitGone(t *testing.T, c *Clipboard) {
	t.Helper()
	c.wl.mu.Lock()
	cur := c.wl.cur
	c.wl.mu.Unlock()
	if cur != nil {
		<-cur.done
	}
	if _, ok := c.Owns(); ok {
		t.Fatal("Owns still reports the key after another program took the clipboard")
	}
}
