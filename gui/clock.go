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
