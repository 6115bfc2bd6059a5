package vault

import (
	"errors"
	"fmt"
	"time"
)

// The range of instants a vault file can hold. The file stores times as RFC
// 3339 in UTC, whose year has exactly four digits: a time before MinTime or
// after MaxTime would be written as "-0001-…" or "10000-…", which no reader
// (this one included) parses back, and the vault would never open again.
var (
	// MinTime is the earliest storable instant, 0001-01-01T00:00:00Z (Go's
	// zero time, which the file also uses for "never").
	MinTime = time.Time{}
	// MaxTime is the latest storable instant, 9999-12-31T23:59:59Z.
	MaxTime = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)
)

// ErrBadDate: a date typed for an entry is outside the years a key's dates
// can sensibly hold.
var ErrBadDate = errors.New("the date is out of range")

// minTypedYear is the earliest year a date typed by a user may have: nothing
// about an API key happened before 1970, so an earlier year is a typo (such
// as 0000-01-01).
const minTypedYear = 1970

// clampTime returns t in UTC, whole seconds, moved into [MinTime, MaxTime].
// It is applied to every time read from a file and every time written, so
// that no value, from whatever writer, can make a vault unreadable.
func clampTime(t time.Time) time.Time {
	t = t.UTC().Truncate(time.Second)
	switch {
	case t.Before(MinTime):
		return MinTime
	case t.After(MaxTime):
		return MaxTime
	}
	return t
}

// checkTypedDate validates a date the user gave for an entry (an expiry):
// years before 1970 are refused as typos, and a date past the end of year
// 9999 in UTC (9999-12-31 typed west of UTC) is clamped to MaxTime.
func checkTypedDate(what string, t time.Time) (time.Time, error) {
	if t.Year() < minTypedYear {
		return time.Time{}, fmt.Errorf("%w: %s %s is before %d", ErrBadDate, what, t.Format(time.DateOnly), minTypedYear)
	}
	if t.Year() > MaxTime.Year() {
		return time.Time{}, fmt.Errorf("%w: %s %s is after the year %d", ErrBadDate, what, t.Format(time.DateOnly), MaxTime.Year())
	}
	return clampTime(t), nil
}

// CheckDate reports whether t is a date an entry can hold, as Add, Update
// and Set check it: from 1970 to the end of year 9999. Editors call it to
// show the problem next to the field before saving.
func CheckDate(t time.Time) error {
	_, err := checkTypedDate("the date", t)
	return err
}

// clampZero is clampTime for times where zero means "none": it stays zero.
func clampZero(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return clampTime(t)
}

// appendRFC3339 appends t, clamped into the storable range, as RFC 3339 in
// UTC: the encoder cannot write a time that the decoder would refuse.
func appendRFC3339(b []byte, t time.Time) []byte {
	return clampTime(t).AppendFormat(b, time.RFC3339)
}
