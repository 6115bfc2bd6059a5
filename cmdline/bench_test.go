package cmdline

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"keyshelf/vault"
	"keyshelf/vault/format"
)

// benchVault writes a vault of n entries with one save.
func benchVault(b *testing.B, n int) (path, pfile string) {
	b.Helper()
	dir := b.TempDir()
	path, pfile = filepath.Join(dir, "v.keyshelf"), filepath.Join(dir, "pass")
	if err := os.WriteFile(pfile, []byte(pass+"\n"), 0o600); err != nil {
		b.Fatal(err)
	}
	v, err := vault.Create(path, pass, vault.Options{KDF: format.Params{MemoryKiB: 8192, Time: 1, Threads: 1}})
	if err != nil {
		b.Fatal(err)
	}
	ds := make([]vault.Draft, n)
	for i := range ds {
		ds[i] = vault.Draft{Name: fmt.Sprintf("Key %05d production", i), Provider: "openai",
			Secret: fmt.Sprintf("sk-proj-%040dT3BlbkFJ", i), Notes: "used by the billing service", Tags: []string{"prod", "ai"}}
	}
	if _, err := v.AddAll(ds); err != nil {
		b.Fatal(err)
	}
	v.Close()
	return path, pfile
}

// BenchmarkList runs `keyshelf list` and `list --json` in process, KDF
// included (the minimum parameters, the same cost at every size).
func BenchmarkList(b *testing.B) {
	for _, n := range []int{1, 10000} {
		for _, asJSON := range []bool{false, true} {
			b.Run(fmt.Sprintf("entries=%d/json=%v", n, asJSON), func(b *testing.B) {
				path, pfile := benchVault(b, n)
				args := []string{"--vault", path, "--passphrase-file", pfile, "list"}
				if asJSON {
					args = append(args, "--json")
				}
				env := Env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard, Getenv: func(string) string { return "" },
					Options: vault.Options{KDF: format.Params{MemoryKiB: 8192, Time: 1, Threads: 1}}}
				for b.Loop() {
					if code := Run(args, env); code != 0 {
						b.Fatal("list failed")
					}
				}
			})
		}
	}
}

// BenchmarkListToFile runs `keyshelf list` as BenchmarkList does but prints
// into a real file, as a shell redirect or pipe would: it counts the write
// system calls that io.Discard hides.
func BenchmarkListToFile(b *testing.B) {
	for _, n := range []int{1, 10000} {
		for _, asJSON := range []bool{false, true} {
			b.Run(fmt.Sprintf("entries=%d/json=%v", n, asJSON), func(b *testing.B) {
				path, pfile := benchVault(b, n)
				out, err := os.Create(filepath.Join(b.TempDir(), "out"))
				if err != nil {
					b.Fatal(err)
				}
				defer out.Close()
				args := []string{"--vault", path, "--passphrase-file", pfile, "list"}
				if asJSON {
					args = append(args, "--json")
				}
				env := Env{Stdin: strings.NewReader(""), Stdout: out, Stderr: io.Discard, Getenv: func(string) string { return "" },
					Options: vault.Options{KDF: format.Params{MemoryKiB: 8192, Time: 1, Threads: 1}}}
				for b.Loop() {
					if _, err := out.Seek(0, io.SeekStart); err != nil {
						b.Fatal(err)
					}
					if code := Run(args, env); code != 0 {
						b.Fatal("list failed")
					}
				}
			})
		}
	}
}
