package check

import (
	"context"
	"testing"
	"time"
)

// An expiry the provider gives is kept only when it survives RFC 3339 (a
// year from 0001 to 9999 in UTC; year 0 would be stored as "none"): the vault stores it so, and the command
// line prints it so. Others are dropped, and the detail says so.
func TestExpiryOutOfRangeIsDropped(t *testing.T) {
	for header, want := range map[string]time.Time{
		"9999-12-31 23:59:59 -2359": {}, // UTC year 10000
		"0000-01-01 00:00:00 +2359": {}, // UTC year -1
		"9999-12-31T23:59:59-23:59": {},
		"9999-12-31 23:59:59 +2359": time.Date(9999, 12, 31, 0, 0, 59, 0, time.UTC),
		"9999-12-31 23:59:59 UTC":   time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC),
		"0000-01-01 00:00:00 -0001": {}, // UTC year 0: the vault's "none"
		"0001-01-01 00:00:00 -0001": time.Date(1, 1, 1, 0, 1, 0, 0, time.UTC),
		"2026-12-01 10:00:00 +0100": time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC),
	} {
		srv, _ := fakeProvider(t, reply{status: 200, header: map[string]string{"github-authentication-token-expiration": header}, body: `{"login":"octocat"}`})
		r := testChecker("github", srv.URL).Check(context.Background(), Target{Provider: "github", Secret: testKey})
		if r.Outcome != Valid || r.Account != "octocat" || !r.Expires.Equal(want) {
			t.Errorf("%s: %q, expires %v; want valid, %v", header, r.Outcome, r.Expires, want)
		}
		if want.IsZero() && r.Detail != "the expiry date given is out of range; not kept" {
			t.Errorf("%s: detail %q", header, r.Detail)
		}
		for _, tm := range []time.Time{r.Expires, r.Checked} {
			if _, err := tm.MarshalJSON(); err != nil {
				t.Errorf("%s: %v", header, err)
			}
			back, err := time.Parse(time.RFC3339, tm.UTC().Format(time.RFC3339))
			if err != nil || !back.Equal(tm) {
				t.Errorf("%s: %v does not survive RFC 3339 (%v)", header, tm, err)
			}
		}
	}
}

// The vault stores what Scrubbed gives: never an expiry it could not write.
func TestScrubbedDropsAnUnwritableExpiry(t *testing.T) {
	for _, e := range []time.Time{time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(-1, 12, 31, 0, 0, 0, 0, time.UTC)} {
		if got := (Result{Outcome: Valid, Expires: e}).Scrubbed(testKey); !got.Expires.IsZero() {
			t.Errorf("expiry %v kept", e)
		}
	}
	keep := time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)
	if got := (Result{Outcome: Valid, Expires: keep}).Scrubbed(testKey); !got.Expires.Equal(keep) {
		t.Errorf("expiry %v dropped", keep)
	}
}
