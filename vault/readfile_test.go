package vault

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// readFile reads files of any size whole, in one allocation when the size
// is known, and refuses one over MaxFileSize without reading it all.
func TestReadFileSizes(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []int{0, 1, 511, 512, 513, 4096, 1 << 20} {
		path := filepath.Join(dir, "f")
		want := bytes.Repeat([]byte{'k'}, n)
		if err := os.WriteFile(path, want, 0o600); err != nil {
			t.Fatal(err)
		}
		got, err := readFile(path)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("%d bytes: read %d, %v", n, len(got), err)
		}
		if n > 0 && cap(got) != n+1 {
			t.Errorf("%d bytes: buffer of %d, want the size and one", n, cap(got))
		}
	}

	// Just at the limit reads; one byte over is refused (a sparse file:
	// nothing is written to disk).
	path := filepath.Join(dir, "big")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(MaxFileSize + 1); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := readFile(path); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("a file of MaxFileSize+1 bytes: %v, want ErrCorrupt", err)
	}
	if err := os.Truncate(path, MaxFileSize); err != nil {
		t.Fatal(err)
	}
	if got, err := readFile(path); err != nil || len(got) != MaxFileSize {
		t.Fatalf("a file of MaxFileSize bytes: read %d, %v", len(got), err)
	}
}
