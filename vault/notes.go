package vault

import (
	"errors"
	"fmt"
	"strings"
)

// MaxNotesLen is the longest note an entry may have, in bytes (64 KiB):
// room for a runbook's worth of words, while a pasted log or file is
// refused rather than slowing every window that shows it.
const MaxNotesLen = 64 << 10

// ErrNotesTooLong: a draft's notes are over MaxNotesLen.
var ErrNotesTooLong = errors.New("the notes are too long: the limit is 64 KiB")

// CheckNotes is the rule for a draft's notes: nil, or ErrNotesTooLong
// (wrapped with their size) when they are over MaxNotesLen once trimmed.
func CheckNotes(notes string) error {
	if n := len(strings.TrimSpace(notes)); n > MaxNotesLen {
		return fmt.Errorf("%w (they are %d KiB)", ErrNotesTooLong, (n+1023)>>10)
	}
	return nil
}
