package cmdline

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"keyshelf/vault/store"
)

// TestVaultThroughLink: a --vault that is a symbolic link into a synced
// folder is created and changed through the link, which stays a link.
func TestVaultThroughLink(t *testing.T) {
	f := newFixture(t)
	target := filepath.Join(f.dir, "Dropbox", "keys.keyshelf")
	if err := os.MkdirAll(filepath.Dir(target), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, f.vault); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	f.mustOK(f.with("", "init"))
	f.mustOK(f.with(ghKey, "add", "k"))
	f.mustOK(f.with(oaiKey, "add", "other"))
	if fi, err := os.Lstat(f.vault); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("--vault is no longer a link: %v", err)
	}
	if _, err := os.Stat(store.BackupPath(target)); err != nil {
		t.Fatalf("no backup beside the real file: %v", err)
	}
	if out := f.mustOK(f.run("", "--vault", target, "--passphrase-file", f.pfile, "list")); !strings.Contains(out, "other") {
		t.Fatalf("the real file does not hold the change:\n%s", out)
	}
}
