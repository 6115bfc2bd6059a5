package vault

import (
	"strings"
	"testing"
)

// TestNotesCap: notes up to 64 KiB are kept; longer ones are refused by Add
// and Update alike, and nothing is saved.
func TestNotesCap(t *testing.T) {
	v, _, _ := newVault(t)
	ok := strings.Repeat("runbook line\n", MaxNotesLen/13)
	r, err := v.Add(Draft{Name: "long notes", Secret: "sk-test-4f9a1c2e8b7d6a5f3e2c1b0a", Notes: ok})
	if err != nil {
		t.Fatalf("notes of %d bytes refused: %v", len(ok), err)
	}
	big := strings.Repeat("x", MaxNotesLen+1)
	_, err = v.Add(Draft{Name: "too long", Secret: "sk-test-0a1b2c3d4e5f6a7b8c9d0e1f", Notes: big})
	wantErr(t, err, ErrNotesTooLong)
	d := r.Entry.Draft()
	d.Notes = big
	_, err = v.Update(r.Entry.ID, d)
	wantErr(t, err, ErrNotesTooLong)
	if e, _ := v.Find("long notes"); e.Notes != strings.TrimSpace(ok) || v.Len() != 1 {
		t.Fatal("a refused note changed the vault")
	}
	if !strings.Contains(err.Error(), "65 KiB") {
		t.Fatalf("the error does not say the size: %v", err)
	}
}
