package vault

import (
	"errors"
	"strings"
	"testing"
	"time"

	"keyshelf/vault/check"
)

func TestBaseURLCustomCheckAndLastCheckSurviveReopen(t *testing.T) {
	v, opts, clock := newVault(t)
	gw, err := v.Add(Draft{Name: "gateway", Provider: "openai", Secret: "sk-gateway-0001", BaseURL: " https://gw.example.com/v1/ "})
	if err != nil || gw.Entry.BaseURL != "https://gw.example.com/v1" {
		t.Fatalf("add with base URL: %q %v", gw.Entry.BaseURL, err)
	}
	cu, err := v.Add(Draft{Name: "own", Provider: "custom", Secret: "own-secret-0002",
		Custom: &check.Custom{URL: "http://127.0.0.1:8080/me", Header: "X-Key", Value: "{key}"}})
	if err != nil || cu.Entry.Custom == nil || cu.Entry.Custom.ValidStatus != 200 {
		t.Fatalf("add custom: %v", err)
	}

	clock.Advance(time.Hour)
	res := check.Result{Outcome: check.Valid, Account: "octo", Scopes: "repo", Credit: "$5",
		Expires: time.Date(2027, 1, 2, 3, 4, 5, 0, time.UTC), Checked: clock.Now().Add(400 * time.Millisecond)}
	if err := v.RecordCheck(gw.Entry, res); err != nil {
		t.Fatal(err)
	}
	if err := v.RecordCheck(cu.Entry, check.Result{Outcome: check.Unknown, Detail: "HTTP 503 (server error)", Checked: clock.Now()}); err != nil {
		t.Fatal(err)
	}
	v = reopen(t, v, opts)
	e, _ := v.Get(gw.Entry.ID)
	want := res
	want.Checked = clock.Now()
	if e.BaseURL != "https://gw.example.com/v1" || e.LastCheck == nil || *e.LastCheck != want {
		t.Fatalf("after reopen: %q %+v", e.BaseURL, e.LastCheck)
	}
	if !e.Updated.Equal(e.Created) {
		t.Fatal("recording a check changed Updated")
	}
	c, _ := v.Get(cu.Entry.ID)
	if c.Custom == nil || *c.Custom != *cu.Entry.Custom || c.LastCheck == nil || c.LastCheck.Outcome != check.Unknown {
		t.Fatalf("custom after reopen: %+v %+v", c.Custom, c.LastCheck)
	}

	// The stored form is as documented.
	v.mu.Lock()
	pt := string(v.doc.encode())
	v.mu.Unlock()
	for _, s := range []string{
		`"base_url":"https://gw.example.com/v1"`,
		`"check":{"url":"http://127.0.0.1:8080/me","header":"X-Key","value":"{key}","valid_status":200}`,
		`"last_check":{"time":"2026-11-28T11:00:00Z","outcome":"valid","account":"octo","scopes":"repo","expires":"2027-01-02T03:04:05Z","credit":"$5"}`,
		`"last_check":{"time":"2026-11-28T11:00:00Z","outcome":"unknown","detail":"HTTP 503 (server error)"}`,
	} {
		if !strings.Contains(pt, s) {
			t.Errorf("plaintext lacks %s", s)
		}
	}

	// An edit of the name keeps the check; a new key drops it.
	r, err := v.Update(e.ID, func() Draft { d := e.Draft(); d.Name = "gateway 2"; return d }())
	if err != nil || r.Entry.LastCheck == nil || r.Entry.BaseURL != e.BaseURL {
		t.Fatalf("rename lost the check or the base URL: %v", err)
	}
	d := r.Entry.Draft()
	d.Secret = "sk-gateway-0003"
	if r, err = v.Update(e.ID, d); err != nil || r.Entry.LastCheck != nil {
		t.Fatalf("a new key kept the old check: %v", err)
	}
}

func TestRecordCheckRefusals(t *testing.T) {
	v, _, _ := newVault(t)
	e := mustAdd(t, v, "k", "secret-0001-abcd")
	if err := v.RecordCheck(e, check.Result{Outcome: check.Unknown, Detail: "cancelled"}); !errors.Is(err, ErrNotChecked) {
		t.Errorf("cancelled check: %v", err)
	}
	now := time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)
	if err := v.RecordCheck(e, check.Result{Outcome: "broken", Checked: now}); !errors.Is(err, ErrNotChecked) {
		t.Errorf("unknown outcome: %v", err)
	}
	if _, err := v.Update(e.ID, Draft{Name: "k", Secret: "secret-0002-abcd"}); err != nil {
		t.Fatal(err)
	}
	if err := v.RecordCheck(e, check.Result{Outcome: check.Valid, Checked: now}); !errors.Is(err, ErrStaleCheck) {
		t.Errorf("check of the old key: %v", err)
	}
	gone := e
	gone.ID = "nope"
	if err := v.RecordCheck(gone, check.Result{Outcome: check.Valid, Checked: now}); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing entry: %v", err)
	}
	if n, err := v.RecordChecks([]Entry{e}, nil); err == nil || n != 0 {
		t.Error("mismatched lengths accepted")
	}
}

func TestDraftBaseURLValidation(t *testing.T) {
	v, _, _ := newVault(t)
	for _, u := range []string{"http://example.com", "ftp://example.com", "https://u:p@example.com"} {
		_, err := v.Add(Draft{Name: "x", Secret: "secret-0001", BaseURL: u})
		if !errors.Is(err, check.ErrInsecureURL) && !errors.Is(err, check.ErrBadURL) {
			t.Errorf("base URL %q: %v", u, err)
		}
	}
	for _, u := range []string{"http://localhost:11434/v1", "http://127.0.0.1", "http://[::1]:80", "https://gitlab.example.com"} {
		if _, err := v.Add(Draft{Name: u, Secret: "secret-0001", BaseURL: u}); err != nil {
			t.Errorf("base URL %q: %v", u, err)
		}
	}
	// A custom check is kept only for the custom provider.
	r, err := v.Add(Draft{Name: "gh", Secret: "ghp_0123456789abcdefghijABCDEFGHIJ012345", Custom: &check.Custom{URL: "https://x.example", Header: "X", Value: "{key}"}})
	if err != nil || r.Entry.Provider != "github" || r.Entry.Custom != nil {
		t.Errorf("custom check on a github key: %v", err)
	}
	if _, err := v.Add(Draft{Name: "bad", Provider: "custom", Secret: "s-0001", Custom: &check.Custom{URL: "https://x.example"}}); !errors.Is(err, check.ErrBadCustom) {
		t.Errorf("incomplete custom check: %v", err)
	}
}

func TestRecordedChecksAreLogged(t *testing.T) {
	opts, clock, _ := testOptions()
	opts.Source = SourceCommand
	v, err := Create(t.TempDir()+"/v.keyshelf", testPass, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { v.Close() })
	a := mustAdd(t, v, "a", "secret-a-0001")
	b := mustAdd(t, v, "b", "secret-b-0001")
	clock.Advance(time.Minute)
	// A cancelled check says nothing and is not logged.
	n, err := v.RecordChecks([]Entry{a, b}, []check.Result{
		{Outcome: check.Invalid, Detail: "HTTP 401", Checked: clock.Now().Add(-time.Second)},
		{Outcome: check.Unknown, Detail: "cancelled"},
	})
	if err != nil || n != 1 {
		t.Fatalf("recorded %d: %v", n, err)
	}
	v = reopen(t, v, opts)
	got, _ := v.Get(a.ID)
	if len(got.Log) != 1 {
		t.Fatalf("log %+v", got.Log)
	}
	if ev := got.Log[0]; ev.Action != ActionTested || ev.Source != SourceCommand || ev.Detail != "invalid" || !ev.Time.Equal(clock.Now()) {
		t.Fatalf("event %+v", ev)
	}
	if got, _ := v.Get(b.ID); len(got.Log) != 0 {
		t.Fatalf("a cancelled check was logged: %+v", got.Log)
	}
	if !got.Updated.Equal(got.Created) {
		t.Fatal("logging a check changed Updated")
	}
	// The window is the default source.
	opts.Source = ""
	v = reopen(t, v, opts)
	if err := v.RecordCheck(got, check.Result{Outcome: check.Valid, Checked: clock.Now()}); err != nil {
		t.Fatal(err)
	}
	got, _ = v.Get(a.ID)
	if ev := got.Log[1]; ev.Action != ActionTested || ev.Source != SourceWindow || ev.Detail != "valid" {
		t.Fatalf("event %+v", ev)
	}
}

// A check result that holds part of the key (a gateway's echo, cut short)
// is stored, and loaded, without it.
func TestRecordedCheckHoldsNoPartOfTheKey(t *testing.T) {
	v, _, clock := newVault(t)
	const key = "sk-proj-Fa1KeAbCdEfGhIjKlMnOpQrT3BlbkFJsTuVwXyZ"
	added, err := v.Add(Draft{Name: "echo", Provider: "openai", Secret: key})
	if err != nil {
		t.Fatal(err)
	}
	echo := "Incorrect API key provided: " + key[:14] + "..." + key[len(key)-10:]
	if err := v.RecordCheck(added.Entry, check.Result{Outcome: check.Invalid, Detail: echo, Account: key[5:20], Checked: clock.Now()}); err != nil {
		t.Fatal(err)
	}
	held := func(where string, e Entry) {
		t.Helper()
		c := e.LastCheck
		if c == nil || c.Outcome != check.Invalid {
			t.Fatalf("%s: check lost", where)
		}
		for _, s := range []string{c.Detail, c.Account, c.Summary()} {
			for i := 0; i+8 <= len(key); i++ {
				if strings.Contains(s, key[i:i+8]) {
					t.Fatalf("%s: part of the key is in the check", where)
				}
			}
		}
	}
	e, _ := v.Get(added.Entry.ID)
	held("recorded", e)

	// A vault written by an older build, with the echo in its last check.
	v.mu.Lock()
	v.doc.entries[0].LastCheck.Detail = echo
	pt := v.doc.encode()
	v.mu.Unlock()
	doc, err := decodeDocument(pt)
	if err != nil {
		t.Fatal(err)
	}
	held("loaded", doc.entries[0])
}

// A check whose expiry RFC 3339 cannot write (UTC year 10000) is recorded
// without it, and the vault still opens.
func TestRecordedCheckWithAnUnwritableExpiry(t *testing.T) {
	v, opts, clock := newVault(t)
	added, err := v.Add(Draft{Name: "gh", Provider: "github", Secret: "ghp_FAKEfake0123FAKEfake0123FAKEfake0123"})
	if err != nil {
		t.Fatal(err)
	}
	far := time.Date(9999, 12, 31, 23, 59, 59, 0, time.FixedZone("", -(23*3600+59*60)))
	if err := v.RecordCheck(added.Entry, check.Result{Outcome: check.Valid, Expires: far, Checked: clock.Now()}); err != nil {
		t.Fatal(err)
	}
	v = reopen(t, v, opts)
	if e, _ := v.Get(added.Entry.ID); e.LastCheck == nil || !e.LastCheck.Expires.IsZero() {
		t.Fatalf("after reopen: %+v", e.LastCheck)
	}
}
