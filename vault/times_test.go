package vault

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"keyshelf/vault/check"
	"keyshelf/vault/format"
)

// writeForeign writes a vault as another program might: any plaintext,
// sealed correctly under testPass.
func writeForeign(t *testing.T, plaintext string) string {
	t.Helper()
	h, dek, err := format.NewHeader(testPass, testParams, nil)
	if err != nil {
		t.Fatal(err)
	}
	data, err := format.Seal(h, dek, []byte(plaintext), nil)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "foreign.keyshelf")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// reopenedTwice saves v (a change forces a real write), then opens the file
// again: what a user does the next day.
func reopenedTwice(t *testing.T, v *Vault, opts Options) *Vault {
	t.Helper()
	if err := v.Save(); err != nil {
		t.Fatalf("save: %v", err)
	}
	return reopen(t, v, opts)
}

func TestTypedDatesThatCannotBeStored(t *testing.T) {
	tokyo := time.FixedZone("JST", 9*3600)
	la := time.FixedZone("PST", -8*3600)
	v, opts, _ := newVault(t)
	// 0000-01-01 typed in Tokyo is year -1 in UTC: refused.
	zero := time.Date(0, 1, 1, 0, 0, 0, 0, tokyo)
	if _, err := v.Add(Draft{Name: "typo", Secret: "secret-typo-0001", Expires: &zero}); !errors.Is(err, ErrBadDate) {
		t.Fatalf("year 0 expiry: %v", err)
	}
	if err := CheckDate(zero); !errors.Is(err, ErrBadDate) {
		t.Fatalf("CheckDate(year 0): %v", err)
	}
	// 1970-01-01 typed in Tokyo is 1969 in UTC, and fine.
	epoch := time.Date(1970, 1, 1, 0, 0, 0, 0, tokyo)
	if err := CheckDate(epoch); err != nil {
		t.Fatalf("1970-01-01 east of UTC: %v", err)
	}
	// 9999-12-31 typed in Los Angeles ("never", in effect) ends in year
	// 10000 in UTC: kept as the last storable second.
	never := time.Date(9999, 12, 31, 23, 59, 59, 0, la)
	r, err := v.Add(Draft{Name: "far", Secret: "secret-far-000002", Expires: &never})
	if err != nil {
		t.Fatalf("year 9999 expiry: %v", err)
	}
	if !r.Entry.Expires.Equal(MaxTime) {
		t.Fatalf("expiry %v, want %v", r.Entry.Expires, MaxTime)
	}
	v2 := reopenedTwice(t, v, opts)
	if e, ok := v2.Find("far"); !ok || !e.Expires.Equal(MaxTime) {
		t.Fatal("the far expiry did not survive")
	}
}

func TestCheckAnswerDatesCannotBreakTheVault(t *testing.T) {
	v, opts, clock := newVault(t)
	e := mustAdd(t, v, "gh", "ghp_abcdefghijklmnopqrstuvwxyz0123456789")
	// GitHub's expiry header "9999-12-31 23:59:59 -2359" is year 10000 in
	// UTC; a reader that passed it on would make the vault unopenable.
	far := time.Date(9999, 12, 31, 23, 59, 59, 0, time.FixedZone("", -(23*3600+59*60)))
	res := check.Result{Outcome: check.Valid, Checked: clock.Now(), Expires: far}
	if err := v.RecordCheck(e, res); err != nil {
		t.Fatal(err)
	}
	v2 := reopenedTwice(t, v, opts)
	got, _ := v2.Find("gh")
	// Dropped as unknowable (check.Result.Scrubbed) or clamped: either way
	// storable.
	if got.LastCheck == nil || got.LastCheck.Expires.After(MaxTime) || got.LastCheck.Expires.Before(MinTime) {
		t.Fatalf("last check %+v", got.LastCheck)
	}
}

func TestForeignDatesAreClampedOnOpen(t *testing.T) {
	// Another writer stored offsets that put these times outside years
	// 0001-9999 once in UTC. Opening, saving and opening again must work.
	path := writeForeign(t, `{"version":1,"entries":[{"id":"00000000000000000000000000000001","name":"odd","provider":"custom",`+
		`"secret":"secret-odd-00001","created":"0001-01-01T00:00:00+23:59","updated":"9999-12-31T23:59:59-23:59",`+
		`"expires":"0000-06-01T00:00:00Z","rotated":"9999-12-31T12:00:00-23:00",`+
		`"last_check":{"time":"0001-01-01T00:00:00+01:00","outcome":"valid","expires":"9999-12-31T23:00:00-05:00"}}]}`)
	opts, _, _ := testOptions()
	v, err := Open(path, testPass, opts)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	e, _ := v.Find("odd")
	for what, tm := range map[string]time.Time{"created": e.Created, "updated": e.Updated, "expires": *e.Expires, "rotated": e.Rotated,
		"checked": e.LastCheck.Checked, "check expires": e.LastCheck.Expires} {
		if tm.Before(MinTime) || tm.After(MaxTime) {
			t.Errorf("%s %v is outside the storable range", what, tm)
		}
	}
	v2 := reopenedTwice(t, v, opts)
	if _, ok := v2.Find("odd"); !ok {
		t.Fatal("entry lost")
	}
}

func TestSaveRefusesWhatWouldNotReadBack(t *testing.T) {
	v, _, _ := newVault(t)
	mustAdd(t, v, "a", "secret-a-000001")
	before := readAll(t, v.Path())
	// A key that is not UTF-8 would be written as U+FFFD: a silent loss.
	// Add refuses it; a value that got in some other way is caught by the
	// read-back before anything is written.
	if _, err := v.Add(Draft{Name: "bytes", Secret: "secret-\xff\xfe-0002"}); !errors.Is(err, ErrBadSecret) {
		t.Fatalf("add a non-UTF-8 key: %v", err)
	}
	for _, d := range []Draft{{Notes: "n\xffn"}, {Tags: []string{"t\xfe"}}, {KeyID: "AKIA\xff"}, {UsedBy: []string{"\xff"}}} {
		d.Name, d.Secret = "other", "secret-other-0004"
		if _, err := v.Add(d); !errors.Is(err, ErrNotText) {
			t.Fatalf("add %+v: %v", d, err)
		}
	}
	v.mu.Lock()
	v.doc.entries[0].Secret = "secret-\xff-0003"
	v.mu.Unlock()
	err := v.Save()
	if !errors.Is(err, ErrSave) || !strings.Contains(err.Error(), "would not open again") {
		t.Fatalf("save: %v", err)
	}
	if strings.Contains(err.Error(), "secret-") {
		t.Fatal("the error holds the key")
	}
	if !bytes.Equal(before, readAll(t, v.Path())) {
		t.Fatal("the vault file changed")
	}
}

func TestForeignHistoryAndLogAreCappedOnOpen(t *testing.T) {
	var hist, events []string
	for i := range MaxStoredHistory + 5 {
		hist = append(hist, fmt.Sprintf(`{"secret":"old-secret-%04d","from":"2026-01-01T00:00:00Z","until":"2026-01-02T00:00:00Z"}`, i))
	}
	for i := range MaxLog + 100 {
		events = append(events, fmt.Sprintf(`{"time":"2026-01-01T00:00:%02dZ","action":"copied","source":"window","detail":"n%d"}`, i%60, i))
	}
	path := writeForeign(t, `{"version":1,"entries":[{"id":"00000000000000000000000000000001","name":"big","provider":"custom",`+
		`"secret":"secret-big-00001","created":"2026-01-01T00:00:00Z","updated":"2026-01-01T00:00:00Z",`+
		`"history":[`+strings.Join(hist, ",")+`],"log":[`+strings.Join(events, ",")+`]}]}`)
	opts, _, _ := testOptions()
	v, err := Open(path, testPass, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	e, _ := v.Find("big")
	if len(e.History) != MaxStoredHistory || len(e.Log) != MaxLog {
		t.Fatalf("%d old values and %d events kept", len(e.History), len(e.Log))
	}
	// The newest are kept, in order.
	if e.History[MaxStoredHistory-1].Secret != fmt.Sprintf("old-secret-%04d", MaxStoredHistory+4) || e.Log[MaxLog-1].Detail != fmt.Sprintf("n%d", MaxLog+99) {
		t.Fatal("the oldest were not the ones dropped")
	}
}
