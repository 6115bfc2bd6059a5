package vault

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// twoCopies makes one vault with three keys, copies its file (as a sync
// service would) and then changes each copy on its own through the Vault's
// methods, with the operations data chooses: adds (from a few names, so
// that both sides add the same name), edits, rotations, deletions and
// undos, stars, access log lines, exposed marks, and clock steps of 0–3 s
// (so that both sides change things in the same second, or one after the
// other).
func twoCopies(t testing.TB, data []byte) (a, b document) {
	opts, clock, _ := testOptions()
	dir := t.TempDir()
	pa, pb := filepath.Join(dir, "a", "vault.keyshelf"), filepath.Join(dir, "b", "vault.keyshelf")
	va, err := Create(pa, testPass, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer va.Close()
	n := 0
	secret := func() string { n++; return fmt.Sprintf("sk-test-%06d-abcdefghijkl", n) }
	for _, name := range []string{"k0", "k1", "k2"} {
		mustAdd(t, va, name, secret())
	}
	if err := os.MkdirAll(filepath.Dir(pb), 0o700); err != nil {
		t.Fatal(err)
	}
	copyFile(t, pa, pb)
	vb, err := Open(pb, testPass, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer vb.Close()

	undo := map[*Vault][]Entry{}
	for i := 0; i+1 < len(data); i += 2 {
		op, arg := data[i], int(data[i+1])
		v := va
		if op&0x80 != 0 {
			v = vb
		}
		list := v.List()
		var pick Entry
		if len(list) > 0 {
			pick = list[arg%len(list)]
		}
		has := len(list) > 0
		switch op & 0x7f % 10 {
		case 0:
			v.Add(Draft{Name: fmt.Sprintf("k%d", arg%6), Secret: secret()}) // a taken name is refused: fine
		case 1:
			if has {
				d := pick.Draft()
				d.Notes = fmt.Sprintf("note %d", arg)
				if _, err := v.Update(pick.ID, d); err != nil {
					t.Fatal(err)
				}
			}
		case 2:
			if has {
				if _, err := v.Rotate(pick.ID, secret(), SourceCommand); err != nil {
					t.Fatal(err)
				}
			}
		case 3:
			if has {
				e, err := v.Delete(pick.ID)
				if err != nil {
					t.Fatal(err)
				}
				undo[v] = append(undo[v], e)
			}
		case 4:
			if has {
				v.SetFavorite(pick.ID, !pick.Favorite)
			}
		case 5:
			if has {
				v.Record(pick.ID, ActionCopied, SourceWindow, "")
			}
		case 6:
			if has {
				v.MarkExposed(pick.ID, fmt.Sprintf("file%d.py:1", arg%3), SourceCommand)
			}
		case 7:
			if has {
				v.ClearExposed(pick.ID, SourceWindow)
			}
		case 8:
			clock.Advance(time.Duration(arg%4) * time.Second)
		case 9:
			if u := undo[v]; len(u) > 0 {
				v.Restore(u[len(u)-1]) // refused when the name is taken since: fine
				undo[v] = u[:len(u)-1]
			}
		}
		if arg&0x40 != 0 { // half the operations are a second after the one before
			clock.Advance(time.Second)
		}
	}
	return snapshot(va), snapshot(vb)
}

// snapshot is a deep copy of v's document, which outlives v.Close.
func snapshot(v *Vault) document {
	v.mu.Lock()
	defer v.mu.Unlock()
	d := v.doc
	d.entries = make([]Entry, len(v.doc.entries))
	for i, e := range v.doc.entries {
		d.entries[i] = e.clone()
	}
	d.deleted = slices.Clone(d.deleted)
	return d
}

// checkMerge checks the merge's promises on two copies: the order does not
// matter, merging again changes nothing, the result stores and reads back,
// names stay unique, and every key value either copy holds (current or in
// a history) is still there, unless a deletion later than every change of
// its entry removed the entry.
func checkMerge(t testing.TB, a, b document, now time.Time) {
	ab, _ := mergeDocs(a, b, now)
	ba, _ := mergeDocs(b, a, now)
	if !bytes.Equal(ab.encode(), ba.encode()) {
		t.Fatal("merging A into B and B into A differ")
	}
	again, r := mergeDocs(ab, a, now.Add(time.Second))
	if !bytes.Equal(again.encode(), ab.encode()) || !r.Empty() {
		t.Fatalf("merging A into the result again changes it: %v", r)
	}
	back, err := decodeDocument(ab.encode())
	if err != nil || !bytes.Equal(back.encode(), ab.encode()) {
		t.Fatalf("the merged vault does not read back as written: %v", err)
	}
	seen := map[string]string{}
	for _, e := range ab.entries {
		if other, dup := seen[nameKey(e.Name)]; dup {
			t.Fatalf("two keys named %q (ids %s and %s)", e.Name, other, e.ID)
		}
		seen[nameKey(e.Name)] = e.ID
	}

	tombs := map[string]time.Time{}
	latest := map[string]time.Time{}
	for _, d := range []document{a, b} {
		for _, x := range d.deleted {
			if x.Time.After(tombs[x.ID]) {
				tombs[x.ID] = x.Time
			}
		}
		for _, e := range d.entries {
			if e.ChangedAt().After(latest[e.ID]) {
				latest[e.ID] = e.ChangedAt()
			}
		}
	}
	merged := heldValues(ab)
	for side, d := range map[string]document{"A": a, "B": b} {
		for id, values := range heldValues(d) {
			if t0, dead := tombs[id]; dead && latest[id].Before(t0) {
				if _, ok := merged[id]; ok {
					t.Fatalf("key %s: deleted after its last change, but still there", id)
				}
				continue
			}
			for n, val := range values {
				if !slices.Contains(merged[id], val) {
					t.Fatalf("key %s: value %d of copy %s is lost", id, n, side)
				}
			}
		}
	}
}

// TestMergeProperty runs checkMerge on many random pairs of copies.
func TestMergeProperty(t *testing.T) {
	runs := 60
	if testing.Short() {
		runs = 20
	}
	for seed := range runs {
		r := rand.New(rand.NewPCG(uint64(seed), 7))
		data := make([]byte, 20+r.IntN(60))
		for i := range data {
			data[i] = byte(r.UintN(256))
		}
		a, b := twoCopies(t, data)
		t.Run(fmt.Sprint(seed), func(t *testing.T) { checkMerge(t, a, b, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)) })
	}
}

// FuzzMerge is TestMergeProperty with the operations from the fuzzer.
func FuzzMerge(f *testing.F) {
	f.Add([]byte{0, 1, 0x80, 1, 2, 0, 0x82, 0, 8, 1})             // both add "k1", both rotate k0
	f.Add([]byte{3, 0, 8, 2, 0x81, 0, 0x88, 3, 0x85, 1, 9, 0})    // delete on A, edit on B later, undo
	f.Add([]byte{6, 1, 0x87, 1, 8, 1, 0x86, 1, 4, 2, 0x84, 2})    // exposed marks and stars
	f.Add([]byte{2, 1, 2, 1, 2, 1, 0x82, 1, 0x82, 1, 0x83, 1, 8}) // rotations on both sides, then a delete
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 400 {
			return
		}
		a, b := twoCopies(t, data)
		checkMerge(t, a, b, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
	})
}
