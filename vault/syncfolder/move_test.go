package syncfolder

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"
)

// when is 10:10:10 in a zone an hour east of UTC: 09:10:10 UTC.
var when = time.Date(2026, 12, 3, 10, 10, 10, 0, time.FixedZone("CET", 3600))

func writeFile(t *testing.T, path, content string, mode fs.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
}

func checkMoved(t *testing.T, from, to, want, content string) {
	t.Helper()
	if to != want {
		t.Errorf("moved to %s, want %s", to, want)
	}
	if _, err := os.Lstat(from); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the original is still there (%v)", err)
	}
	b, err := os.ReadFile(want)
	if err != nil || string(b) != content {
		t.Errorf("the moved file holds %q, %v; want %q", b, err, content)
	}
	info, err := os.Stat(want)
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && info.Mode().Perm() != 0o600 {
		t.Errorf("the moved file has mode %v, want 0600", info.Mode().Perm())
	}
}

func TestMoveAsideNamesByUTCTimeAndCreatesPrivateFolders(t *testing.T) {
	root := t.TempDir()
	path := filepath.Join(root, "vault (1).keyshelf")
	writeFile(t, path, "copy", 0o644)
	dir := filepath.Join(root, "aside", "conflicts")

	got, err := MoveAside(path, dir, when)
	if err != nil {
		t.Fatal(err)
	}
	checkMoved(t, path, got, filepath.Join(dir, "20261203-091010-vault (1).keyshelf"), "copy")
	if runtime.GOOS == "windows" {
		return
	}
	for _, d := range []string{dir, filepath.Dir(dir)} {
		info, err := os.Stat(d)
		if err != nil || info.Mode().Perm() != 0o700 {
			t.Errorf("%s: mode %v, %v; want 0700", d, info.Mode().Perm(), err)
		}
	}
}

func TestMoveAsideKeepsAnExistingFolderAsItIs(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "aside")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(root, "vault")
	writeFile(t, path, "no extension", 0o600)
	got, err := MoveAside(path, dir, when)
	if err != nil {
		t.Fatal(err)
	}
	checkMoved(t, path, got, filepath.Join(dir, "20261203-091010-vault"), "no extension")
	if info, _ := os.Stat(dir); runtime.GOOS != "windows" && info.Mode().Perm() != 0o755 {
		t.Errorf("the existing folder's mode became %v", info.Mode().Perm())
	}
}

func TestMoveAsideNeverOverwrites(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "aside")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	taken := filepath.Join(dir, "20261203-091010-vault (1).keyshelf")
	writeFile(t, taken, "first", 0o600)

	path := filepath.Join(root, "vault (1).keyshelf")
	writeFile(t, path, "second", 0o600)
	got, err := MoveAside(path, dir, when)
	if err != nil {
		t.Fatal(err)
	}
	checkMoved(t, path, got, filepath.Join(dir, "20261203-091010-vault (1)-2.keyshelf"), "second")

	writeFile(t, path, "third", 0o600)
	got, err = MoveAside(path, dir, when)
	if err != nil {
		t.Fatal(err)
	}
	checkMoved(t, path, got, filepath.Join(dir, "20261203-091010-vault (1)-3.keyshelf"), "third")

	if b, _ := os.ReadFile(taken); string(b) != "first" {
		t.Errorf("the file already there holds %q", b)
	}
}

func TestMoveAsideRefusesWhatIsNoFile(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "aside")
	if _, err := MoveAside(filepath.Join(root, "gone.keyshelf"), dir, when); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing file: %v", err)
	}
	sub := filepath.Join(root, "vault (1).keyshelf")
	if err := os.Mkdir(sub, 0o700); err != nil {
		t.Fatal(err)
	}
	if _, err := MoveAside(sub, dir, when); err == nil {
		t.Error("a folder was moved")
	}
	if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the folder aside was made for nothing (%v)", err)
	}
}

// fakeRename makes rename fail with err, as a rename to another disk would.
func fakeRename(t *testing.T, err error) {
	t.Helper()
	rename = func(oldpath, newpath string) error {
		return &os.LinkError{Op: "rename", Old: oldpath, New: newpath, Err: err}
	}
	t.Cleanup(func() { rename = os.Rename })
}

func TestMoveAsideCopiesBetweenDisks(t *testing.T) {
	fakeRename(t, syscall.EXDEV)
	root := t.TempDir()
	dir := filepath.Join(root, "aside")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "20261203-091010-vault-LAPTOP.keyshelf"), "taken", 0o600)
	path := filepath.Join(root, "vault-LAPTOP.keyshelf")
	writeFile(t, path, "across", 0o644)
	mod := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	if err := os.Chtimes(path, mod, mod); err != nil {
		t.Fatal(err)
	}

	got, err := MoveAside(path, dir, when)
	if err != nil {
		t.Fatal(err)
	}
	checkMoved(t, path, got, filepath.Join(dir, "20261203-091010-vault-LAPTOP-2.keyshelf"), "across")
	if info, err := os.Stat(got); err != nil || !info.ModTime().Equal(mod) {
		t.Errorf("the copy's time is %v, want %v (%v)", info.ModTime(), mod, err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("the folder aside holds %d files, want 2", len(entries))
	}
}

func TestMoveAsideReportsOtherRenameErrors(t *testing.T) {
	fakeRename(t, syscall.EACCES)
	root := t.TempDir()
	dir := filepath.Join(root, "aside")
	path := filepath.Join(root, "vault (1).keyshelf")
	writeFile(t, path, "stays", 0o600)

	got, err := MoveAside(path, dir, when)
	if !errors.Is(err, syscall.EACCES) || got != "" {
		t.Fatalf("moved to %q, %v; want EACCES", got, err)
	}
	if b, _ := os.ReadFile(path); string(b) != "stays" {
		t.Errorf("the original holds %q", b)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("the failed move left %d files aside", len(entries))
	}
}

func TestCrossDevice(t *testing.T) {
	exdev := &os.LinkError{Op: "rename", Old: "a", New: "b", Err: syscall.EXDEV}
	if !crossDevice(exdev) {
		t.Error("EXDEV")
	}
	if crossDevice(&os.LinkError{Op: "rename", Old: "a", New: "b", Err: syscall.ENOENT}) {
		t.Error("ENOENT on one volume")
	}
	if crossDevice(errors.New("rename failed")) {
		t.Error("an error that is no link error")
	}
}
