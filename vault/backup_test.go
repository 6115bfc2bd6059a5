package vault

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"keyshelf/vault/format"
)

// TestBackupOfEveryVector backs up each good known-answer vector (written
// by the independent implementation) under a new passphrase: the backup
// opens as a vault, with that passphrase only, holding exactly the
// vector's document (unknown fields too), under a new id and without the
// vector's device slots; ReadBackup reads the same entries.
func TestBackupOfEveryVector(t *testing.T) {
	const newPass = "backup passphrase, not the vault's"
	n := 0
	for _, vec := range loadVectors(t) {
		if vec.Expect != "success" {
			continue
		}
		n++
		t.Run(vec.File, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "v.keyshelf")
			copyFile(t, filepath.Join("testdata", vec.File), path)
			opts, _, _ := testOptions()
			if vec.File == "default-params.keyshelf" {
				opts.KDF = format.DefaultParams
			}
			v, err := Open(path, vec.Passphrase, opts)
			if err != nil {
				t.Fatal(err)
			}
			defer v.Close()
			backup := filepath.Join(dir, "backup.keyshelf")
			if err := v.WriteBackup(backup, newPass); err != nil {
				t.Fatal(err)
			}
			if err := v.WriteBackup(backup, newPass); !errors.Is(err, ErrExists) {
				t.Errorf("a second backup to the same file: %v", err)
			}
			if info, err := os.Stat(backup); err != nil || info.Mode().Perm() != 0o600 {
				t.Fatalf("backup mode: %v %v", info, err)
			}
			data, err := os.ReadFile(backup)
			if err != nil {
				t.Fatal(err)
			}
			if !IsVaultFile(data) {
				t.Fatal("the backup is not a vault file")
			}
			f, err := format.Parse(data)
			if err != nil {
				t.Fatal(err)
			}
			if f.Header.IDString() == v.ID() || len(f.Header.Keychain) != 0 {
				t.Errorf("the backup shares the vault's id or carries %d device slots", len(f.Header.Keychain))
			}
			if _, err := ReadBackup(data, vec.Passphrase); !errors.Is(err, ErrWrongPassphrase) && vec.Passphrase != newPass {
				t.Errorf("the vault's passphrase opens the backup: %v", err)
			}
			b, err := Open(backup, newPass, opts)
			if err != nil {
				t.Fatal(err)
			}
			assertDocument(t, b, vec.Plaintext)
			b.Close()
			entries, err := ReadBackup(data, newPass)
			if err != nil {
				t.Fatal(err)
			}
			if len(entries) != v.Len() {
				t.Errorf("ReadBackup gave %d entries, the vault has %d", len(entries), v.Len())
			}
			for _, e := range entries {
				if got, ok := v.Get(e.ID); !ok || got.Secret != e.Secret || got.Name != e.Name || len(got.History) != len(e.History) {
					t.Errorf("entry %s differs", e.ID)
				}
			}
		})
	}
	if n == 0 {
		t.Fatal("no good vectors")
	}
	if IsVaultFile([]byte("OPENAI_API_KEY=x\n")) {
		t.Error("a .env file is a vault file")
	}
	if _, err := ReadBackup([]byte("not a vault"), "x"); !errors.Is(err, ErrNotVault) && !errors.Is(err, ErrCorrupt) {
		t.Errorf("ReadBackup of junk: %v", err)
	}
}
