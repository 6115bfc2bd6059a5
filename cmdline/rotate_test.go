package cmdline

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"keyshelf/vault"
	"keyshelf/vault/check"
	"keyshelf/vault/format"
)

// setClock makes the fixture's clock read t.
func (f *fixture) setClock(t time.Time) { f.now = func() time.Time { return t } }

// entry reopens the vault and returns the entry called name.
func (f *fixture) entry(name string) vault.Entry {
	f.t.Helper()
	v, err := vault.Open(f.vault, pass, vault.Options{KDF: format.Params{MemoryKiB: 8192, Time: 1, Threads: 1}})
	if err != nil {
		f.t.Fatal(err)
	}
	defer v.Close()
	e, ok := v.Find(name)
	if !ok {
		f.t.Fatalf("no entry %q", name)
	}
	return e
}

func (f *fixture) listJSON() map[string]map[string]any {
	f.t.Helper()
	out := f.mustOK(f.with("", "list", "--json"))
	var items []map[string]any
	if err := json.Unmarshal([]byte(out), &items); err != nil {
		f.t.Fatalf("list --json: %v\n%s", err, out)
	}
	byName := map[string]map[string]any{}
	for _, it := range items {
		byName[it["name"].(string)] = it
	}
	return byName
}

const (
	rotKey = "rotating-secret-0001"
	expKey = "expiring-secret-0002"
	qKey   = "quiet-secret-0003"
)

// lifecycleFixture has three keys, added on 2026-01-01 at 10:00 in a time
// zone ten hours ahead of UTC: "Rotating" on the default 90 days (due
// 2026-04-01T00:00Z), "Expiring" that never rotates and expires at the
// start of 2026-02-01 local time (2026-01-31T14:00Z), and "Quiet", rotated
// yearly and used by two places.
func lifecycleFixture(t *testing.T) *fixture {
	f := newFixture(t)
	f.loc = time.FixedZone("UTC+10", 10*3600)
	f.setClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	f.mustOK(f.with("", "init"))
	f.mustOK(f.with(rotKey, "add", "Rotating"))
	f.mustOK(f.with(expKey, "add", "--expires", "2026-02-01", "--rotate-days", "-1", "Expiring"))
	f.mustOK(f.with(qKey, "add", "--rotate-days", "365", "--used-by", "CI, prod server,", "Quiet"))
	return f
}

func TestDatesThatCannotBeStoredAreRefused(t *testing.T) {
	f := lifecycleFixture(t)
	for _, bad := range []string{"0000-01-01", "1969-12-31"} {
		code, _, errs := f.with("", "set", "--expires", bad, "Expiring")
		f.mustFail(2, code, errs, "from 1970 to 9999")
	}
	// The vault still opens and lists.
	f.mustOK(f.with("", "list"))
	f.mustOK(f.with("", "set", "--expires", "9999-12-31", "Expiring"))
	f.mustOK(f.with("", "list", "--json"))
}

func TestListJSONLifecycleFields(t *testing.T) {
	f := lifecycleFixture(t)
	items := f.listJSON()
	r, e, q := items["Rotating"], items["Expiring"], items["Quiet"]
	if r["attention"] != "" || r["rotation_due"] != "2026-04-01T00:00:00Z" || r["expires"] != nil || r["rotation_days"] != 90.0 {
		t.Fatalf("Rotating: %v", r)
	}
	if e["rotation_due"] != nil || e["expires"] != "2026-01-31T14:00:00Z" || e["rotation_days"] != 0.0 {
		t.Fatalf("Expiring: %v", e)
	}
	if q["rotation_due"] != "2027-01-01T00:00:00Z" || len(q["used_by"].([]any)) != 2 || q["last_rotated"] != "2026-01-01T00:00:00Z" {
		t.Fatalf("Quiet: %v", q)
	}
	for name, it := range items {
		for _, k := range []string{"attention", "rotation_due", "expires", "last_test"} {
			if _, ok := it[k]; !ok {
				t.Errorf("%s lacks %q", name, k)
			}
		}
		if it["last_test"] != nil {
			t.Errorf("%s: last_test %v, want null", name, it["last_test"])
		}
	}

	// Across each boundary, a second before and at it.
	for _, c := range []struct {
		at       time.Time
		name     string
		before   string
		boundary string
	}{
		{time.Date(2026, 1, 17, 14, 0, 0, 0, time.UTC), "Expiring", "", "expiring"},
		{time.Date(2026, 1, 31, 14, 0, 0, 0, time.UTC), "Expiring", "expiring", "expired"},
		{time.Date(2026, 3, 18, 0, 0, 0, 0, time.UTC), "Rotating", "", "rotate-soon"},
		{time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), "Rotating", "rotate-soon", "rotate-overdue"},
	} {
		f.setClock(c.at.Add(-time.Second))
		if got := f.listJSON()[c.name]["attention"]; got != c.before {
			t.Errorf("%s a second before %s: %q, want %q", c.name, c.at, got, c.before)
		}
		f.setClock(c.at)
		if got := f.listJSON()[c.name]["attention"]; got != c.boundary {
			t.Errorf("%s at %s: %q, want %q", c.name, c.at, got, c.boundary)
		}
	}
	if strings.Contains(f.seen.String(), "secret-000") {
		t.Fatal("a key leaked into output")
	}
}

func TestDue(t *testing.T) {
	f := lifecycleFixture(t)
	code, out, errs := f.with("", "due")
	if code != 0 || out != "Nothing needs attention\n" || errs != "" {
		t.Fatalf("due with nothing: %d %q %q", code, out, errs)
	}
	code, out, _ = f.with("", "due", "--json")
	if code != 0 || strings.TrimSpace(out) != "[]" {
		t.Fatalf("due --json with nothing: %d %q", code, out)
	}

	for _, c := range []struct {
		at   time.Time
		want string
	}{
		// The dates are the local calendar's (the expiry is 2026-01-31 in UTC).
		{time.Date(2026, 1, 17, 14, 0, 0, 0, time.UTC), "Expiring: expiring (expires 2026-02-01, in 14 days)\n"},
		{time.Date(2026, 1, 31, 13, 0, 0, 0, time.UTC), "Expiring: expiring (expires 2026-02-01, in 1 day)\n"},
		{time.Date(2026, 1, 31, 14, 0, 0, 0, time.UTC), "Expiring: expired (expired 2026-02-01, today)\n"},
		{time.Date(2026, 3, 18, 0, 0, 0, 0, time.UTC), "Expiring: expired (expired 2026-02-01, 45 days ago)\n" +
			"Rotating: rotate-soon (due 2026-04-01, in 14 days)\n"},
		{time.Date(2026, 4, 13, 0, 0, 0, 0, time.UTC), "Expiring: expired (expired 2026-02-01, 71 days ago)\n" +
			"Rotating: rotate-overdue (due 2026-04-01, 12 days ago)\n"},
	} {
		f.setClock(c.at)
		code, out, errs := f.with("", "due")
		n := strings.Count(c.want, "\n")
		want := "1 key needs attention"
		if n > 1 {
			want = "2 keys need attention"
		}
		if out != c.want {
			t.Errorf("due at %s:\n%s\nwant\n%s", c.at, out, c.want)
		}
		f.mustFail(1, code, errs, want)
	}

	code, out, _ = f.with("", "due", "--json")
	var items []map[string]any
	if err := json.Unmarshal([]byte(out), &items); code != 1 || err != nil || len(items) != 2 {
		t.Fatalf("due --json: %d %v\n%s", code, err, out)
	}
	if items[0]["name"] != "Expiring" || items[0]["attention"] != "expired" || items[0]["days"] != -71.0 || items[0]["rotation_due"] != nil ||
		items[1]["name"] != "Rotating" || items[1]["attention"] != "rotate-overdue" || items[1]["days"] != -12.0 || items[1]["rotation_due"] != "2026-04-01T00:00:00Z" {
		t.Fatalf("due --json: %v", items)
	}

	// Rotating and clearing the expiry leave nothing due.
	f.mustOK(f.with("rotating-secret-0004\n", "rotate", "Rotating"))
	f.mustOK(f.with("", "set", "--expires", "none", "Expiring"))
	if out := f.mustOK(f.with("", "due")); out != "Nothing needs attention\n" {
		t.Fatalf("due after rotate and set: %q", out)
	}
	code, _, errs = f.with("", "due", "extra")
	f.mustFail(2, code, errs, "unexpected argument")
	if strings.Contains(f.seen.String(), "secret-000") {
		t.Fatal("a key leaked into output")
	}
}

func TestRotate(t *testing.T) {
	f := lifecycleFixture(t)
	f.setClock(time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC))
	code, out, errs := f.with("  quiet-secret-0005 \n", "rotate", "quiet")
	f.mustOK(code, out, errs)
	want := "Rotated Quiet; the old key is kept in its history\nUpdate it in:\n  - CI\n  - prod server\n"
	if out != want || !strings.Contains(errs, "removed spaces") {
		t.Fatalf("rotate: %q %q", out, errs)
	}
	e := f.entry("Quiet")
	if e.Secret != "quiet-secret-0005" || len(e.History) != 1 || e.History[0].Secret != qKey || !e.Rotated.Equal(f.now()) {
		t.Fatal("the rotation or the history is wrong")
	}
	ev := e.Log[len(e.Log)-1]
	if ev.Action != vault.ActionRotated || ev.Source != vault.SourceCommand || !ev.Time.Equal(f.now()) {
		t.Fatalf("log %+v", e.Log)
	}
	if q := f.listJSON()["Quiet"]; q["last_rotated"] != "2026-02-01T00:00:00Z" || q["rotation_due"] != "2027-02-01T00:00:00Z" {
		t.Fatalf("after rotation: %v", q)
	}

	// Without used-by places there is no checklist.
	if out := f.mustOK(f.with("rotating-secret-0006", "rotate", "Rotating")); out != "Rotated Rotating; the old key is kept in its history\n" {
		t.Fatalf("rotate: %q", out)
	}
	code, _, errs = f.with("quiet-secret-0005\n", "rotate", "Quiet")
	f.mustFail(1, code, errs, "the same as the current one")
	code, _, errs = f.with(" \n", "rotate", "Quiet")
	f.mustFail(1, code, errs, "no new key on standard input")
	code, _, errs = f.with("x-0007", "rotate", "nope")
	f.mustFail(1, code, errs, `no key named "nope"`)
	code, _, errs = f.with("x-0007", "rotate")
	f.mustFail(2, code, errs, "missing NAME")
	if e := f.entry("Quiet"); len(e.History) != 1 || e.Secret != "quiet-secret-0005" {
		t.Fatal("a refused rotation changed the key")
	}

	// Read-only while another copy holds the vault.
	holder, err := vault.Open(f.vault, pass, vault.Options{KDF: format.Params{MemoryKiB: 8192, Time: 1, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	code, _, errs = f.with("quiet-secret-0008", "rotate", "Quiet")
	holder.Close()
	f.mustFail(1, code, errs, "read-only")

	all := f.seen.String()
	for _, k := range []string{"secret-000", pass} {
		if strings.Contains(all, k) {
			t.Fatal("a key or the passphrase leaked into output")
		}
	}
}

func TestSet(t *testing.T) {
	f := lifecycleFixture(t)
	out := f.mustOK(f.with("", "set", "--rotate-days", "30", "--expires", "2026-06-30", "--used-by", "laptop", "rotating"))
	if out != "Updated Rotating: rotation due 2026-01-31; expires 2026-06-30; used by laptop\n" {
		t.Fatalf("set: %q", out)
	}
	e := f.entry("Rotating")
	if e.RotationDays != 30 || e.Expires == nil || !e.Expires.Equal(time.Date(2026, 6, 29, 14, 0, 0, 0, time.UTC)) || len(e.UsedBy) != 1 {
		t.Fatalf("set: %+v", e)
	}
	if ev := e.Log[len(e.Log)-1]; ev.Action != vault.ActionEdited || ev.Source != vault.SourceCommand {
		t.Fatalf("log %+v", e.Log)
	}
	// Only the flags given change.
	out = f.mustOK(f.with("", "set", "--rotate-days", "-1", "Rotating"))
	if out != "Updated Rotating: never rotates; expires 2026-06-30; used by laptop\n" {
		t.Fatalf("set: %q", out)
	}
	for _, c := range []struct{ args, want string }{
		{"Rotating", "nothing to set"},
		{"--expires 2026-13-01 Rotating", "YYYY-MM-DD"},
		{"--rotate-days 5000 Rotating", "at most 3650"},
		{"--rotate-days -2 Rotating", "-1 (never)"},
	} {
		code, _, errs := f.with("", append([]string{"set"}, strings.Fields(c.args)...)...)
		f.mustFail(2, code, errs, c.want)
	}
	code, _, errs := f.with("x", "add", "--expires", "tomorrow", "X")
	f.mustFail(2, code, errs, "YYYY-MM-DD")
}

func TestGetAndTestAreLogged(t *testing.T) {
	srv, _ := fakeProviders(t)
	f := newFixture(t)
	f.checker = &check.Checker{Client: &http.Client{Timeout: 5 * time.Second}, Bases: map[string]string{"github": srv.URL}}
	f.setClock(time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC))
	f.mustOK(f.with("", "init"))
	f.mustOK(f.with(ghKey, "add", "GitHub CI"))

	f.setClock(time.Date(2026, 5, 2, 12, 0, 0, 0, time.UTC))
	code, out, errs := f.with("", "get", "GitHub CI")
	if code != 0 || out != ghKey+"\n" || errs != "" {
		t.Fatalf("get: %d %q", code, errs)
	}
	e := f.entry("GitHub CI")
	if len(e.Log) != 1 || e.Log[0] != (vault.Event{Time: f.now(), Action: vault.ActionCopied, Source: vault.SourceCommand, Detail: "printed to standard output"}) {
		t.Fatalf("log after get: %+v", e.Log)
	}

	f.setClock(time.Date(2026, 5, 3, 12, 0, 0, 0, time.UTC))
	f.mustOK(f.with("", "test", "GitHub CI"))
	e = f.entry("GitHub CI")
	if len(e.Log) != 2 || e.Log[1] != (vault.Event{Time: f.now(), Action: vault.ActionTested, Source: vault.SourceCommand, Detail: "valid"}) {
		t.Fatalf("log after test: %+v", e.Log)
	}
	lt, _ := f.listJSON()["GitHub CI"]["last_test"].(map[string]any)
	if lt["outcome"] != "valid" || lt["time"] == nil {
		t.Fatalf("last_test: %v", lt)
	}

	// A vault held by another copy opens read-only: get still works and
	// says nothing about the log.
	holder, err := vault.Open(f.vault, pass, vault.Options{KDF: format.Params{MemoryKiB: 8192, Time: 1, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	code, out, errs = f.with("", "get", "GitHub CI")
	holder.Close()
	if code != 0 || out != ghKey+"\n" || errs != "" {
		t.Fatalf("read-only get: %d %q", code, errs)
	}
	if e := f.entry("GitHub CI"); len(e.Log) != 2 {
		t.Fatalf("a read-only get was logged: %+v", e.Log)
	}
	if n := strings.Count(f.seen.String(), ghKey); n != 2 {
		t.Fatalf("the key was printed %d times; only the two gets may", n)
	}
}
