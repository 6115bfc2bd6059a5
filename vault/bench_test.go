package vault

import (
	"fmt"
	"path/filepath"
	"testing"
)

// benchVault makes a vault of n entries (one save) and remembers this device,
// so that opening it needs no KDF run.
func benchVault(b *testing.B, n int) (string, Options) {
	b.Helper()
	opts, _, _ := testOptions()
	path := filepath.Join(b.TempDir(), "vault.keyshelf")
	v, err := Create(path, testPass, opts)
	if err != nil {
		b.Fatal(err)
	}
	ds := make([]Draft, n)
	for i := range ds {
		ds[i] = Draft{
			Name:     fmt.Sprintf("Key %05d production", i),
			Provider: "openai",
			Secret:   fmt.Sprintf("sk-proj-%040d%s", i, "T3BlbkFJ"),
			Notes:    "used by the billing service",
			Tags:     []string{"prod", "ai"},
		}
	}
	if _, err := v.AddAll(ds); err != nil {
		b.Fatal(err)
	}
	if err := v.Remember("bench"); err != nil {
		b.Fatal(err)
	}
	v.Close()
	return path, opts
}

var sizes = []int{1, 1000, 10000}

// BenchmarkOpen measures unlocking with the device key (no KDF), decrypting
// and decoding.
func BenchmarkOpen(b *testing.B) {
	for _, n := range sizes {
		b.Run(fmt.Sprintf("entries=%d", n), func(b *testing.B) {
			path, opts := benchVault(b, n)
			for b.Loop() {
				v, err := OpenWithDevice(path, opts)
				if err != nil {
					b.Fatal(err)
				}
				if v.Len() != n {
					b.Fatal("wrong size")
				}
				v.Close()
			}
		})
	}
}

// BenchmarkSave measures a save: encode, seal, write, fsync, rename, fsync.
func BenchmarkSave(b *testing.B) {
	for _, n := range sizes {
		b.Run(fmt.Sprintf("entries=%d", n), func(b *testing.B) {
			path, opts := benchVault(b, n)
			v, err := OpenWithDevice(path, opts)
			if err != nil {
				b.Fatal(err)
			}
			defer v.Close()
			for b.Loop() {
				if err := v.Save(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSearch measures filtering 10,000 entries by a three-letter query,
// as on each keystroke in the window.
func BenchmarkSearch(b *testing.B) {
	path, opts := benchVault(b, 10000)
	v, err := OpenWithDevice(path, opts)
	if err != nil {
		b.Fatal(err)
	}
	defer v.Close()
	v.Search("") // build the index once, as the window does after unlock
	for b.Loop() {
		if len(v.Search("123")) == 0 {
			b.Fatal("no match")
		}
	}
}

// BenchmarkMerge measures merging another computer's copy of a vault of n
// entries in which one entry changed (what a synced change costs).
func BenchmarkMerge(b *testing.B) {
	for _, n := range sizes {
		b.Run(fmt.Sprintf("entries=%d", n), func(b *testing.B) {
			path, opts := benchVault(b, n)
			v, err := OpenWithDevice(path, opts)
			if err != nil {
				b.Fatal(err)
			}
			defer v.Close()
			other := v.doc
			other.entries = append([]Entry(nil), v.doc.entries...)
			other.entries[0] = other.entries[0].clone()
			other.entries[0].Notes, other.entries[0].Changed = "changed elsewhere", other.entries[0].Changed.Add(60e9)
			for b.Loop() {
				if m, _ := mergeDocs(v.doc, other, other.entries[0].Changed); len(m.entries) != n {
					b.Fatal("wrong size")
				}
			}
		})
	}
}
