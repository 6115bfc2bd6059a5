package cmdline

import (
	"bytes"
	"strings"
	"testing"

	"keyshelf/vault"
)

// TestRedactorEverySplit feeds a stream with keys in it cut at every pair
// of points, and wants the same masked text whatever the cuts.
func TestRedactorEverySplit(t *testing.T) {
	short := "sk-abcdefghijklmnopq"
	long := short + "XYZ0123" // one key the start of another: the longer wins
	other := "ghp_zzzzzzzzzzzzzzzzzz"
	in := "a " + long + " b " + short + short + " c sk-ab " + other + " " + short + "XYZ"
	want := "a " + vault.Mask(long) + " b " + vault.Mask(short) + vault.Mask(short) + " c sk-ab " + vault.Mask(other) + " " + vault.Mask(short) + "XYZ"
	for i := 0; i <= len(in); i++ {
		for j := i; j <= len(in); j++ {
			var out bytes.Buffer
			r := newRedactor(&out, []string{short, other, long, ""})
			for _, part := range []string{in[:i], in[i:j], in[j:]} {
				if n, err := r.Write([]byte(part)); err != nil || n != len(part) {
					t.Fatalf("Write = %d, %v", n, err)
				}
			}
			if err := r.Flush(); err != nil {
				t.Fatal(err)
			}
			if got := out.String(); got != want {
				t.Fatalf("cut at %d and %d: %q, want %q", i, j, hide(got, long, short, other), want)
			}
		}
	}
}

// TestRedactorHoldsOnlyAKeysStart: what cannot be part of a key goes out
// at once; a possible start of one waits for the next write.
func TestRedactorHoldsOnlyAKeysStart(t *testing.T) {
	var out bytes.Buffer
	r := newRedactor(&out, []string{"sk-secret-value-123"})
	r.Write([]byte("Enter a value: "))
	if out.String() != "Enter a value: " {
		t.Errorf("held back %d bytes", len("Enter a value: ")-out.Len())
	}
	r.Write([]byte("token sk-sec"))
	if out.String() != "Enter a value: token " {
		t.Errorf("out = %q", hide(out.String(), "sk-secret-value-123"))
	}
	r.Write([]byte("ond\n"))
	if out.String() != "Enter a value: token sk-second\n" {
		t.Errorf("out = %q", hide(out.String(), "sk-secret-value-123"))
	}
}

// hide is s with the keys replaced, for failure messages.
func hide(s string, keys ...string) string {
	for _, k := range keys {
		s = strings.ReplaceAll(s, k, "<key>")
	}
	return s
}
