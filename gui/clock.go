package gui

import "time"

// Clock is the time source of the interface. Tests use a fake one so that
// countdowns and clearing are checked without sleeping.
type Clock interface {
	Now() time.Time
	// AfterFunc calls f once, after d, on some goroutine; stop cancels it.
	AfterFunc(d time.Duration, f func()) (stop func())
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) AfterFunc(d time.Duration, f func()) func() {
	t := time.AfterFunc(d, f)
	return func() { t.Stop() }
}

// moment is a point in time as both of the computer's clocks saw it. Go's
// timers and the monotonic reading in time.Now run on a clock that stands
// still while the computer sleeps (on Linux), so a deadline held on it alone
// passes late by the length of the sleep; the wall clock goes on, but the
// user may set it back. A deadline passes when either clock says so.
type moment struct {
	wall time.Time // no monotonic reading: Sub compares wall times
	mono time.Time // as the clock gave it, monotonic reading and all
}

func momentOf(now time.Time) moment { return moment{wall: now.Round(0), mono: now} }

// since is the time from m to now by whichever clock has gone further.
func (m moment) since(now time.Time) time.Duration {
	return max(now.Sub(m.wall), now.Sub(m.mono))
}
