package lifecycle

import (
	"testing"
	"time"
	_ "time/tzdata" // the zones below, on every system
)

func mustLoad(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func ptr(t time.Time) *time.Time { return &t }

func TestRotationDue(t *testing.T) {
	ny := mustLoad(t, "America/New_York")
	cases := []struct {
		name     string
		last     time.Time
		days     int
		loc      *time.Location
		wantWall string // due, as wall clock time in loc
	}{
		{"plain 90 days", time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC), 90, time.UTC, "2026-04-10 09:00"},
		{"across the leap day", time.Date(2028, 2, 1, 9, 0, 0, 0, time.UTC), 30, time.UTC, "2028-03-02 09:00"},
		{"from the leap day, a year", time.Date(2028, 2, 29, 9, 0, 0, 0, time.UTC), 365, time.UTC, "2029-02-28 09:00"},
		{"from the leap day, 366 days", time.Date(2028, 2, 29, 9, 0, 0, 0, time.UTC), 366, time.UTC, "2029-03-01 09:00"},
		// Rotated at 09:00 New York time before the clocks go forward on
		// 8 March 2026: due at 09:00 New York time after it, 23 h fewer in UTC.
		{"across a DST change", time.Date(2026, 3, 1, 14, 0, 0, 0, time.UTC), 14, ny, "2026-03-15 09:00"},
		{"interval capped at ten years", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), 100000, time.UTC, "2035-12-30 00:00"},
	}
	for _, c := range cases {
		got := RotationDue(c.last, c.days, c.loc)
		if w := got.In(c.loc).Format("2006-01-02 15:04"); w != c.wantWall {
			t.Errorf("%s: due %s, want %s", c.name, w, c.wantWall)
		}
	}
	if !RotationDue(time.Now(), 0, time.UTC).IsZero() || !RotationDue(time.Time{}, 90, time.UTC).IsZero() {
		t.Error("no interval or no date must mean never due")
	}
}

// TestAssessBoundaries walks each rule across its boundary, one second on
// either side.
func TestAssessBoundaries(t *testing.T) {
	last := time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC)
	due := last.AddDate(0, 0, 90) // 2026-04-01 10:00
	soon := due.AddDate(0, 0, -SoonDays)
	exp := time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)
	expSoon := exp.AddDate(0, 0, -SoonDays)
	s := time.Second
	cases := []struct {
		name string
		k    Key
		now  time.Time
		want Attention
	}{
		{"fresh", Key{LastRotated: last, IntervalDays: 90}, last.Add(s), None},
		{"just before soon", Key{LastRotated: last, IntervalDays: 90}, soon.Add(-s), None},
		{"soon starts", Key{LastRotated: last, IntervalDays: 90}, soon, RotateSoon},
		{"just before due", Key{LastRotated: last, IntervalDays: 90}, due.Add(-s), RotateSoon},
		{"due", Key{LastRotated: last, IntervalDays: 90}, due, RotateOverdue},
		{"long overdue", Key{LastRotated: last, IntervalDays: 90}, due.AddDate(2, 0, 0), RotateOverdue},
		{"never rotate", Key{LastRotated: last, IntervalDays: 0}, due.AddDate(5, 0, 0), None},
		{"before expiring", Key{LastRotated: last, Expires: ptr(exp)}, expSoon.Add(-s), None},
		{"expiring starts", Key{LastRotated: last, Expires: ptr(exp)}, expSoon, Expiring},
		{"just before expiry", Key{LastRotated: last, Expires: ptr(exp)}, exp.Add(-s), Expiring},
		{"expired", Key{LastRotated: last, Expires: ptr(exp)}, exp, Expired},
		{"expired beats overdue", Key{LastRotated: last, IntervalDays: 90, Expires: ptr(due.Add(-time.Hour))}, due, Expired},
		{"overdue beats expiring", Key{LastRotated: last, IntervalDays: 90, Expires: ptr(due.AddDate(0, 0, 3))}, due, RotateOverdue},
		{"expiring beats rotate soon", Key{LastRotated: last, IntervalDays: 90, Expires: ptr(due.AddDate(0, 0, 3))}, due.Add(-s), Expiring},
	}
	for _, c := range cases {
		if got := Assess(c.k, c.now, time.UTC); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

// TestAssessTimeZones: the same instant is judged by calendar days in the
// user's zone, so the day a rotation turns "soon" follows their wall clock.
func TestAssessTimeZones(t *testing.T) {
	tokyo := mustLoad(t, "Asia/Tokyo")
	la := mustLoad(t, "America/Los_Angeles")
	// Rotated at 23:30 in Tokyo on 1 Feb 2026 (14:30 UTC).
	last := time.Date(2026, 2, 1, 23, 30, 0, 0, tokyo)
	k := Key{LastRotated: last, IntervalDays: 30}
	due := RotationDue(last, 30, tokyo)
	if w := due.In(tokyo).Format("2006-01-02 15:04"); w != "2026-03-03 23:30" {
		t.Fatalf("due in Tokyo %s", w)
	}
	if got := Assess(k, due.Add(-time.Second), tokyo); got != RotateSoon {
		t.Fatalf("a second before due: %q", got)
	}
	if got := Assess(k, due, tokyo); got != RotateOverdue {
		t.Fatalf("at due: %q", got)
	}
	// In Los Angeles the same key, rotated at 06:30 on 1 Feb local time, is
	// due at 06:30 on 3 March local time: 30 calendar days in that zone.
	dueLA := RotationDue(last, 30, la)
	if w := dueLA.In(la).Format("2006-01-02 15:04"); w != "2026-03-03 06:30" {
		t.Fatalf("due in Los Angeles %s", w)
	}
	if Assess(k, dueLA.Add(-time.Second), la) != RotateSoon || Assess(k, dueLA, la) != RotateOverdue {
		t.Fatal("Los Angeles boundary")
	}
}

func TestDaysUntil(t *testing.T) {
	berlin := mustLoad(t, "Europe/Berlin")
	now := time.Date(2028, 2, 28, 23, 0, 0, 0, berlin)
	cases := []struct {
		t    time.Time
		want int
	}{
		{time.Date(2028, 2, 28, 1, 0, 0, 0, berlin), 0},
		{time.Date(2028, 2, 29, 0, 30, 0, 0, berlin), 1}, // 90 minutes later, but the next day
		{time.Date(2028, 3, 1, 0, 0, 0, 0, berlin), 2},   // across the leap day
		{time.Date(2028, 2, 27, 23, 59, 0, 0, berlin), -1},
		{time.Date(2029, 2, 28, 12, 0, 0, 0, berlin), 366},
		// 26 March 2028: clocks go forward in Berlin; still whole days.
		{time.Date(2028, 3, 31, 0, 0, 0, 0, berlin), 32},
	}
	for _, c := range cases {
		if got := DaysUntil(now, c.t, berlin); got != c.want {
			t.Errorf("DaysUntil(%s) = %d, want %d", c.t.Format(time.RFC3339), got, c.want)
		}
	}
}
