//go:build darwin

package autostart

import (
	"fmt"
	"os"
	"path/filepath"
)

// Supported reports whether Enable can work here.
const Supported = true

// systemPlace is ~/Library/LaunchAgents, whose property lists launchd loads
// at login.
func systemPlace() (place, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return place{}, fmt.Errorf("no folder for login items: %w", err)
	}
	return place{dir: filepath.Join(home, "Library", "LaunchAgents"), suffix: ".plist", render: LaunchAgent}, nil
}
