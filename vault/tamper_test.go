package vault

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestEveryByteFlipFailsOpen flips one bit in each byte of a small vault in
// turn: the open must fail with a typed error and must leave the file as it
// was. Flips in the payload or its nonce fail authentication (ErrTampered);
// flips in the header fail parsing; flips in the id, salt, KDF numbers or the
// passphrase slot change the key the passphrase derives, which by design is
// indistinguishable from a wrong passphrase.
func TestEveryByteFlipFailsOpen(t *testing.T) {
	v, opts, _ := newVault(t)
	mustAdd(t, v, "OpenAI prod", "sk-proj-abcdefghijklmnopT3BlbkFJqrstuvwxyz012345")
	v.Close()
	orig, err := os.ReadFile(v.Path())
	if err != nil {
		t.Fatal(err)
	}
	headerLen := bytes.Index(orig, []byte("\n---\n")) + 5
	allowed := []error{ErrCorrupt, ErrTampered, ErrNotVault, ErrNewerVersion, ErrUnsafeKDF, ErrWrongPassphrase}
	path := filepath.Join(t.TempDir(), "flipped.keyshelf")
	counts := map[string]int{}
	for i := range orig {
		flipped := bytes.Clone(orig)
		flipped[i] ^= 1 << (i % 8)
		if err := os.WriteFile(path, flipped, 0o600); err != nil {
			t.Fatal(err)
		}
		w, err := Open(path, testPass, opts)
		if err == nil {
			w.Close()
			t.Fatalf("byte %d flipped: the vault still opened", i)
		}
		kind := ""
		for _, k := range allowed {
			if errors.Is(err, k) {
				kind = k.Error()
			}
		}
		if kind == "" {
			t.Fatalf("byte %d flipped: untyped error %v", i, err)
		}
		if i >= headerLen && !errors.Is(err, ErrTampered) {
			t.Fatalf("byte %d of the ciphertext flipped: %v, want tampered", i, err)
		}
		counts[kind]++
		after, _ := os.ReadFile(path)
		if !bytes.Equal(after, flipped) {
			t.Fatalf("byte %d flipped: open changed the file", i)
		}
	}
	t.Logf("%d flips: %v", len(orig), counts)
	if got, _ := os.ReadFile(v.Path()); !bytes.Equal(got, orig) {
		t.Fatal("original vault changed")
	}
}
