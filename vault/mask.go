package vault

import (
	"strings"
	"unicode/utf8"

	"keyshelf/vault/provider"
)

// MaskDots stands for the hidden part of a key. It is always the same length,
// so a mask does not tell how long the key is.
const MaskDots = "••••••••"

// Mask shows a key without revealing it: at most a recognised provider prefix
// and the last 4 characters, the rest as dots. A key of 12 characters or fewer
// shows no characters at all, and at least 8 characters always stay hidden.
// It never panics, whatever the input.
func Mask(secret string) string {
	n := utf8.RuneCountInString(secret)
	if n <= 12 {
		return MaskDots
	}
	// Last 4 characters, by rune so UTF-8 is never cut.
	cut := len(secret)
	for range 4 {
		_, size := utf8.DecodeLastRuneInString(secret[:cut])
		cut -= size
	}
	tail := secret[cut:]
	prefix := provider.KnownPrefix(secret)
	if n-utf8.RuneCountInString(prefix)-4 < 8 {
		prefix = ""
	}
	var b strings.Builder
	b.Grow(len(prefix) + len(MaskDots) + len(tail))
	b.WriteString(prefix)
	b.WriteString(MaskDots)
	b.WriteString(tail)
	return b.String()
}
