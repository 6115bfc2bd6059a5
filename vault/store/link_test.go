package store

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// linkedVault makes dir/real/v.keyshelf (holding "old") and a link to it at
// dir/config/v.keyshelf, as a vault kept in a synced folder is.
func linkedVault(t *testing.T) (link, target string) {
	t.Helper()
	dir := t.TempDir()
	target = filepath.Join(dir, "real", "keys.keyshelf")
	link = filepath.Join(dir, "config", "vault.keyshelf")
	for _, d := range []string{filepath.Dir(target), filepath.Dir(link)} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(target, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	return link, target
}

func assertLink(t *testing.T, link, target string) {
	t.Helper()
	fi, err := os.Lstat(link)
	if err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("%s is no longer a link: %v %v", link, fi.Mode(), err)
	}
	if got, _ := os.Readlink(link); got != target {
		t.Fatalf("link points at %q, want %q", got, target)
	}
}

func TestWriteFileThroughLink(t *testing.T) {
	link, target := linkedVault(t)
	if err := WriteFile(link, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if err := WriteFileKeepingBackup(link, []byte("newer")); err != nil {
		t.Fatal(err)
	}
	assertLink(t, link, target)
	if got, _ := os.ReadFile(target); string(got) != "newer" {
		t.Fatalf("target holds %q", got)
	}
	if got, _ := os.ReadFile(BackupPath(target)); string(got) != "old" {
		t.Fatalf("backup beside the target holds %q", got)
	}
	if _, err := os.Lstat(BackupPath(link)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a backup was made beside the link: %v", err)
	}
	assertNoTemps(t, target)
	assertNoTemps(t, link)
}

func TestLockThroughLinkIsTheTargetsLock(t *testing.T) {
	link, target := linkedVault(t)
	a, err := TryLock(link)
	if err != nil || a == nil {
		t.Fatalf("lock through the link: %v %v", a, err)
	}
	defer a.Unlock()
	if _, err := os.Stat(LockPath(target)); err != nil {
		t.Fatalf("no lock file beside the target: %v", err)
	}
	if _, err := os.Lstat(LockPath(link)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a lock file was made beside the link: %v", err)
	}
	b, err := TryLock(target)
	if err != nil || b != nil {
		t.Fatalf("the real path was locked while the link's lock is held: %v %v", b, err)
	}
}

func TestRemoveStaleTempsThroughLink(t *testing.T) {
	link, target := linkedVault(t)
	stale := filepath.Join(filepath.Dir(target), tempPrefix(target)+"123")
	if err := os.WriteFile(stale, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	RemoveStaleTemps(link)
	if _, err := os.Stat(stale); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("stale temp file beside the target kept")
	}
}

func TestResolve(t *testing.T) {
	link, target := linkedVault(t)
	dir := filepath.Dir(filepath.Dir(target))
	realDir, _ := filepath.EvalSymlinks(dir)
	realTarget := filepath.Join(realDir, "real", "keys.keyshelf")

	// A relative link, a dangling one (to a file still to be made) and a
	// chain of two.
	rel := filepath.Join(dir, "config", "rel.keyshelf")
	dangling := filepath.Join(dir, "config", "new.keyshelf")
	chain := filepath.Join(dir, "config", "chain.keyshelf")
	for l, to := range map[string]string{
		rel:      filepath.Join("..", "real", "keys.keyshelf"),
		dangling: filepath.Join("..", "real", "later.keyshelf"),
		chain:    rel,
	} {
		if err := os.Symlink(to, l); err != nil {
			t.Fatal(err)
		}
	}
	plain := filepath.Join(dir, "config", "plain.keyshelf")
	for in, want := range map[string]string{
		link:     realTarget,
		target:   realTarget,
		rel:      realTarget,
		chain:    realTarget,
		dangling: filepath.Join(realDir, "real", "later.keyshelf"),
		plain:    filepath.Join(realDir, "config", "plain.keyshelf"),
	} {
		got, err := Resolve(in)
		if err != nil || got != want {
			t.Errorf("Resolve(%s) = %q, %v; want %q", in, got, err, want)
		}
	}

	loop := filepath.Join(dir, "config", "loop.keyshelf")
	if err := os.Symlink(loop, loop); err != nil {
		t.Fatal(err)
	}
	if _, err := Resolve(loop); err == nil {
		t.Error("a link to itself resolved")
	}
}
