//go:build syncthing

package e2e

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"keyshelf/e2e/internal/fakekeys"
	"keyshelf/vault/format"
)

// syncKeyName is the key the Syncthing tests add, rotate and read.
const syncKeyName = "OpenAI test"

// fakeOpenAIKey is a fresh fake key of OpenAI's shape.
func fakeOpenAIKey() string { return "sk-proj-" + fakekeys.RandomText(40) }

// TestRealSyncthingAddAppears creates a vault in A's shared folder and adds
// a key to it; B's copy of the folder then gets the vault, and keyshelf on
// B prints the key. The per-computer companions (the lock, the backup) stay
// out of Syncthing's index.
func TestRealSyncthingAddAppears(t *testing.T) {
	p := newSyncthingPair(t)
	key := p.secret(fakeOpenAIKey())
	p.mustKeyshelf(p.a, "", "init")
	p.mustKeyshelf(p.a, key+"\n", "add", syncKeyName)

	took := stWait(t, fmt.Sprintf("keyshelf get %q on B to print the key added on A", syncKeyName), 90*time.Second,
		func() (bool, string) {
			if _, err := os.Stat(p.b.vaultPath()); err != nil {
				return false, "B has no " + stVault + " yet"
			}
			out, errs, err := p.b.keyshelf("", p.b.vaultPath(), "get", syncKeyName)
			if err != nil {
				return false, fmt.Sprintf("keyshelf get on B: %v: %s", err, p.redact(strings.TrimSpace(errs)))
			}
			if strings.TrimSuffix(out, "\n") != key {
				return false, fmt.Sprintf("keyshelf get %q on B printed another value (%d bytes)", syncKeyName, len(out))
			}
			return true, ""
		})
	t.Logf("B printed the key %v after the add on A", took.Round(100*time.Millisecond))

	// Both devices know the vault, and neither indexed a companion that
	// .stignore leaves to each computer.
	for _, d := range []*stDevice{p.a, p.b} {
		if err := d.rest("GET", "/rest/db/file?folder="+stFolderID+"&file="+stVault, nil); err != nil {
			t.Errorf("device %s has no %s in its index: %v", d.name, stVault, err)
		}
		for _, companion := range []string{stVault + ".lock", stVault + ".bak"} {
			if err := d.rest("GET", "/rest/db/file?folder="+stFolderID+"&file="+companion, nil); err == nil {
				t.Errorf("device %s has %s in its index: .stignore should leave it out", d.name, companion)
			}
		}
	}
}

// TestRealSyncthingConcurrentEditLeavesConflict puts a vault on both
// devices, cuts the connection (A pauses B; see setPaused), rotates the
// same key to a different value on each, and connects them again:
// Syncthing keeps one version as vault.keyshelf and the other as a conflict
// copy beside it, and between the two both new keys survive. Then
// keyshelf merge on A folds the conflict copy into A's vault, with no value
// lost, and B gets the merged vault.
func TestRealSyncthingConcurrentEditLeavesConflict(t *testing.T) {
	p := newSyncthingPair(t)
	k := rotatedKeys{v0: p.secret(fakeOpenAIKey())}
	p.mustKeyshelf(p.a, "", "init")
	p.mustKeyshelf(p.a, k.v0+"\n", "add", syncKeyName)
	took := p.waitInSync(90 * time.Second)
	t.Logf("the vault was on both devices %v after the add on A", took.Round(100*time.Millisecond))

	p.setPaused(true, 30*time.Second)
	k.va, k.vb = p.secret(fakeOpenAIKey()), p.secret(fakeOpenAIKey())
	p.mustKeyshelf(p.a, k.va+"\n", "rotate", syncKeyName)
	p.mustKeyshelf(p.b, k.vb+"\n", "rotate", syncKeyName)
	// Each device indexes its own edit before it hears of the other's.
	p.a.scan()
	p.b.scan()
	resumed := time.Now()
	p.setPaused(false, 60*time.Second)

	var where *stDevice
	stWait(t, "a conflict copy "+stConflictGlob+" in A's or B's folder", 120*time.Second, func() (bool, string) {
		for _, d := range []*stDevice{p.a, p.b} {
			if len(conflicts(d.folder)) > 0 {
				where = d
				return true, ""
			}
		}
		_, status := sameFolders(p.a.folder, p.b.folder)
		return false, "no conflict copy yet: " + status
	})
	t.Logf("a conflict copy appeared on %s %v after the resume", where.name, time.Since(resumed).Round(100*time.Millisecond))

	// Syncthing moves the losing version aside, then puts the winner in
	// place: wait until both are there.
	stWait(t, "both rotated keys between "+stVault+" and the conflict copy on "+where.name, 60*time.Second,
		func() (bool, string) { return p.holdsBoth(where, k) })
	for _, c := range conflicts(where.folder) {
		b, err := os.ReadFile(c)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(b, []byte(format.Magic+"\n")) {
			t.Fatalf("the conflict copy %s does not start with %q", filepath.Base(c), format.Magic+`\n`)
		}
	}

	// In the end both devices have the vault and the conflict copy.
	took = p.waitInSync(120 * time.Second)
	t.Logf("both devices held the vault and the conflict copy %v later", took.Round(100*time.Millisecond))
	for _, d := range []*stDevice{p.a, p.b} {
		if len(conflicts(d.folder)) == 0 {
			t.Fatalf("device %s has no conflict copy once in sync", d.name)
		}
	}

	// ---- keyshelf merge on A: the conflict copy goes into A's vault and
	// out of the synced folder ----
	moved := t.TempDir()
	merged := time.Now()
	p.mustKeyshelf(p.a, "", "merge", "--backup-folder", moved)
	if m, _ := filepath.Glob(filepath.Join(moved, "*sync-conflict*")); len(m) != 1 {
		t.Fatalf("%d conflict copies moved aside, want 1", len(m))
	}
	if ok, status := p.mergedHoldsBoth(p.a, k); !ok {
		t.Fatalf("after keyshelf merge on A: %s", status)
	}
	if left := conflicts(p.a.folder); len(left) > 0 {
		t.Fatalf("after keyshelf merge, A's folder still has %d conflict copies (%s)", len(left), filepath.Base(left[0]))
	}
	took = stWait(t, "B to get A's merged vault and lose the conflict copy", 90*time.Second, func() (bool, string) {
		if ok, status := p.mergedHoldsBoth(p.b, k); !ok {
			return false, status
		}
		if left := conflicts(p.b.folder); len(left) > 0 {
			return false, fmt.Sprintf("B still has %d conflict copies", len(left))
		}
		return true, ""
	})
	t.Logf("B had the merged vault %v after the merge on A (%v in all)", took.Round(100*time.Millisecond),
		time.Since(merged).Round(100*time.Millisecond))
}

// rotatedKeys are the values of syncKeyName in the conflict test: the one
// added on A, and the ones A and B rotated it to while apart.
type rotatedKeys struct{ v0, va, vb string }

// name says which of the keys s is, for messages that must not print it.
func (k rotatedKeys) name(s string) string {
	switch s {
	case k.va:
		return "A's rotated key"
	case k.vb:
		return "B's rotated key"
	case k.v0:
		return "the key before the rotations"
	}
	return "another value"
}

// holdsBoth reports whether, on d, the current keys of syncKeyName in the
// vault and its conflict copies are k.va and k.vb between them, and
// nothing else; the status says which file holds which key.
func (p *stPair) holdsBoth(d *stDevice, k rotatedKeys) (bool, string) {
	files := append([]string{d.vaultPath()}, conflicts(d.folder)...)
	if len(files) < 2 {
		return false, "no conflict copy"
	}
	var got, status []string
	for _, f := range files {
		cur, _, err := p.readVault(f, syncKeyName)
		if err != nil {
			return false, err.Error()
		}
		got = append(got, cur)
		status = append(status, filepath.Base(f)+" holds "+k.name(cur))
	}
	ok := slices.Contains(got, k.va) && slices.Contains(got, k.vb)
	for _, g := range got {
		ok = ok && (g == k.va || g == k.vb)
	}
	return ok, strings.Join(status, ", ")
}

// mergedHoldsBoth reports whether d's vault holds k.va and k.vb for
// syncKeyName, one as the current key and the other in its history.
func (p *stPair) mergedHoldsBoth(d *stDevice, k rotatedKeys) (bool, string) {
	cur, hist, err := p.readVault(d.vaultPath(), syncKeyName)
	if err != nil {
		return false, fmt.Sprintf("%s's vault: %v", d.name, err)
	}
	ok := (cur == k.va && slices.Contains(hist, k.vb)) || (cur == k.vb && slices.Contains(hist, k.va))
	var old []string
	for _, h := range hist {
		old = append(old, k.name(h))
	}
	return ok, fmt.Sprintf("%s's vault holds %s, history [%s]; want A's and B's rotated keys, one current and the other in the history",
		d.name, k.name(cur), strings.Join(old, ", "))
}
