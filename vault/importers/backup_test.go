package importers

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"keyshelf/vault"
	"keyshelf/vault/format"
	"keyshelf/vault/keychain"
)

func TestBackupSniffedAndRead(t *testing.T) {
	dir := t.TempDir()
	opts := vault.Options{KDF: format.Params{MemoryKiB: 8192, Time: 1, Threads: 1}, Keychain: &keychain.Memory{}}
	v, err := vault.Create(filepath.Join(dir, "v.keyshelf"), "vault pass", opts)
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	const key = "sk-proj-abcdefghijklmnopT3BlbkFJqrstuvwxyz012345"
	if _, err := v.Add(vault.Draft{Name: "OpenAI", Secret: key, KeyID: "", BaseURL: "https://gw.example.com/v1", EnvName: "GW_KEY", RotationDays: 45, UsedBy: []string{"ci"}}); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(dir, "b.keyshelf")
	if err := v.WriteBackup(backup, "backup pass"); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(backup)
	if got := Sniff(data); got != FormatBackup {
		t.Fatalf("Sniff = %q", got)
	}
	if _, _, err := Read("", data); !errors.Is(err, ErrBackupNeedsPassphrase) {
		t.Fatalf("Read: %v", err)
	}
	if _, err := FromBackup(data, "vault pass"); !errors.Is(err, vault.ErrWrongPassphrase) {
		t.Fatalf("the wrong passphrase: %v", err)
	}
	cands, err := FromBackup(data, "backup pass")
	if err != nil || len(cands) != 1 {
		t.Fatalf("FromBackup: %d, %v", len(cands), err)
	}
	steps := Plan(nil, cands, false)
	d := steps[0].Draft("b.keyshelf")
	if !steps[0].Take || d.Secret != key || d.BaseURL != "https://gw.example.com/v1" || d.EnvName != "GW_KEY" || d.RotationDays != 45 || len(d.UsedBy) != 1 {
		t.Errorf("the draft lost fields: %+v", d.Name)
	}
	if Plan(v.List(), cands, false)[0].Take {
		t.Error("a key the vault has is taken again")
	}
}
