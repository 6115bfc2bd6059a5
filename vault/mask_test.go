package vault

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestMask(t *testing.T) {
	cases := map[string]string{
		"":              MaskDots,
		"a":             MaskDots,
		"123456789012":  MaskDots, // 12 characters: nothing shown
		"1234567890123": MaskDots + "0123",
		"sk-proj-abcdefghijklmnopT3BlbkFJqrstuvwxyz012345": "sk-proj-" + MaskDots + "2345",
		"ghp_0123456789abcdefghijABCDEFGHIJ012345":         "ghp_" + MaskDots + "2345",
		"sk-ant-api03-abcdefgh":                            MaskDots + "efgh", // prefix would leave < 8 hidden
		"sk-ant-api03-abcdefghijkl":                        "sk-ant-api03-" + MaskDots + "ijkl",
		"ÄÖÜäöüßéèêëïîô":                                   MaskDots + "ëïîô",
		"sk_live_0123456789abcdef":                         "sk_live_" + MaskDots + "cdef",
	}
	for in, want := range cases {
		if got := Mask(in); got != want {
			t.Errorf("Mask(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzMask: never panics, always valid UTF-8, never shows more than a known
// prefix and the last 4 characters, and nothing at all for short keys.
func FuzzMask(f *testing.F) {
	for _, s := range []string{"", "x", "123456789012", "sk-proj-abcdefghijklmnopT3BlbkFJ", "ghp_\xff\xfe0123456789abcdef", "sk-ant-api03-ÄÖÜ-not-real"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m := Mask(s)
		if !strings.Contains(m, MaskDots) {
			t.Fatalf("mask %q lacks the dots", m)
		}
		if utf8.ValidString(s) && !utf8.ValidString(m) {
			t.Fatalf("mask of valid UTF-8 is invalid: %q", m)
		}
		n := utf8.RuneCountInString(s)
		shown := utf8.RuneCountInString(m) - utf8.RuneCountInString(MaskDots)
		if n <= 12 && shown != 0 {
			t.Fatalf("short key %q shows %d characters", s, shown)
		}
		if n > 12 && n-shown < 8 {
			t.Fatalf("key of %d characters shows %d", n, shown)
		}
		before, after, _ := strings.Cut(m, MaskDots)
		if !strings.HasPrefix(s, before) || !strings.HasSuffix(s, after) || utf8.RuneCountInString(after) > 4 {
			t.Fatalf("mask %q is not a prefix and at most 4 trailing characters of the key", m)
		}
	})
}
