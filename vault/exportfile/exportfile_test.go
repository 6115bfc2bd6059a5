package exportfile

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

func TestWriteReplacesWithMode0600AndNoBackup(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys.env")
	if err := os.WriteFile(path, []byte("OLD=1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Write(path, []byte("NEW=2\n")); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v, %v", info.Mode().Perm(), err)
	}
	if b, _ := os.ReadFile(path); string(b) != "NEW=2\n" {
		t.Errorf("holds %q", b)
	}
	if _, err := os.Stat(path + ".bak"); err == nil {
		t.Error("a backup of the old keys was left")
	}
	if err := Write(filepath.Join(t.TempDir(), "gone", "keys.env"), nil); err == nil {
		t.Error("a write into a missing folder succeeded")
	}
}

func TestUnignored(t *testing.T) {
	git, err := exec.LookPath("git")
	if err != nil {
		t.Skip("git is not on PATH")
	}
	dir := t.TempDir()
	if Unignored(filepath.Join(dir, ".env")) {
		t.Error("outside a work tree")
	}
	cmd := exec.Command(git, "-C", dir, "init", "-q")
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git init: %v %s", err, out)
	}
	if err := os.WriteFile(filepath.Join(dir, ".gitignore"), []byte("*.env\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if Unignored(filepath.Join(dir, "prod.env")) {
		t.Error("an ignored file")
	}
	if !Unignored(filepath.Join(dir, "keys.txt")) {
		t.Error("a file git would take")
	}
}
