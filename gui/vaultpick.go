package gui

import (
	"errors"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"

	"keyshelf/vault"
	"keyshelf/vault/store"
)

// vaultFilter is the vault file picker's filter: it hides the files that
// Keyshelf keeps beside a vault (its .bak backup, its .lock and the
// temporary files of a save), which are never the vault to open.
type vaultFilter struct{}

// Matches reports whether the file u names may be a vault.
func (vaultFilter) Matches(u fyne.URI) bool { return !besideVault(u.Name()) }

// besideVault reports whether a file name is one of those Keyshelf keeps
// beside a vault.
func besideVault(name string) bool {
	return strings.HasSuffix(name, ".bak") || strings.HasSuffix(name, ".bak.tmp") ||
		strings.HasSuffix(name, filepath.Ext(store.LockPath("x"))) ||
		strings.HasPrefix(name, ".") && strings.Contains(name, ".tmp-")
}

// errLockFile: the file picked is a vault's lock file.
var errLockFile = errors.New("that is the lock file Keyshelf keeps beside a vault, not a vault: pick the vault file next to it")

// openChosen switches to the vault file the user picked, unless it cannot
// be one: a folder, or the lock file beside a vault.
func (u *UI) openChosen(path string) {
	if strings.HasSuffix(path, filepath.Ext(store.LockPath("x"))) {
		u.showError(errLockFile)
		return
	}
	if err := vault.CheckPath(path); err != nil {
		u.showError(err)
		return
	}
	u.switchVault(path)
}
