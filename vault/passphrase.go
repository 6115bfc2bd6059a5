package vault

import (
	"errors"
	"unicode/utf8"

	"github.com/trustelem/zxcvbn"
	"golang.org/x/text/unicode/norm"
)

// MinPassphraseLen is the fewest characters (Unicode code points, counted
// in the NFC form the key is derived from) a new passphrase may have.
const MinPassphraseLen = 8

// StrongScore is the lowest PassphraseStrength that is not easy to guess;
// below it a new passphrase is weak: allowed, after a warning.
const StrongScore = 3

// ErrShortPassphrase: a new passphrase has fewer than MinPassphraseLen
// characters.
var ErrShortPassphrase = errors.New("the passphrase is too short: use at least 8 characters (four or more random words are better)")

// CheckNewPassphrase is the rule for a new passphrase (a new vault, a
// changed passphrase): ErrEmptyPassphrase when empty, ErrShortPassphrase
// when shorter than MinPassphraseLen, else nil. Opening a vault never
// applies it, so a vault made with a shorter passphrase still opens.
func CheckNewPassphrase(passphrase string) error {
	switch n := utf8.RuneCountInString(norm.NFC.String(passphrase)); {
	case n == 0:
		return ErrEmptyPassphrase
	case n < MinPassphraseLen:
		return ErrShortPassphrase
	}
	return nil
}

// PassphraseStrength scores a passphrase from 0 (very weak) to 4 (strong)
// with zxcvbn (guessability: dictionary words, keyboard runs, dates), and
// "keyshelf" counting as a known word. Below StrongScore it is easy to guess.
func PassphraseStrength(passphrase string) int {
	if passphrase == "" {
		return 0
	}
	// zxcvbn's cost grows with length; past 64 bytes it is strong anyway.
	if len(passphrase) > 64 {
		return 4
	}
	return zxcvbn.PasswordStrength(passphrase, []string{"keyshelf"}).Score
}
