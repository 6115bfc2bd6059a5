package vault

import (
	"testing"
	"time"
)

// A build from before sync keeps "changed" as an unknown field, stale, while
// its edits move "updated": its rotation can lose to the unchanged copy.
func TestReviewOldBuildRotationLoses(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	t1 := t0.Add(time.Hour)
	here := Entry{ID: "0123456789abcdef0123456789abcdef", Name: "K", Provider: "custom", Secret: "sk-zzz-old-revoked",
		Created: t0, Updated: t0, Changed: t0}
	oldBuild := here.clone()
	oldBuild.Secret, oldBuild.Updated, oldBuild.Rotated = "sk-aaa-new", t1, t1
	oldBuild.History = []OldSecret{{Secret: "sk-zzz-old-revoked", From: t0, Until: t1}}
	// oldBuild.Changed stays t0: the old build wrote it back verbatim.
	m, _ := mergeDocs(document{entries: []Entry{here}}, document{entries: []Entry{oldBuild}}, t1.Add(time.Hour))
	if got := m.entries[0].Secret; got != "sk-aaa-new" {
		t.Errorf("after merging the old build's rotation the revoked key is current again")
	}
}

// Rename of a clash bumps Changed to the merge time, beating a deletion made
// earlier elsewhere.
func TestReviewRenameRevivesDeleted(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	a := Entry{ID: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", Name: "Stripe", Provider: "custom", Secret: "s1", Created: t0, Updated: t0, Changed: t0}
	b := Entry{ID: "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", Name: "Stripe", Provider: "custom", Secret: "s2", Created: t0.Add(time.Minute), Updated: t0.Add(time.Minute), Changed: t0.Add(time.Minute)}
	del := t0.Add(2 * time.Minute) // deleted b on computer C at del
	// Computer A merges a conflict copy holding b, at del+1h, before C's deletion arrives.
	m1, _ := mergeDocs(document{entries: []Entry{a}}, document{entries: []Entry{b}}, del.Add(time.Hour))
	c := document{entries: []Entry{a}, deleted: []Tombstone{{ID: b.ID, Time: del}}}
	m2, rep := mergeDocs(m1, c, del.Add(2*time.Hour))
	if len(m2.entries) != 1 {
		t.Errorf("the deleted key came back as %q (report %s)", m2.entries[1].Name, rep)
	}
}
