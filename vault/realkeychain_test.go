package vault

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"keyshelf/vault/keychain"
)

// TestRealKeychainRememberUnlockForget runs the device-key flow against the
// desktop's real keychain (gnome-keyring in make test, through
// scripts/with-keychain.sh). Opt in with KEYSHELF_REAL_KEYCHAIN=1; then a
// missing keychain fails the test instead of skipping it.
func TestRealKeychainRememberUnlockForget(t *testing.T) {
	if os.Getenv("KEYSHELF_REAL_KEYCHAIN") != "1" {
		t.Skip("set KEYSHELF_REAL_KEYCHAIN=1 to use the real keychain")
	}
	opts := Options{KDF: testParams, Keychain: keychain.System{}}
	path := filepath.Join(t.TempDir(), "vault.keyshelf")
	v, err := Create(path, testPass, opts)
	if err != nil {
		t.Fatal(err)
	}
	mustAdd(t, v, "real", "secret-real-keychain-01")
	if err := v.Remember(""); err != nil {
		t.Fatalf("remember: %v", err)
	}
	id, label := v.ID(), v.DeviceLabels()[0]
	v.Close()

	item, err := (keychain.System{}).Get(id + "/" + label)
	if err != nil || len(item) != 44 {
		t.Fatalf("keychain item: %d chars, %v", len(item), err)
	}
	v, err = OpenWithDevice(path, opts)
	if err != nil {
		t.Fatalf("unlock with the device key: %v", err)
	}
	if e, ok := v.Find("real"); !ok || e.Secret != "secret-real-keychain-01" {
		t.Fatal("device-unlocked vault lacks its entry")
	}
	if err := v.ConfirmPassphrase(testPass); err != nil {
		t.Fatal(err)
	}
	if r, err := v.Forget(""); err != nil || len(r.Forgotten) != 1 {
		t.Fatalf("forget: %+v, %v", r, err)
	}
	v.Close()
	if _, err := (keychain.System{}).Get(id + "/" + label); !errors.Is(err, keychain.ErrNotFound) {
		t.Fatalf("keychain item after forget: %v", err)
	}
	if _, err := OpenWithDevice(path, opts); !errors.Is(err, ErrNoDeviceKey) {
		t.Fatalf("device unlock after forget: %v", err)
	}
}
