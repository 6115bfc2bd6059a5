package gui

import (
	"unicode"

	"fyne.io/fyne/v2"
)

// newNameLabel is the name column. A name too long for the column ends with
// an ellipsis, cut between whole characters as the reader sees them (an
// emoji made of several code points, a flag, a letter with its accent stays
// whole). Fyne's own ellipsis re-shapes every label's text on each layout
// (3 ms a keystroke with 10,000 keys, see docs/benchmarks.md); a fitLabel
// measures a name only when its text or the column's width changes.
func newNameLabel() *fitLabel {
	style := fyne.TextStyle{Bold: true}
	return newFitLabel(style, func(name string, width, textSize float32) string { return fitName(name, width, textSize, style) })
}

// fitName is name if it fits width, else its longest start that fits with
// "…" after it, cut only where a character as the reader sees it ends.
func fitName(name string, width, textSize float32, style fyne.TextStyle) string {
	if fyne.MeasureText(name, textSize, style).Width <= width {
		return name
	}
	rs := []rune(name)
	cuts := graphemeEnds(rs)
	fits := func(i int) bool { return fyne.MeasureText(string(rs[:cuts[i]])+"…", textSize, style).Width <= width }
	lo, hi := 0, len(cuts)-1 // the longest start that fits, by binary search
	if !fits(lo) {
		return "…"
	}
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if fits(mid) {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return string(rs[:cuts[lo]]) + "…"
}

// graphemeEnds lists where a name may be cut (rune indices, from 1): after
// a whole user-perceived character. It keeps together what follows a
// character and belongs to it: combining marks, variation selectors, skin
// tones, tag characters, the keycap mark, a zero-width joiner and the
// character it joins, and the two halves of a flag. An approximation of
// Unicode's grapheme clusters (UAX #29) that covers names and emoji.
func graphemeEnds(rs []rune) []int {
	extends := func(r rune) bool {
		return unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r) ||
			r >= 0xFE00 && r <= 0xFE0F || r >= 0x1F3FB && r <= 0x1F3FF ||
			r >= 0xE0020 && r <= 0xE007F || r == 0x20E3 || r == 0x200D
	}
	regional := func(r rune) bool { return r >= 0x1F1E6 && r <= 0x1F1FF }
	var ends []int
	ri := 0 // regional indicators in the current run
	for i := 0; i < len(rs); i++ {
		if regional(rs[i]) {
			ri++
		} else {
			ri = 0
		}
		next := i + 1
		if next < len(rs) && (extends(rs[next]) || rs[i] == 0x200D || regional(rs[next]) && ri%2 == 1) {
			continue
		}
		ends = append(ends, next)
	}
	return ends
}
