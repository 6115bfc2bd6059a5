package vault

import (
	"errors"
	"strings"
	"testing"
)

func TestCheckNewPassphrase(t *testing.T) {
	for _, c := range []struct {
		pass string
		want error
	}{
		{"", ErrEmptyPassphrase},
		{"abc", ErrShortPassphrase},
		{"1234567", ErrShortPassphrase},
		{"ééééééé", ErrShortPassphrase},                      // 7 characters, 14 bytes
		{"e\u0301e\u0301e\u0301e\u0301", ErrShortPassphrase}, // 8 code points, 4 once composed (NFC)
		{"12345678", nil},
		{"correct horse battery staple", nil},
	} {
		if err := CheckNewPassphrase(c.pass); !errors.Is(err, c.want) {
			t.Errorf("CheckNewPassphrase(%d runes) = %v, want %v", len([]rune(c.pass)), err, c.want)
		}
	}
	if strings.Contains(ErrShortPassphrase.Error(), "1234567") {
		t.Fatal("the error holds the passphrase")
	}
}

func TestPassphraseStrength(t *testing.T) {
	for _, c := range []struct {
		pass string
		weak bool
	}{
		{"", true},
		{"password", true},
		{"12345678", true},
		{"keyshelf1", true},
		{"correct horse battery staple", false},
		{"vivid-otter-lantern-93-quilt", false},
		{strings.Repeat("x", 65), false},
	} {
		if got := PassphraseStrength(c.pass) < StrongScore; got != c.weak {
			t.Errorf("PassphraseStrength(%q) = %d, weak %v, want weak %v", c.pass, PassphraseStrength(c.pass), got, c.weak)
		}
	}
}
