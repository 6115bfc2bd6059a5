package cmdline

import "unicode"

// maxNameWidth is the most characters of a name the list's table shows; a
// longer name is cut to fit, ending with an ellipsis.
const maxNameWidth = 32

// cutName shortens s to at most n characters, the last being "…", when it
// is longer. A character here is a user-perceived one, roughly a grapheme
// cluster: a letter with its combining accents, an emoji with its skin
// tone, variation selector and ZWJ-joined parts, a flag's pair of regional
// indicators. The cut falls between such characters, never inside one, so
// the last emoji shown is whole and no UTF-8 sequence is split.
func cutName(s string, n int) string {
	if n < 1 {
		return ""
	}
	count, keep := 0, 0 // characters seen; bytes of the first n-1
	prevRI, joined := false, false
	for i, r := range s {
		ri := r >= 0x1F1E6 && r <= 0x1F1FF
		extends := joined || extender(r) || (ri && prevRI)
		joined = r == 0x200D // a ZWJ joins the next rune too
		if extends {
			prevRI = false // a flag is two indicators, not more
			continue
		}
		prevRI = ri
		count++
		if count == n {
			keep = i
		}
		if count > n {
			return s[:keep] + "…"
		}
	}
	return s
}

// extender reports whether r belongs to the character before it: a
// combining mark, a variation selector, an emoji skin tone, a zero-width
// joiner or an emoji tag.
func extender(r rune) bool {
	switch {
	case r == 0x200D, r == 0x200C,
		r >= 0xFE00 && r <= 0xFE0F, r >= 0xE0100 && r <= 0xE01EF,
		r >= 0x1F3FB && r <= 0x1F3FF,
		r >= 0xE0020 && r <= 0xE007F:
		return true
	}
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Mc)
}
