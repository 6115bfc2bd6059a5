package main

import (
	"os"
	"path/filepath"
	"strings"

	"keyshelf/gui/autostart"
)

// loginItem is the login item for this program (Settings ▸ Start at login),
// or false when it runs from a temporary folder (go run, a test build),
// where an entry would outlive the program.
func loginItem() (autostart.Item, bool) {
	exe, err := os.Executable()
	if err != nil {
		return autostart.Item{}, false
	}
	if real, err := filepath.EvalSymlinks(exe); err == nil {
		exe = real
	}
	tmp := os.TempDir()
	if real, err := filepath.EvalSymlinks(tmp); err == nil {
		tmp = real
	}
	if strings.HasPrefix(exe, tmp+string(filepath.Separator)) {
		return autostart.Item{}, false
	}
	return autostart.Item{ID: appID, Name: "Keyshelf", Exec: exe}, true
}
