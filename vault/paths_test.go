package vault

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestCheckPath(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "v.keyshelf")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(dir, link); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	for path, want := range map[string]error{
		dir: ErrIsFolder, link: ErrIsFolder, file: nil, filepath.Join(dir, "none"): nil,
	} {
		if err := CheckPath(path); !errors.Is(err, want) || (want == nil && err != nil) {
			t.Errorf("CheckPath(%s) = %v, want %v", path, err, want)
		}
	}
}
