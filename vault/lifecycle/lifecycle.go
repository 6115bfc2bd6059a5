// Package lifecycle holds the rules for rotating keys and noticing expiry:
// when a key is due for rotation, and which keys need the user's attention.
// It is pure date arithmetic on values the caller passes in, so every rule
// is tested with fixed clocks across time zones and leap days.
package lifecycle

import "time"

// Attention says why a key needs looking at; the empty string means it does
// not. The values are stable: `keyshelf list --json` prints them.
type Attention string

// The attention states, most urgent first.
const (
	None Attention = ""
	// Exposed: the key was seen where it should not be (see
	// vault.Entry.Exposed); rotate it now.
	Exposed       Attention = "exposed"
	Expired       Attention = "expired"
	RotateOverdue Attention = "rotate-overdue"
	Expiring      Attention = "expiring"
	RotateSoon    Attention = "rotate-soon"
)

const (
	// DefaultIntervalDays is how often keys are rotated unless an entry or
	// the settings say otherwise.
	DefaultIntervalDays = 90
	// SoonDays is how far ahead a coming rotation or expiry is flagged.
	SoonDays = 14
	// MaxIntervalDays bounds an interval (ten years).
	MaxIntervalDays = 3650
)

// RotationDue is the moment a key last rotated at lastRotated falls due,
// intervalDays calendar days later in loc (so that "90 days" keeps the wall
// clock time across daylight-saving changes). An interval of 0 or less
// means the key is never due: the zero time is returned.
func RotationDue(lastRotated time.Time, intervalDays int, loc *time.Location) time.Time {
	if intervalDays <= 0 || lastRotated.IsZero() {
		return time.Time{}
	}
	intervalDays = min(intervalDays, MaxIntervalDays)
	return lastRotated.In(loc).AddDate(0, 0, intervalDays)
}

// soonFrom is the moment, SoonDays calendar days before t in loc, from which
// t counts as coming soon.
func soonFrom(t time.Time, loc *time.Location) time.Time {
	return t.In(loc).AddDate(0, 0, -SoonDays)
}

// Key is what the rules need to know about one key.
type Key struct {
	LastRotated  time.Time  // when the key was last replaced (its creation if never)
	IntervalDays int        // rotation interval; 0 or less: never rotate
	Expires      *time.Time // when the key stops working; nil: never
}

// Assess says whether k needs attention at now, judged in loc (the user's
// time zone). Expired beats an overdue rotation, which beats expiring soon,
// which beats a rotation coming soon.
func Assess(k Key, now time.Time, loc *time.Location) Attention {
	if loc == nil {
		loc = time.Local
	}
	due := RotationDue(k.LastRotated, k.IntervalDays, loc)
	switch {
	case k.Expires != nil && !now.Before(*k.Expires):
		return Expired
	case !due.IsZero() && !now.Before(due):
		return RotateOverdue
	case k.Expires != nil && !now.Before(soonFrom(*k.Expires, loc)):
		return Expiring
	case !due.IsZero() && !now.Before(soonFrom(due, loc)):
		return RotateSoon
	}
	return None
}

// DaysUntil is the number of calendar days in loc from now to t: 0 on the
// same day, negative when t is in the past. It is what "due in 3 days" and
// "overdue by 2 days" say.
func DaysUntil(now, t time.Time, loc *time.Location) int {
	if loc == nil {
		loc = time.Local
	}
	a, b := now.In(loc), t.In(loc)
	da := time.Date(a.Year(), a.Month(), a.Day(), 12, 0, 0, 0, time.UTC)
	db := time.Date(b.Year(), b.Month(), b.Day(), 12, 0, 0, 0, time.UTC)
	return int(db.Sub(da).Hours() / 24)
}
