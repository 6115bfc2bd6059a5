package cmdline

import (
	"bytes"
	"io"
	"slices"

	"keyshelf/vault"
)

// redactor copies a program's output to w with every key in it replaced by
// its masked form (vault.Mask), also when a key arrives split over several
// writes: it holds back only an ending that could be the start of a key,
// until the next write or Flush tells. So output reaches w as soon as it is
// known not to be part of a key; a program that stops in the middle of a
// key-like prefix (say "sk-") has that much held until it writes on or ends.
type redactor struct {
	w       io.Writer
	secrets [][]byte // longest first, so the longest of two overlapping keys wins
	masks   [][]byte
	pend    []byte
	err     error
}

func newRedactor(w io.Writer, secrets []string) *redactor {
	r := &redactor{w: w}
	s := slices.Clone(secrets)
	slices.SortFunc(s, func(a, b string) int { return len(b) - len(a) })
	for _, k := range slices.Compact(s) {
		if k == "" {
			continue
		}
		r.secrets = append(r.secrets, []byte(k))
		r.masks = append(r.masks, []byte(vault.Mask(k)))
	}
	return r
}

// Write takes p whole (its length, unless w failed).
func (r *redactor) Write(p []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	r.pend = append(r.pend, p...)
	var out []byte
	keep := -1
	for {
		at, which := r.first(r.pend)
		if which < 0 {
			break
		}
		out = append(out, r.pend[:at]...)
		r.pend = r.pend[at:]
		if r.longerMayFollow(r.pend) {
			keep = len(r.pend) // a longer key may be arriving here: wait
			break
		}
		out = append(out, r.masks[which]...)
		r.pend = r.pend[len(r.secrets[which]):]
	}
	if keep < 0 {
		keep = r.heldBack(r.pend)
	}
	out = append(out, r.pend[:len(r.pend)-keep]...)
	r.pend = append(r.pend[:0:0], r.pend[len(r.pend)-keep:]...)
	if len(out) > 0 {
		if _, err := r.w.Write(out); err != nil {
			r.err = err
			return 0, err
		}
	}
	return len(p), nil
}

// Flush writes what was held back: the output ended, so it is no key.
// Any whole key in it is still masked (it waited for a longer key that
// never came).
func (r *redactor) Flush() error {
	if r.err != nil || len(r.pend) == 0 {
		return r.err
	}
	var out []byte
	for {
		at, which := r.first(r.pend)
		if which < 0 {
			break
		}
		out = append(out, r.pend[:at]...)
		out = append(out, r.masks[which]...)
		r.pend = r.pend[at+len(r.secrets[which]):]
	}
	out = append(out, r.pend...)
	r.pend = nil
	_, r.err = r.w.Write(out)
	return r.err
}

// first finds the leftmost key in b (the longest there), or -1.
func (r *redactor) first(b []byte) (at, which int) {
	at, which = -1, -1
	for i, s := range r.secrets {
		if j := bytes.Index(b, s); j >= 0 && (at < 0 || j < at) {
			at, which = j, i
		}
	}
	return at, which
}

// longerMayFollow reports whether b, which starts with a key, is also the
// start of a longer key that has not all arrived.
func (r *redactor) longerMayFollow(b []byte) bool {
	for _, s := range r.secrets {
		if len(s) > len(b) && bytes.HasPrefix(s, b) {
			return true
		}
	}
	return false
}

// heldBack is the length of the longest ending of b that a key starts with
// (short of the whole key, which first would have found).
func (r *redactor) heldBack(b []byte) int {
	best := 0
	for _, s := range r.secrets {
		for n := min(len(s)-1, len(b)); n > best; n-- {
			if bytes.HasPrefix(s, b[len(b)-n:]) {
				best = n
				break
			}
		}
	}
	return best
}
