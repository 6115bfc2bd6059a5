package format

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzParseHeader feeds arbitrary bytes to the parser. It must never panic,
// must classify every failure as one of the package's kinds, and whatever it
// accepts must re-encode to exactly the bytes it read (one encoding per header).
func FuzzParseHeader(f *testing.F) {
	seeds, err := filepath.Glob("../testdata/*.keyshelf")
	if err != nil {
		f.Fatal(err)
	}
	if len(seeds) == 0 {
		f.Fatal("no seed vaults found in ../testdata")
	}
	for _, s := range seeds {
		data, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	kinds := []error{ErrNotVault, ErrNewerVersion, ErrCorrupt, ErrUnsafeKDF}
	f.Fuzz(func(t *testing.T, data []byte) {
		h, n, err := ParseHeader(data)
		if err != nil {
			for _, k := range kinds {
				if errors.Is(err, k) {
					return
				}
			}
			t.Fatalf("unclassified error: %v", err)
		}
		if n > len(data) || n > MaxHeaderSize {
			t.Fatalf("header length %d out of range", n)
		}
		if err := h.KDF.Validate(); err != nil {
			t.Fatalf("accepted unsafe parameters: %v", err)
		}
		if got := h.Marshal(); !bytes.Equal(got, data[:n]) {
			t.Fatalf("re-encoding differs:\n got %q\nwant %q", got, data[:n])
		}
	})
}
