//go:build !windows && !darwin

package autostart

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Enable writes into $XDG_CONFIG_HOME/autostart, where desktops look.
func TestEnableUsesXDGConfigHome(t *testing.T) {
	home := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", home)
	it := Item{ID: "dev.keyshelf.app", Name: "Keyshelf", Exec: "/usr/bin/keyshelf"}
	if err := it.Enable(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(home, "autostart", "dev.keyshelf.app.desktop"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "Exec=/usr/bin/keyshelf\n") {
		t.Fatalf("entry:\n%s", b)
	}
	if on, err := it.Enabled(); err != nil || !on {
		t.Fatalf("Enabled = %v, %v", on, err)
	}
	if err := it.Disable(); err != nil {
		t.Fatal(err)
	}
	if on, _ := it.Enabled(); on {
		t.Fatal("still enabled")
	}
}
