package gui

import (
	"time"

	"fyne.io/fyne/v2"
)

// Preference keys. Preferences hold settings only, never a key or a
// passphrase; Fyne stores them in a plain file.
const (
	// PrefVaultPath is the vault the window opens when neither --vault nor
	// KEYSHELF_VAULT names one: the last vault the user picked.
	PrefVaultPath      = "vault.path"
	prefClearSeconds   = "clipboard.clearSeconds"
	prefAutoLockMins   = "lock.idleMinutes"
	prefStartHidden    = "tray.startHidden"
	prefLockOnScreen   = "lock.onScreenLock"
	prefTheme          = "appearance.theme" // themeSystem, themeLight or themeDark
	defaultClearSecs   = 30
	defaultAutoLockMin = 5
	maxClearSecs       = 600
	maxAutoLockMin     = 1440
)

// Theme choices stored under prefTheme.
const (
	themeSystem = "system"
	themeLight  = "light"
	themeDark   = "dark"
)

// settings reads and writes the window's preferences.
type settings struct{ p fyne.Preferences }

// ClearAfter is how long a copied key stays on the clipboard (5 s to 10 min).
func (s settings) ClearAfter() time.Duration {
	n := s.p.IntWithFallback(prefClearSeconds, defaultClearSecs)
	return time.Duration(min(max(n, 5), maxClearSecs)) * time.Second
}

// AutoLock is how long the window may sit idle while unlocked before it
// locks itself; 0 means never.
func (s settings) AutoLock() time.Duration {
	n := s.p.IntWithFallback(prefAutoLockMins, defaultAutoLockMin)
	if n <= 0 {
		return 0
	}
	return time.Duration(min(n, maxAutoLockMin)) * time.Minute
}

// LockOnScreenLock reports whether the vault locks when the screen locks,
// the computer sleeps or the session ends (on unless turned off).
func (s settings) LockOnScreenLock() bool { return s.p.BoolWithFallback(prefLockOnScreen, true) }

// StartHidden reports whether the app starts in the tray without a window
// (honoured only when a tray is there to bring it back).
func (s settings) StartHidden() bool { return s.p.BoolWithFallback(prefStartHidden, false) }

// Theme is themeSystem, themeLight or themeDark.
func (s settings) Theme() string {
	switch t := s.p.StringWithFallback(prefTheme, themeSystem); t {
	case themeLight, themeDark:
		return t
	}
	return themeSystem
}
