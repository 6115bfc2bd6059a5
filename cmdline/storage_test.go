package cmdline

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
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

type fakeWarner struct{ w []error }

func (f *fakeWarner) TakeSaveWarning() error {
	if len(f.w) == 0 {
		return nil
	}
	w := f.w[0]
	f.w = f.w[1:]
	return w
}

// TestSaveWarningPrintedOnce: a save that succeeded with a warning is
// mentioned on stderr once, as a warning.
func TestSaveWarningPrintedOnce(t *testing.T) {
	var errb bytes.Buffer
	w := &store.SyncWarning{Err: &os.PathError{Op: "sync", Path: "/x", Err: syscall.EINVAL}}
	// Three vaults (say, init then a command), two of them warned.
	r := &runner{env: Env{Stderr: &errb}, opened: []saveWarner{&fakeWarner{}, &fakeWarner{w: []error{w}}, &fakeWarner{w: []error{w}}}}
	r.warnSaves()
	got := errb.String()
	if got != "keyshelf: warning: "+w.Error()+"\n" {
		t.Fatalf("stderr %q", got)
	}
	if !strings.Contains(got, "did not confirm the folder write") || !errors.Is(w, syscall.EINVAL) {
		t.Fatalf("stderr %q", got)
	}
}

// TestReadOnlyFileSaysWhy: a command that changes a vault whose file is
// marked read-only fails with that reason, not another copy's lock; reading
// still works.
func TestReadOnlyFileSaysWhy(t *testing.T) {
	f := newFixture(t)
	f.mustOK(f.with("", "init"))
	f.mustOK(f.with(ghKey, "add", "k"))
	file, _ := filepath.EvalSymlinks(f.vault)
	if err := os.Chmod(file, 0o400); err != nil {
		t.Fatal(err)
	}
	code, _, errs := f.with(oaiKey, "add", "other")
	f.mustFail(1, code, errs, "the vault file "+file+" is marked read-only")
	if strings.Contains(errs, "another") {
		t.Fatalf("stderr blames another copy: %q", errs)
	}
	f.mustOK(f.with("", "list"))
}
