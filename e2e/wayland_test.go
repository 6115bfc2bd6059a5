//go:build window

package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestRealWaylandClearWithoutFocus runs the window on a Wayland session:
// headless Sway with XWayland (`make test-wayland`, scripts/with-sway.sh).
// A key copied there reaches Wayland programs through XWayland
// (gui/secretclip's X11 selection); the user then moves to another
// workspace, so that no Keyshelf window has the focus, and after the clear
// time the Wayland clipboard is empty. Issue #12: "on Wayland, a clear that works while the
// window is unfocused".
func TestRealWaylandClearWithoutFocus(t *testing.T) {
	if os.Getenv("WAYLAND_DISPLAY") == "" || os.Getenv("SWAYSOCK") == "" {
		if os.Getenv("KEYSHELF_REAL_WAYLAND") != "" {
			t.Fatal("KEYSHELF_REAL_WAYLAND is set but there is no Sway: run under XWAYLAND=1 scripts/with-sway.sh")
		}
		t.Skip("no Wayland session (make test-wayland runs this under headless Sway)")
	}
	for _, tool := range []string{"wl-paste", "swaymsg"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s not found (scripts/install-deps.sh test)", tool)
		}
	}
	f := newFixture(t)
	f.start()
	f.unlock()
	copied := f.copyByTyping()

	if got := wlPaste(t); got != f.key {
		t.Fatalf("Wayland programs read %d bytes from the clipboard, not the key", len(got))
	}
	// Which types Wayland programs are offered is XWayland's choice: Sway's
	// (wlroots) passes only text and MIME-type targets on, so the
	// password-manager hint, which X programs see, does not reach them.
	if types, err := exec.Command("wl-paste", "--list-types").Output(); err == nil {
		t.Logf("Wayland programs are offered %q", strings.Fields(string(types)))
	}

	// Another workspace: nothing of Keyshelf's has the focus any more.
	if out, err := exec.Command("swaymsg", "workspace", "2").CombinedOutput(); err != nil {
		t.Fatalf("swaymsg workspace 2: %v: %s", err, out)
	}
	tree, err := exec.Command("swaymsg", "-t", "get_tree").Output()
	if err != nil {
		t.Fatal(err)
	}
	if name := focusedName(tree); name == "" || name == "Keyshelf" {
		t.Fatalf("the focus is on %q, not on the empty workspace", name)
	} else {
		t.Logf("the focus is on %q", name)
	}

	deadline := copied.Add(clearAfter + 4*time.Second)
	for wlPaste(t) != "" {
		if time.Now().After(deadline) {
			t.Fatalf("%v after the copy, with the window unfocused, the Wayland clipboard still holds the key (clear time %v)",
				time.Since(copied).Round(100*time.Millisecond), clearAfter)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if took := time.Since(copied); took < clearAfter-time.Second {
		t.Fatalf("the clipboard was emptied %v after the copy, before the clear time of %v", took, clearAfter)
	}
	if !f.alive() {
		t.Fatal("the app exited: the clipboard is empty because its owner is gone, not because it was cleared")
	}
	t.Logf("the Wayland clipboard was emptied %v after the copy, without the focus", time.Since(copied).Round(100*time.Millisecond))
}

// wlPaste reads the Wayland clipboard's text; empty reads as "".
func wlPaste(t *testing.T) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "wl-paste", "--no-newline").CombinedOutput()
	if err != nil {
		if bytes.Contains(out, []byte("No selection")) {
			return ""
		}
		t.Fatalf("wl-paste: %v", err) // its output may be a key: not printed
	}
	return string(out)
}

// swayNode is the part of a node of swaymsg's get_tree that focusedName
// reads.
type swayNode struct {
	Name          string     `json:"name"`
	Focused       bool       `json:"focused"`
	Nodes         []swayNode `json:"nodes"`
	FloatingNodes []swayNode `json:"floating_nodes"`
}

// focusedName is the name of the focused node in swaymsg's get_tree JSON
// ("" if none, or if it cannot be read).
func focusedName(tree []byte) string {
	var root swayNode
	if json.Unmarshal(tree, &root) != nil {
		return ""
	}
	var find func(n swayNode) (string, bool)
	find = func(n swayNode) (string, bool) {
		if n.Focused {
			return n.Name, true
		}
		for _, c := range append(n.Nodes, n.FloatingNodes...) {
			if name, ok := find(c); ok {
				return name, true
			}
		}
		return "", false
	}
	name, _ := find(root)
	return name
}
