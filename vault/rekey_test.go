package vault

import (
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"keyshelf/vault/format"
	"keyshelf/vault/keychain"
	"keyshelf/vault/store"
)

// dekOf is what an attacker holding a copy of a vault file and its
// passphrase gets: the data key.
func dekOf(t *testing.T, file []byte, passphrase string) []byte {
	t.Helper()
	f, err := format.Parse(file)
	if err != nil {
		t.Fatal(err)
	}
	dek, err := f.UnlockPassphrase(passphrase)
	if err != nil {
		t.Fatalf("unlock the old copy: %v", err)
	}
	return dek
}

// dekByDevice is the data key a device key opens in a copy of a vault file.
func dekByDevice(t *testing.T, file []byte, label string, key []byte) []byte {
	t.Helper()
	f, err := format.Parse(file)
	if err != nil {
		t.Fatal(err)
	}
	dek, err := f.UnlockDevice(label, key)
	if err != nil {
		t.Fatalf("unlock the old copy with the device key: %v", err)
	}
	return dek
}

// opensWith reports whether dek decrypts the vault file at path.
func opensWith(t *testing.T, path string, dek []byte) bool {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := format.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.Decrypt(dek)
	return err == nil
}

func readAll(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func deviceKey(t *testing.T, v *Vault, label string) []byte {
	t.Helper()
	enc, err := v.opts.Keychain.Get(v.ID() + "/" + label)
	if err != nil {
		t.Fatal(err)
	}
	key, err := base64.StdEncoding.DecodeString(enc)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

func TestChangePassphraseRenewsTheDataKey(t *testing.T) {
	v, opts, _ := newVault(t)
	kc := opts.Keychain
	mustAdd(t, v, "before", "secret-before-0001")
	if err := v.Remember("this-box"); err != nil {
		t.Fatal(err)
	}
	// Another computer remembered the vault: its device key is in its own
	// keychain, not in this one.
	if err := v.Remember("other-box"); err != nil {
		t.Fatal(err)
	}
	otherKey := deviceKey(t, v, "other-box")
	if err := kc.Delete(v.ID() + "/other-box"); err != nil {
		t.Fatal(err)
	}
	thisKey := deviceKey(t, v, "this-box")
	stolen := readAll(t, v.Path()) // a synced, backed-up or stolen copy

	r, err := v.ChangePassphrase("a brand new passphrase")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(r.Kept, []string{"this-box"}) || !slices.Equal(r.Dropped, []string{"other-box"}) || r.Problems != nil {
		t.Fatalf("rekeyed %+v", r)
	}
	if !slices.Equal(v.DeviceLabels(), []string{"this-box"}) {
		t.Fatalf("slots after the change: %v", v.DeviceLabels())
	}
	mustAdd(t, v, "after", "secret-after-0002")

	// The old passphrase with the old copy, or the other computer's device
	// key with it, yields the old data key: it must open nothing saved now,
	// neither the vault nor its backup.
	oldDEK := dekOf(t, stolen, testPass)
	otherDEK := dekByDevice(t, stolen, "other-box", otherKey)
	for _, path := range []string{v.Path(), store.BackupPath(v.Path())} {
		if opensWith(t, path, oldDEK) || opensWith(t, path, otherDEK) {
			t.Fatalf("%s opens with the data key from before the passphrase change", filepath.Base(path))
		}
	}
	// This device keeps working, with a new device key.
	if newKey := deviceKey(t, v, "this-box"); slices.Equal(newKey, thisKey) {
		t.Fatal("this device's key was not renewed")
	}
	v.Close()
	if _, err := Open(v.Path(), testPass, opts); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("old passphrase: %v", err)
	}
	v2, err := OpenWithDevice(v.Path(), opts)
	if err != nil {
		t.Fatalf("this device after the change: %v", err)
	}
	if _, ok := v2.Find("after"); !ok {
		t.Fatal("the entry added after the change is missing")
	}
	v2.Close()
}

func TestChangePassphraseResealsTheBackup(t *testing.T) {
	v, opts, _ := newVault(t)
	mustAdd(t, v, "kept", "secret-kept-0001")
	gone := mustAdd(t, v, "deleted", "secret-deleted-0002")
	if _, err := v.Delete(gone.ID); err != nil {
		t.Fatal(err)
	}
	// The .bak now holds the version before the delete.
	if _, err := v.ChangePassphrase("new passphrase here"); err != nil {
		t.Fatal(err)
	}
	v.Close()
	bak := filepath.Join(t.TempDir(), "restored.keyshelf")
	copyFile(t, store.BackupPath(v.Path()), bak)
	if _, err := Open(bak, testPass, opts); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("backup with the old passphrase: %v", err)
	}
	b, err := Open(bak, "new passphrase here", opts)
	if err != nil {
		t.Fatalf("backup with the new passphrase: %v", err)
	}
	defer b.Close()
	if _, ok := b.Find("deleted"); !ok || b.Len() != 2 {
		t.Fatal("the renewed backup lost the version before the last change")
	}
}

func TestForgetALostLaptopRenewsTheDataKey(t *testing.T) {
	v, opts, _ := newVault(t)
	kc := opts.Keychain
	mustAdd(t, v, "a", "secret-a-000001")
	if err := v.Remember("desk"); err != nil {
		t.Fatal(err)
	}
	if err := v.Remember("lost-laptop"); err != nil {
		t.Fatal(err)
	}
	lostKey := deviceKey(t, v, "lost-laptop")
	kc.Delete(v.ID() + "/lost-laptop") // it lives on the laptop
	laptopCopy := readAll(t, v.Path())

	r, err := v.Forget("lost-laptop")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(r.Forgotten, []string{"lost-laptop"}) || !slices.Equal(r.Kept, []string{"desk"}) || len(r.Dropped) != 0 {
		t.Fatalf("rekeyed %+v", r)
	}
	mustAdd(t, v, "new", "secret-new-000002")
	laptopDEK := dekByDevice(t, laptopCopy, "lost-laptop", lostKey)
	for _, path := range []string{v.Path(), store.BackupPath(v.Path())} {
		if opensWith(t, path, laptopDEK) {
			t.Fatalf("the lost laptop's device key still opens %s", filepath.Base(path))
		}
	}
	v.Close()
	// The passphrase (unchanged) and this device still open the vault.
	for _, open := range []func() (*Vault, error){
		func() (*Vault, error) { return Open(v.Path(), testPass, opts) },
		func() (*Vault, error) { return OpenWithDevice(v.Path(), opts) },
	} {
		v2, err := open()
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := v2.Find("new"); !ok {
			t.Fatal("entry missing")
		}
		v2.Close()
	}
}

func TestForgetThisDeviceDropsItsKey(t *testing.T) {
	v, opts, _ := newVault(t)
	kc := opts.Keychain
	if err := v.Remember(""); err != nil {
		t.Fatal(err)
	}
	key := deviceKey(t, v, ThisDeviceLabel())
	copyBefore := readAll(t, v.Path())
	r, err := v.Forget("")
	if err != nil || len(r.Forgotten) != 1 {
		t.Fatalf("forget: %+v %v", r, err)
	}
	if _, err := kc.Get(v.ID() + "/" + ThisDeviceLabel()); err == nil {
		t.Fatal("the device key is still in the keychain")
	}
	if opensWith(t, v.Path(), dekByDevice(t, copyBefore, ThisDeviceLabel(), key)) {
		t.Fatal("the forgotten device key still opens the vault")
	}
}

func TestFailedRekeyChangesNothing(t *testing.T) {
	opts, _, kc := testOptions()
	dir := filepath.Join(t.TempDir(), "d")
	v, err := Create(filepath.Join(dir, "v.keyshelf"), testPass, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	mustAdd(t, v, "kept", "secret-kept-0001")
	if err := v.Remember("desk"); err != nil {
		t.Fatal(err)
	}
	item, _ := kc.Get(v.ID() + "/desk")
	before := readAll(t, v.Path())
	// Replace the folder by a file: the save cannot happen.
	moved := dir + ".moved"
	if err := os.Rename(dir, moved); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := v.ChangePassphrase("never applied"); !errors.Is(err, ErrSave) {
		t.Fatalf("change on a broken folder: %v", err)
	}
	if got, _ := kc.Get(v.ID() + "/desk"); got != item {
		t.Fatal("the keychain kept a device key for a change that was not saved")
	}
	os.Remove(dir)
	if err := os.Rename(moved, dir); err != nil {
		t.Fatal(err)
	}
	if after := readAll(t, v.Path()); string(after) != string(before) {
		t.Fatal("the vault file changed")
	}
	// Memory is as before: a save still uses the old passphrase and key.
	mustAdd(t, v, "later", "secret-later-0002")
	v.Close()
	v2, err := OpenWithDevice(v.Path(), opts)
	if err != nil {
		t.Fatal(err)
	}
	v2.Close()
	v3, err := Open(v.Path(), testPass, opts)
	if err != nil {
		t.Fatal(err)
	}
	v3.Close()
}

// A vault reached through a symbolic link (into a synced folder) re-keys the
// real file and its backup, and the link stays a link.
func TestChangePassphraseThroughALink(t *testing.T) {
	opts, _, _ := testOptions()
	dir := t.TempDir()
	real := filepath.Join(dir, "synced", "keys.keyshelf")
	link := filepath.Join(dir, "vault.keyshelf")
	if err := os.MkdirAll(filepath.Dir(real), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	v, err := Create(link, testPass, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	mustAdd(t, v, "a", "secret-a-000001")
	mustAdd(t, v, "b", "secret-b-000002")
	old := readAll(t, real)
	if _, err := v.ChangePassphrase("another passphrase"); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatal("the link was replaced")
	}
	oldDEK := dekOf(t, old, testPass)
	for _, p := range []string{real, store.BackupPath(real)} {
		if opensWith(t, p, oldDEK) {
			t.Fatalf("%s still opens with the old data key", p)
		}
	}
	if _, err := os.Stat(store.BackupPath(link)); err == nil {
		t.Fatal("a backup was left beside the link")
	}
}

// setRefused is a keychain that reads and deletes but refuses to store, as
// a locked or full keychain may.
type setRefused struct{ *keychain.Memory }

func (k setRefused) Set(user, secret string) error { return keychain.ErrUnavailable }

// A keychain that refuses the new device key after the vault was saved
// costs this device its unlock without the passphrase, nothing else: the
// slot is taken out, the old device key (which opens only old copies) is
// deleted, and the user is told.
func TestRekeyWhenTheKeychainRefusesTheNewKey(t *testing.T) {
	v, opts, _ := newVault(t)
	mem := opts.Keychain.(*keychain.Memory)
	mustAdd(t, v, "a", "secret-a-000001")
	if err := v.Remember("desk"); err != nil {
		t.Fatal(err)
	}
	v.opts.Keychain = setRefused{mem}
	r, err := v.ChangePassphrase("a new passphrase")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(r.Lost, []string{"desk"}) || len(r.Kept) != 0 || r.Problems == nil {
		t.Fatalf("rekeyed %+v", r)
	}
	if len(v.DeviceLabels()) != 0 {
		t.Fatalf("a slot without a key in the keychain was kept: %v", v.DeviceLabels())
	}
	if mem.Len() != 0 {
		t.Fatal("the old device key was left in the keychain")
	}
	v.Close()
	v2, err := Open(v.Path(), "a new passphrase", opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(v2.DeviceLabels()) != 0 {
		t.Fatal("the file still holds the lost slot")
	}
	v2.Close()
}
