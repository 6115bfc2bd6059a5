package vault

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// An imported key keeps when it was made and its earlier values.
func TestAddKeepsCreatedAndHistory(t *testing.T) {
	v, opts, clock := newVault(t)
	now := clock.Now()
	r, err := v.Add(Draft{Name: "OpenAI", Secret: "sk-current-0001", Created: day(2025, 1, 2).Add(3*time.Hour + 500*time.Millisecond),
		History: []OldSecret{
			{Secret: "sk-old-0001", Until: day(2025, 3, 1)},
			{Secret: ""},
			{Secret: "sk-current-0001"},
			{Secret: "sk-old-0001", Until: day(2025, 4, 1)},
			{Secret: "sk-old-0002", Until: day(2025, 6, 1)},
		}})
	if err != nil {
		t.Fatal(err)
	}
	check := func(e Entry) {
		t.Helper()
		if !e.Created.Equal(day(2025, 1, 2).Add(3*time.Hour)) || !e.Updated.Equal(now.Truncate(time.Second)) {
			t.Errorf("created %v updated %v", e.Created, e.Updated)
		}
		want := []OldSecret{
			{Secret: "sk-old-0001", From: e.Created, Until: day(2025, 3, 1)},
			{Secret: "sk-old-0002", From: e.Created, Until: day(2025, 6, 1)},
		}
		if len(e.History) != len(want) {
			t.Fatalf("history %d values, want %d", len(e.History), len(want))
		}
		for i := range want {
			if h := e.History[i]; h.Secret != want[i].Secret || !h.From.Equal(want[i].From) || !h.Until.Equal(want[i].Until) {
				t.Errorf("history[%d] from %v until %v, want %v .. %v", i, h.From, h.Until, want[i].From, want[i].Until)
			}
		}
		if !e.LastRotated().Equal(day(2025, 6, 1)) {
			t.Errorf("last rotated %v, want when the newest old value was replaced", e.LastRotated())
		}
	}
	check(r.Entry)
	v = reopen(t, v, opts)
	e, _ := v.Find("OpenAI")
	check(e)

	// Update leaves both alone.
	d := e.Draft()
	d.Created, d.History, d.Notes = day(2020, 1, 1), []OldSecret{{Secret: "sk-other"}}, "edited"
	if r, err = v.Update(e.ID, d); err != nil {
		t.Fatal(err)
	}
	check(r.Entry)
}

func TestAddImportedTimesAreSane(t *testing.T) {
	v, _, clock := newVault(t)
	now := clock.Now().Truncate(time.Second)
	// A creation date in the future is now; an old value without dates
	// counts from creation until now, and says nothing of the rotation.
	r, err := v.Add(Draft{Name: "a", Secret: "secret-a-0001", Created: now.Add(48 * time.Hour),
		History: []OldSecret{{Secret: "secret-a-0000"}}})
	if err != nil {
		t.Fatal(err)
	}
	e := r.Entry
	if !e.Created.Equal(now) || len(e.History) != 1 || !e.History[0].From.Equal(now) || !e.History[0].Until.Equal(now) || !e.Rotated.IsZero() {
		t.Errorf("created %v history %+v rotated %v", e.Created, e.History, e.Rotated)
	}
	// Dates outside [created, now] are moved in; From never after Until.
	r, err = v.Add(Draft{Name: "b", Secret: "secret-b-0001", Created: day(2025, 1, 1),
		History: []OldSecret{{Secret: "secret-b-0000", From: day(2025, 8, 1), Until: day(2024, 1, 1)}, {Secret: "secret-b-0002", Until: day(2999, 1, 1)}}})
	if err != nil {
		t.Fatal(err)
	}
	h := r.Entry.History
	if !h[0].Until.Equal(day(2025, 1, 1)) || !h[0].From.Equal(h[0].Until) || !h[1].Until.Equal(now) || !r.Entry.Rotated.Equal(now) {
		t.Errorf("history %+v rotated %v", h, r.Entry.Rotated)
	}
	// At most MaxHistory, the newest.
	var many []OldSecret
	for i := range MaxHistory + 3 {
		many = append(many, OldSecret{Secret: fmt.Sprintf("secret-c-%04d", i)})
	}
	r, err = v.Add(Draft{Name: "c", Secret: "secret-c-9999", History: many})
	if err != nil || len(r.Entry.History) != MaxHistory || r.Entry.History[0].Secret != "secret-c-0003" {
		t.Fatalf("many: %v, %d values, first %q", err, len(r.Entry.History), r.Entry.History[0].Secret)
	}
	if _, err := v.Add(Draft{Name: "d", Secret: "secret-d-0001", History: []OldSecret{{Secret: "\xff\xfe"}}}); !errors.Is(err, ErrNotText) {
		t.Fatalf("a value that is not text: %v", err)
	}
}
