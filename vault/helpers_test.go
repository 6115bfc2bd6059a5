package vault

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"keyshelf/vault/format"
	"keyshelf/vault/keychain"
)

// testParams is the cheapest KDF setting a reader accepts.
var testParams = format.Params{MemoryKiB: format.MinMemoryKiB, Time: 1, Threads: 1}

// fakeClock is a settable clock.
type fakeClock struct{ t time.Time }

func (c *fakeClock) Now() time.Time          { return c.t }
func (c *fakeClock) Advance(d time.Duration) { c.t = c.t.Add(d) }

func testOptions() (Options, *fakeClock, *keychain.Memory) {
	clock := &fakeClock{t: time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)}
	kc := &keychain.Memory{}
	return Options{KDF: testParams, Now: clock.Now, Keychain: kc}, clock, kc
}

const testPass = "correct horse battery staple"

// newVault creates an empty vault in a fresh folder.
func newVault(t testing.TB) (*Vault, Options, *fakeClock) {
	t.Helper()
	opts, clock, _ := testOptions()
	v, err := Create(filepath.Join(t.TempDir(), "vault.keyshelf"), testPass, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { v.Close() })
	return v, opts, clock
}

func mustAdd(t testing.TB, v *Vault, name, secret string) Entry {
	t.Helper()
	r, err := v.Add(Draft{Name: name, Secret: secret})
	if err != nil {
		t.Fatalf("add %q: %v", name, err)
	}
	return r.Entry
}

func reopen(t testing.TB, v *Vault, opts Options) *Vault {
	t.Helper()
	if err := v.Close(); err != nil {
		t.Fatal(err)
	}
	v2, err := Open(v.Path(), testPass, opts)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	t.Cleanup(func() { v2.Close() })
	return v2
}

func wantErr(t testing.TB, err, kind error) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Fatalf("error %v, want %v", err, kind)
	}
}

func copyFile(t testing.TB, src, dst string) {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// breakFolder replaces the vault's folder dir by a file, so that no save
// can create its temporary file there, and returns what puts it back.
func breakFolder(t testing.TB, dir string) (restore func()) {
	t.Helper()
	moved := dir + ".moved"
	if err := os.Rename(dir, moved); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	return func() {
		t.Helper()
		if err := os.Remove(dir); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(moved, dir); err != nil {
			t.Fatal(err)
		}
	}
}
