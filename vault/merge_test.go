package vault

import (
	"bytes"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/go-json-experiment/json/jsontext"

	"keyshelf/vault/check"
)

var mergeBase = time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)

// at is mergeBase plus n minutes.
func at(n int) time.Time { return mergeBase.Add(time.Duration(n) * time.Minute) }

// ent is an entry created at minute 0 and last changed at minute changed.
func ent(id, name, secret string, changed int) Entry {
	return Entry{ID: fmt.Sprintf("%032s", id), Name: name, Provider: "custom", Secret: secret,
		Created: at(0), Updated: at(changed), Changed: at(changed)}
}

func tomb(id string, n int) Tombstone { return Tombstone{ID: fmt.Sprintf("%032s", id), Time: at(n)} }

func doc(entries []Entry, deleted ...Tombstone) document {
	return document{entries: entries, deleted: deleted}
}

// heldValues is every key value in d: current and history, by entry id.
func heldValues(d document) map[string][]string {
	out := map[string][]string{}
	for _, e := range d.entries {
		out[e.ID] = append(out[e.ID], e.Secret)
		for _, h := range e.History {
			out[e.ID] = append(out[e.ID], h.Secret)
		}
	}
	return out
}

func names(d document) []string {
	var out []string
	for _, e := range d.entries {
		out = append(out, e.Name)
	}
	slices.Sort(out)
	return out
}

func byName(t *testing.T, d document, name string) Entry {
	t.Helper()
	for _, e := range d.entries {
		if e.Name == name {
			return e
		}
	}
	t.Fatalf("no entry %q in %q", name, names(d))
	return Entry{}
}

// TestMergeRules is the table of merge rules. Each case merges other into
// local, checks the result and the report, and checks that merging local
// into other gives the same document.
func TestMergeRules(t *testing.T) {
	later := func(e Entry, n int, f func(*Entry)) Entry {
		e = e.clone()
		f(&e)
		e.Updated, e.Changed = at(n), at(n)
		return e
	}
	a := ent("a", "OpenAI", "sk-old-aaaaaaaa", 1)
	b := ent("b", "Stripe", "sk_live_bbbbbbbb", 1)
	cases := []struct {
		name         string
		local, other document
		check        func(t *testing.T, m document, r MergeReport)
	}{
		{
			name:  "a change on one side wins",
			local: doc([]Entry{a, b}),
			other: doc([]Entry{later(a, 5, func(e *Entry) { e.Notes = "billing" }), b}),
			check: func(t *testing.T, m document, r MergeReport) {
				if e := byName(t, m, "OpenAI"); e.Notes != "billing" || len(e.History) != 0 {
					t.Fatalf("notes %q, %d old values", e.Notes, len(e.History))
				}
				if !slices.Equal(r.Updated, []string{"OpenAI"}) || len(r.Combined)+len(r.Added)+len(r.Deleted) != 0 {
					t.Fatalf("report %+v", r)
				}
			},
		},
		{
			name:  "edit and edit: the newer is current, the other key is in the history",
			local: doc([]Entry{later(a, 7, func(e *Entry) { e.Secret, e.Rotated = "sk-local-1111111", at(7) })}),
			other: doc([]Entry{later(a, 6, func(e *Entry) { e.Secret, e.Rotated, e.Notes = "sk-other-2222222", at(6), "from home" })}),
			check: func(t *testing.T, m document, r MergeReport) {
				e := byName(t, m, "OpenAI")
				if e.Secret != "sk-local-1111111" || e.Notes != "" {
					t.Fatalf("the newer change did not win (notes %q)", e.Notes)
				}
				if !slices.ContainsFunc(e.History, func(h OldSecret) bool { return h.Secret == "sk-other-2222222" }) {
					t.Fatal("the other side's key is lost")
				}
				if len(e.History) != 1 {
					t.Fatalf("%d old values, want 1 (the original key was never in either history)", len(e.History))
				}
				if !slices.Equal(r.Combined, []string{"OpenAI"}) {
					t.Fatalf("report %+v", r)
				}
			},
		},
		{
			name:  "edit after the other side deleted it: kept",
			local: doc([]Entry{later(a, 9, func(e *Entry) { e.Notes = "still used" }), b}),
			other: doc([]Entry{b}, tomb("a", 8)),
			check: func(t *testing.T, m document, r MergeReport) {
				if e := byName(t, m, "OpenAI"); e.Notes != "still used" {
					t.Fatal("the edit is lost")
				}
				if len(m.deleted) != 0 {
					t.Fatalf("the deletion is still remembered: %v", m.deleted)
				}
				if !r.Empty() {
					t.Fatalf("report %+v: nothing changed on the side that edited it", r)
				}
			},
		},
		{
			name:  "deleted here, edited there after the deletion: back, and said so",
			local: doc([]Entry{b}, tomb("a", 8)),
			other: doc([]Entry{later(a, 9, func(e *Entry) { e.Notes = "still used" }), b}),
			check: func(t *testing.T, m document, r MergeReport) {
				if e := byName(t, m, "OpenAI"); e.Notes != "still used" || len(m.deleted) != 0 {
					t.Fatal("the edit is lost, or the deletion still remembered")
				}
				if !slices.Equal(r.Revived, []string{"OpenAI"}) || len(r.Added) != 0 {
					t.Fatalf("report %+v", r)
				}
			},
		},
		{
			name:  "deleted after the other side's last edit: stays deleted",
			local: doc([]Entry{later(a, 3, func(e *Entry) { e.Notes = "old edit" }), b}),
			other: doc([]Entry{b}, tomb("a", 4)),
			check: func(t *testing.T, m document, r MergeReport) {
				if !slices.Equal(names(m), []string{"Stripe"}) {
					t.Fatalf("entries %q", names(m))
				}
				if len(m.deleted) != 1 || m.deleted[0] != tomb("a", 4) {
					t.Fatalf("tombstones %v", m.deleted)
				}
				if !slices.Equal(r.Deleted, []string{"OpenAI"}) {
					t.Fatalf("report %+v", r)
				}
			},
		},
		{
			name:  "a deletion does not come back from an older copy",
			local: doc([]Entry{b}, tomb("a", 2)),
			other: doc([]Entry{a, b}),
			check: func(t *testing.T, m document, r MergeReport) {
				if !slices.Equal(names(m), []string{"Stripe"}) || !r.Empty() {
					t.Fatalf("entries %q, report %+v", names(m), r)
				}
			},
		},
		{
			name:  "add and add with the same name: both stay, the later renamed",
			local: doc([]Entry{ent("c", "GitHub", "ghp_local", 2)}),
			other: doc([]Entry{func() Entry { e := ent("d", "github", "ghp_other", 3); e.Created = at(3); return e }()}),
			check: func(t *testing.T, m document, r MergeReport) {
				if !slices.Equal(names(m), []string{"GitHub", "github (2)"}) {
					t.Fatalf("entries %q", names(m))
				}
				if e := byName(t, m, "github (2)"); e.Secret != "ghp_other" || !e.Changed.Equal(at(3).Add(time.Second)) {
					t.Fatal("the wrong entry was renamed, or the rename is not a change")
				}
				if !slices.Equal(r.Added, []string{"github (2)"}) || !slices.Equal(r.Renamed, []Rename{{From: "github", To: "github (2)"}}) {
					t.Fatalf("report %+v", r)
				}
			},
		},
		{
			name: "histories and logs are united",
			local: doc([]Entry{later(a, 4, func(e *Entry) {
				e.History = []OldSecret{{Secret: "sk-first-0000000", From: at(0), Until: at(1)}, {Secret: "sk-local-old-111", From: at(1), Until: at(4)}}
				e.Log = []Event{{Time: at(2), Action: ActionCopied, Source: SourceWindow}, {Time: at(3), Action: ActionCopied, Source: SourceTray}}
			})}),
			other: doc([]Entry{later(a, 4, func(e *Entry) {
				e.History = []OldSecret{{Secret: "sk-first-0000000", From: at(0), Until: at(1)}, {Secret: "sk-other-old-222", From: at(1), Until: at(3)}}
				e.Log = []Event{{Time: at(2), Action: ActionCopied, Source: SourceWindow}, {Time: at(3), Action: ActionTested, Source: SourceCommand, Detail: "valid"}}
			})}),
			check: func(t *testing.T, m document, r MergeReport) {
				e := byName(t, m, "OpenAI")
				var old []string
				for _, h := range e.History {
					old = append(old, h.Secret)
				}
				if !slices.Equal(old, []string{"sk-first-0000000", "sk-other-old-222", "sk-local-old-111"}) {
					t.Fatalf("history %d values, in the wrong order or incomplete", len(old))
				}
				if len(e.Log) != 3 || e.Log[0].Time != at(2) || e.Log[2].Detail != "valid" && e.Log[1].Detail != "valid" {
					t.Fatalf("log %+v", e.Log)
				}
			},
		},
		{
			name:  "a star set on one side wins",
			local: doc([]Entry{a}),
			other: doc([]Entry{func() Entry { e := a.clone(); e.Favorite, e.Changed = true, at(5); return e }()}),
			check: func(t *testing.T, m document, r MergeReport) {
				if !byName(t, m, "OpenAI").Favorite || !slices.Equal(r.Updated, []string{"OpenAI"}) {
					t.Fatalf("the star is lost; report %+v", r)
				}
			},
		},
		{
			name: "the newer check of the current key is kept",
			local: doc([]Entry{func() Entry {
				e := a.clone()
				e.LastCheck = &check.Result{Outcome: check.Valid, Checked: at(10)}
				return e
			}()}),
			other: doc([]Entry{func() Entry {
				e := a.clone()
				e.LastCheck = &check.Result{Outcome: check.Invalid, Checked: at(20)}
				e.Log = []Event{{Time: at(20), Action: ActionTested, Source: SourceCommand, Detail: "invalid"}}
				return e
			}()}),
			check: func(t *testing.T, m document, r MergeReport) {
				if c := byName(t, m, "OpenAI").LastCheck; c == nil || c.Outcome != check.Invalid {
					t.Fatalf("check %+v", c)
				}
				if !r.Empty() {
					t.Fatalf("a check from elsewhere is reported as a change: %+v", r)
				}
			},
		},
		{
			name: "exposed marks are united, but not those cleared or rotated away",
			local: doc([]Entry{func() Entry {
				e := a.clone()
				e.Exposed = []Exposure{{Where: "app.py:1", When: at(3)}}
				e.ExposedCleared = at(6)
				e.Exposed = nil
				return e
			}()}),
			other: doc([]Entry{func() Entry {
				e := a.clone()
				e.Exposed = []Exposure{{Where: "app.py:1", When: at(3)}, {Where: "chat", When: at(8)}}
				return e
			}()}),
			check: func(t *testing.T, m document, r MergeReport) {
				ex := byName(t, m, "OpenAI").Exposed
				if len(ex) != 1 || ex[0].Where != "chat" {
					t.Fatalf("exposed %+v", ex)
				}
			},
		},
		{
			name: "fields this build does not know are kept from both sides",
			local: document{entries: []Entry{func() Entry {
				e := a.clone()
				e.extra = map[string]jsontext.Value{"x_local": jsontext.Value(`1`)}
				return e
			}()}, extra: map[string]jsontext.Value{"top_local": jsontext.Value(`"l"`)}},
			other: document{entries: []Entry{func() Entry {
				e := later(a, 5, func(e *Entry) { e.Notes = "n" })
				e.extra = map[string]jsontext.Value{"x_other": jsontext.Value(`[2]`)}
				return e
			}()}, extra: map[string]jsontext.Value{"top_other": jsontext.Value(`{"k":true}`)}},
			check: func(t *testing.T, m document, r MergeReport) {
				e := byName(t, m, "OpenAI")
				if string(e.extra["x_local"]) != "1" || string(e.extra["x_other"]) != "[2]" {
					t.Fatalf("entry fields %v", e.extra)
				}
				if string(m.extra["top_local"]) != `"l"` || string(m.extra["top_other"]) != `{"k":true}` {
					t.Fatalf("vault fields %v", m.extra)
				}
			},
		},
		{
			name:  "the settings changed last win",
			local: document{rotationDays: 30, changed: at(5)},
			other: document{rotationDays: 180, changed: at(9)},
			check: func(t *testing.T, m document, r MergeReport) {
				if m.rotationDays != 180 || !r.Settings {
					t.Fatalf("rotation %d, report %+v", m.rotationDays, r)
				}
			},
		},
		{
			name:  "tombstones are united",
			local: doc(nil, tomb("x", 1)),
			other: doc(nil, tomb("y", 2), tomb("x", 3)),
			check: func(t *testing.T, m document, r MergeReport) {
				if !slices.Equal(m.deleted, []Tombstone{tomb("y", 2), tomb("x", 3)}) {
					t.Fatalf("tombstones %v", m.deleted)
				}
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, r := mergeDocs(c.local, c.other, at(60))
			c.check(t, m, r)
			back, _ := mergeDocs(c.other, c.local, at(60))
			if !bytes.Equal(m.encode(), back.encode()) {
				t.Fatal("merging the other way gives another document")
			}
			again, r2 := mergeDocs(m, c.other, at(61))
			if !bytes.Equal(m.encode(), again.encode()) || !r2.Empty() {
				t.Fatalf("merging the same copy again changes the result: %+v", r2)
			}
		})
	}
}

func TestMergeReportString(t *testing.T) {
	r := MergeReport{Added: []string{"a", "b"}, Combined: []string{"c"}}
	if got := r.String(); got != "2 added, 1 changed on both sides (both values kept)" {
		t.Fatalf("%q", got)
	}
	if got := (MergeReport{}).String(); got != "no changes" {
		t.Fatalf("%q", got)
	}
}
