package vault

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// EnvVault names the environment variable that overrides the vault path.
const EnvVault = "KEYSHELF_VAULT"

// ErrIsFolder: the vault path names a folder (or a link to one), not a
// vault file. CheckPath returns it wrapped with the path.
var ErrIsFolder = errors.New("this is a folder, not a vault file")

// DefaultPath is the vault's usual home: Keyshelf/vault.keyshelf in the OS
// user config folder (~/.config on Linux, ~/Library/Application Support on
// macOS, %AppData% on Windows).
func DefaultPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("find the user config folder: %w", err)
	}
	return filepath.Join(dir, "Keyshelf", "vault.keyshelf"), nil
}

// ResolvePath picks the vault path: the flag's value if set, else the
// environment variable's (getenv(EnvVault)), else DefaultPath.
func ResolvePath(flag string, getenv func(string) string) (string, error) {
	if flag != "" {
		return filepath.Abs(flag)
	}
	if env := getenv(EnvVault); env != "" {
		return filepath.Abs(env)
	}
	return DefaultPath()
}

// CheckPath reports whether path can name a vault file: ErrIsFolder
// (wrapped, with the path) when it is a folder or a link to one, else nil,
// also when nothing is there yet. Callers check it once the path is
// chosen, before creating or opening, so that a folder is named as such
// rather than as "a vault already exists" or "not a Keyshelf vault".
func CheckPath(path string) error {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return fmt.Errorf("%s: %w", path, ErrIsFolder)
	}
	return nil
}
