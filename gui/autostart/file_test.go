//go:build !windows

package autostart

import (
	"os"
	"path/filepath"
	"testing"
)

// The files' life: written private and whole, found, replaced for another
// program path, removed, and removal again is no error.
func TestPlace(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "autostart")
	p := place{dir: dir, suffix: ".desktop", render: DesktopEntry}
	if on, err := p.enabled(item); err != nil || on {
		t.Fatalf("enabled before enable: %v, %v", on, err)
	}
	if err := p.enable(item); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(dir, "dev.keyshelf.app.desktop"))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
	if on, err := p.enabled(item); err != nil || !on {
		t.Fatalf("enabled after enable: %v, %v", on, err)
	}
	moved := item
	moved.Exec = "/usr/local/bin/keyshelf"
	if on, _ := p.enabled(moved); on {
		t.Fatal("an entry for another program path counts as enabled")
	}
	if err := p.enable(moved); err != nil {
		t.Fatal(err)
	}
	if on, _ := p.enabled(moved); !on {
		t.Fatal("not enabled after re-enabling at the new path")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("%d files in the folder after two enables, want 1 (no temporary or backup files)", len(entries))
	}
	if err := p.disable(moved); err != nil {
		t.Fatal(err)
	}
	if on, _ := p.enabled(moved); on {
		t.Fatal("enabled after disable")
	}
	if err := p.disable(moved); err != nil {
		t.Fatalf("second disable: %v", err)
	}
}
