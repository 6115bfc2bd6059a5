package syncfolder

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func touch(t *testing.T, path string) {
	t.Helper()
	if err := os.WriteFile(path, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestConflictServiceNames(t *testing.T) {
	const base = "vault.keyshelf"
	tests := []struct {
		name, service string
	}{
		{"vault.sync-conflict-20261203-101010-ABCDEF7.keyshelf", Syncthing},
		{"vault.sync-conflict-20261203-101010-1234567.keyshelf", Syncthing},
		{"vault.sync-conflict-99999999-999999-ABCDEF7.keyshelf", Syncthing}, // loose dates
		{"vault (Ana's conflicted copy 2026-12-03).keyshelf", Dropbox},
		{"vault (Ana’s conflicted copy 2026-12-03).keyshelf", Dropbox},
		{"vault (Ana's MacBook Pro (2)'s conflicted copy 2026-12-03).keyshelf", Dropbox},
		{"vault (Ana's conflicted copy 2026-12-03) (1).keyshelf", Dropbox},
		{"vault (Ana's conflicted copy 2026-12-03) (12).keyshelf", Dropbox},
		{"vault (conflicted copy 2026-12-03 101010).keyshelf", Nextcloud},
		{"vault-LAPTOP-7.keyshelf", OneDrive},
		{"vault-desktop.keyshelf", OneDrive},
		{"vault-" + strings.Repeat("a", 63) + ".keyshelf", OneDrive},
		{"vault (1).keyshelf", GoogleDrive},
		{"vault (999).keyshelf", GoogleDrive},

		{"vault.keyshelf", ""},
		{"vault.keyshelf.bak", ""},
		{"vault.keyshelf.lock", ""},
		{"vault.keyshelf.bak.tmp", ""},
		{".vault.keyshelf.tmp-123", ""},
		{"vault.sync-conflict-2026-ABCDEF7.keyshelf", ""},
		{"vault.sync-conflict-20261203-101010-abcdef7.keyshelf", ""},
		{"vault.sync-conflict-20261203-101010-ABCDEF.keyshelf", ""},
		{"vault.sync-conflict-20261203-101010-ABCDEF78.keyshelf", ""},
		{"vault.sync-conflict-20261203-101010-ABCDEF7.keyshelf.bak", ""},
		{"vault (Ana/Bo's conflicted copy 2026-12-03).keyshelf", ""},
		{"vault ('s conflicted copy 2026-12-03).keyshelf", ""},
		{"vault (Ana's conflicted copy 2026-12).keyshelf", ""},
		{"vault (Ana's conflicted copy 2026-12-03) (0).keyshelf", ""},
		{"vault (conflicted copy 2026-12-03).keyshelf", ""},
		{"vault (conflicted copy 2026-12-03 1010).keyshelf", ""},
		{"vault-.keyshelf", ""},
		{"vault--LAPTOP.keyshelf", ""},
		{"vault-LAP TOP.keyshelf", ""},
		{"vault-LAPTOP_7.keyshelf", ""},
		{"vault-" + strings.Repeat("a", 64) + ".keyshelf", ""},
		{"vault (0).keyshelf", ""},
		{"vault (01).keyshelf", ""},
		{"vault (1000).keyshelf", ""},
		{"vault(1).keyshelf", ""},
		{"vault (1).txt", ""},
		{"vault (1).Keyshelf", ""},
		{"Vault (1).keyshelf", ""},
		{"other (1).keyshelf", ""},
		{"vault (1)", ""},
		{"notes.txt", ""},
	}
	for _, tt := range tests {
		if got := conflictService(base, tt.name); got != tt.service {
			t.Errorf("%q: service %q, want %q", tt.name, got, tt.service)
		}
	}
}

func TestConflictServiceWithoutExtension(t *testing.T) {
	for name, want := range map[string]string{
		"vault.sync-conflict-20261203-101010-ABCDEF7":  Syncthing,
		"vault (Ana's conflicted copy 2026-12-03)":     Dropbox,
		"vault (Ana's conflicted copy 2026-12-03) (2)": Dropbox,
		"vault (conflicted copy 2026-12-03 101010)":    Nextcloud,
		"vault-LAPTOP-7":  OneDrive,
		"vault (3)":       GoogleDrive,
		"vault":           "",
		"vault.bak":       "",
		"vault.lock":      "",
		"vault.bak.tmp":   "",
		".vault.tmp-9":    "",
		"vault (1).txt":   "",
		"vault-LAPTOP.db": "",
	} {
		if got := conflictService("vault", name); got != want {
			t.Errorf("%q: service %q, want %q", name, got, want)
		}
	}
}

func TestConflictsListsRegularFilesSorted(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "vault.keyshelf")
	touch(t, path)
	found := []Conflict{
		{filepath.Join(dir, "vault (1).keyshelf"), GoogleDrive},
		{filepath.Join(dir, "vault (Ana's conflicted copy 2026-12-03).keyshelf"), Dropbox},
		{filepath.Join(dir, "vault (conflicted copy 2026-12-03 101010).keyshelf"), Nextcloud},
		{filepath.Join(dir, "vault-LAPTOP-7.keyshelf"), OneDrive},
		{filepath.Join(dir, "vault.sync-conflict-20261203-101010-ABCDEF7.keyshelf"), Syncthing},
	}
	for _, c := range found {
		touch(t, c.Path)
	}
	for _, name := range []string{
		"vault.keyshelf.bak", "vault.keyshelf.lock", "vault.keyshelf.bak.tmp",
		".vault.keyshelf.tmp-123", "vault.sync-conflict-2026-ABCDEF7.keyshelf",
		"other (1).keyshelf", "vault (1).txt", "vault-.keyshelf", "vault (0).keyshelf",
		"notes.txt",
	} {
		touch(t, filepath.Join(dir, name))
	}
	if err := os.Mkdir(filepath.Join(dir, "vault (2).keyshelf"), 0o700); err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" {
		if err := os.Symlink(path, filepath.Join(dir, "vault (3).keyshelf")); err != nil {
			t.Fatal(err)
		}
	}

	got, err := Conflicts(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(found) {
		t.Fatalf("found %v, want %v", got, found)
	}
	for i := range found {
		if got[i] != found[i] {
			t.Errorf("conflict %d: %v, want %v", i, got[i], found[i])
		}
	}
}

func TestConflictsWithoutFileOrCopies(t *testing.T) {
	dir := t.TempDir()
	got, err := Conflicts(filepath.Join(dir, "vault.keyshelf"))
	if err != nil || len(got) != 0 {
		t.Fatalf("empty folder: %v, %v", got, err)
	}
	touch(t, filepath.Join(dir, "vault (1).keyshelf"))
	got, err = Conflicts(filepath.Join(dir, "vault.keyshelf"))
	if err != nil || len(got) != 1 || got[0].Service != GoogleDrive {
		t.Fatalf("a copy beside a missing file: %v, %v", got, err)
	}
}

func TestConflictsFolderErrors(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "gone")
	_, err := Conflicts(filepath.Join(missing, "vault.keyshelf"))
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), missing) {
		t.Errorf("missing folder: %v", err)
	}
	if strings.Count(err.Error(), missing) != 1 {
		t.Errorf("the folder is named more than once: %v", err)
	}

	file := filepath.Join(t.TempDir(), "file")
	touch(t, file)
	if _, err := Conflicts(filepath.Join(file, "vault.keyshelf")); err == nil || !strings.Contains(err.Error(), file) {
		t.Errorf("a file for a folder: %v", err)
	}

	if runtime.GOOS == "windows" || os.Geteuid() == 0 {
		return // a mode keeps neither Windows nor root from reading
	}
	locked := filepath.Join(t.TempDir(), "locked")
	if err := os.Mkdir(locked, 0o300); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(locked, 0o700) })
	_, err = Conflicts(filepath.Join(locked, "vault.keyshelf"))
	if !errors.Is(err, fs.ErrPermission) || !strings.Contains(err.Error(), locked) {
		t.Errorf("unreadable folder: %v", err)
	}
}
