//go:build !windows && !darwin

package autostart

import (
	"fmt"
	"os"
	"path/filepath"
)

// Supported reports whether Enable can work here.
const Supported = true

// systemPlace is the XDG autostart folder, $XDG_CONFIG_HOME/autostart
// (~/.config/autostart), which GNOME, KDE, Xfce and the others read at login.
func systemPlace() (place, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return place{}, fmt.Errorf("no folder for login items: %w", err)
	}
	return place{dir: filepath.Join(dir, "autostart"), suffix: ".desktop", render: DesktopEntry}, nil
}
