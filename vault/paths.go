package vault

import (
	"fmt"
	"os"
	"path/filepath"
)

// EnvVault names the environment variable that overrides the vault path.
const EnvVault = "KEYSHELF_VAULT"

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
