package vault

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"keyshelf/vault/keychain"
)

// twoComputers makes a vault on "this computer" (a) with one key, and a
// copy of its file on "another computer" (b), open there too, as a sync
// service would leave them. Both use the same fake clock; each computer has
// its own keychain.
func twoComputers(t *testing.T) (a, b *Vault, opts Options, clock *fakeClock) {
	t.Helper()
	a, opts, clock = newVault(t)
	mustAdd(t, a, "OpenAI", "sk-first-value-0001")
	pb := filepath.Join(t.TempDir(), "vault.keyshelf")
	copyFile(t, a.Path(), pb)
	optsB := opts
	optsB.Keychain = &keychain.Memory{}
	b, err := Open(pb, testPass, optsB)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	clock.Advance(time.Minute)
	return a, b, opts, clock
}

// syncOver puts the file of from over the file of to, as a sync service
// does: a new file renamed over the old one.
func syncOver(t *testing.T, from, to *Vault) {
	t.Helper()
	data, err := os.ReadFile(from.Path())
	if err != nil {
		t.Fatal(err)
	}
	tmp := to.Path() + ".syncthing.tmp"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, to.Path()); err != nil {
		t.Fatal(err)
	}
}

func secretOf(t *testing.T, v *Vault, name string) (current string, old []string) {
	t.Helper()
	e, ok := v.Find(name)
	if !ok {
		t.Fatalf("no key %q", name)
	}
	for _, h := range e.History {
		old = append(old, h.Secret)
	}
	return e.Secret, old
}

func TestReloadTakesInAnotherComputersVersion(t *testing.T) {
	a, b, opts, _ := twoComputers(t)
	mustAdd(t, b, "Stripe", "sk_test_from_b_0001")
	syncOver(t, b, a)
	before := readAll(t, a.Path())

	r, err := a.Reload("")
	if err != nil {
		t.Fatal(err)
	}
	if !r.Changed || r.WroteBack || !slices.Equal(r.Report.Added, []string{"Stripe"}) {
		t.Fatalf("reload %+v", r)
	}
	if !bytes.Equal(before, readAll(t, a.Path())) {
		t.Fatal("nothing of this copy's was missing, yet the file was rewritten")
	}
	if _, ok := a.Find("Stripe"); !ok {
		t.Fatal("the other computer's key is not here")
	}
	if r, err := a.Reload(""); err != nil || r.Changed {
		t.Fatalf("a second reload: %+v, %v", r, err)
	}
	// It saves and reopens as usual afterwards.
	mustAdd(t, a, "GitHub", "ghp_after_reload_001")
	a2 := reopen(t, a, opts)
	if a2.Len() != 3 {
		t.Fatalf("%d keys after reopening, want 3", a2.Len())
	}
}

func TestReloadMergesWhenBothChanged(t *testing.T) {
	a, b, _, clock := twoComputers(t)
	e, _ := a.Find("OpenAI")
	if _, err := a.Rotate(e.ID, "sk-rotated-on-a-0002", SourceWindow); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Second)
	if _, err := b.Rotate(e.ID, "sk-rotated-on-b-0003", SourceCommand); err != nil {
		t.Fatal(err)
	}
	syncOver(t, b, a) // the sync service kept b's version

	r, err := a.Reload("")
	if err != nil {
		t.Fatal(err)
	}
	if !r.WroteBack || !slices.Equal(r.Report.Combined, []string{"OpenAI"}) {
		t.Fatalf("reload %+v", r)
	}
	cur, old := secretOf(t, a, "OpenAI")
	if cur != "sk-rotated-on-b-0003" || !slices.Contains(old, "sk-rotated-on-a-0002") || !slices.Contains(old, "sk-first-value-0001") {
		t.Fatalf("after the merge: the newer is not current, or a value is lost (%d old values)", len(old))
	}
	// The file holds the merge: b's computer gets a's rotation back.
	syncOver(t, a, b)
	if r, err := b.Reload(""); err != nil || r.WroteBack {
		t.Fatalf("b takes the merged file: %+v, %v", r, err)
	}
	if _, old := secretOf(t, b, "OpenAI"); !slices.Contains(old, "sk-rotated-on-a-0002") {
		t.Fatal("the merged file lacks a's value")
	}
}

// A save never overwrites a version written from outside since the last
// read: it takes it in first.
func TestSaveTakesInAnOutsideChangeFirst(t *testing.T) {
	a, b, opts, _ := twoComputers(t)
	mustAdd(t, b, "Stripe", "sk_test_from_b_0001")
	syncOver(t, b, a)
	mustAdd(t, a, "GitHub", "ghp_from_a_000000001") // no Reload in between
	a2 := reopen(t, a, opts)
	for _, n := range []string{"OpenAI", "Stripe", "GitHub"} {
		if _, ok := a2.Find(n); !ok {
			t.Fatalf("%q is lost", n)
		}
	}
}

func TestDeleteOnAnotherComputer(t *testing.T) {
	a, b, _, clock := twoComputers(t)
	e, _ := b.Find("OpenAI")
	if _, err := b.Delete(e.ID); err != nil {
		t.Fatal(err)
	}
	syncOver(t, b, a)
	r, err := a.Reload("")
	if err != nil || !slices.Equal(r.Report.Deleted, []string{"OpenAI"}) {
		t.Fatalf("reload %+v, %v", r, err)
	}
	if a.Len() != 0 {
		t.Fatal("the deleted key is still here")
	}
	// An older copy (a's file from before) does not bring it back.
	old := filepath.Join(t.TempDir(), "old.keyshelf")
	copyFile(t, BackupPath(b.Path()), old)
	clock.Advance(time.Minute)
	if rep, err := a.MergeFile(old, ""); err != nil || !rep.Empty() || a.Len() != 0 {
		t.Fatalf("merging the older copy: %+v, %v, %d keys", rep, err, a.Len())
	}
}

func TestReloadAfterAPassphraseChangeElsewhere(t *testing.T) {
	a, b, opts, _ := twoComputers(t)
	if _, err := b.ChangePassphrase("a new passphrase for both"); err != nil {
		t.Fatal(err)
	}
	mustAdd(t, b, "Stripe", "sk_test_from_b_0001")
	syncOver(t, b, a)

	if _, err := a.Reload(""); !errors.Is(err, ErrOtherKey) {
		t.Fatalf("reload without the passphrase: %v", err)
	}
	// A save must not overwrite the other version meanwhile.
	e, _ := a.Find("OpenAI")
	if _, err := a.SetFavorite(e.ID, true); !errors.Is(err, ErrOtherKey) || !errors.Is(err, ErrSave) {
		t.Fatalf("save: %v", err)
	}
	if _, err := a.Reload("wrong passphrase"); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("reload with a wrong passphrase: %v", err)
	}
	r, err := a.Reload("a new passphrase for both")
	if err != nil || !slices.Equal(r.Report.Added, []string{"Stripe"}) {
		t.Fatalf("reload %+v, %v", r, err)
	}
	if _, err := a.SetFavorite(e.ID, true); err != nil {
		t.Fatal(err)
	}
	a.Close()
	if _, err := Open(a.Path(), testPass, opts); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("the old passphrase still opens the file: %v", err)
	}
	if _, err := Open(a.Path(), "a new passphrase for both", opts); err != nil {
		t.Fatal(err)
	}
}

func TestReloadKeepsThisDevicesSlot(t *testing.T) {
	a, b, opts, _ := twoComputers(t)
	if err := a.Remember("laptop"); err != nil {
		t.Fatal(err)
	}
	mustAdd(t, b, "Stripe", "sk_test_from_b_0001") // b never saw the slot
	syncOver(t, b, a)
	r, err := a.Reload("")
	if err != nil || !r.WroteBack {
		t.Fatalf("reload %+v, %v", r, err)
	}
	a.Close()
	v, err := OpenWithDevice(a.Path(), opts)
	if err != nil {
		t.Fatalf("this device no longer unlocks: %v", err)
	}
	v.Close()
}

func TestReloadAfterThisDeviceWasForgottenElsewhere(t *testing.T) {
	a, b, opts, _ := twoComputers(t)
	if err := a.Remember("laptop"); err != nil {
		t.Fatal(err)
	}
	syncOver(t, a, b)
	if _, err := b.Reload(""); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Forget("laptop"); err != nil { // renews the data key
		t.Fatal(err)
	}
	syncOver(t, b, a)
	r, err := a.Reload("") // a knows the passphrase key: same salt
	if err != nil || !r.DeviceForgotten {
		t.Fatalf("reload %+v, %v", r, err)
	}
	mustAdd(t, a, "Stripe", "sk_test_after_forget1")
	a.Close()
	if _, err := OpenWithDevice(a.Path(), opts); !errors.Is(err, ErrNoDeviceKey) {
		t.Fatalf("the forgotten device still unlocks: %v", err)
	}
	v, err := Open(a.Path(), testPass, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	if v.Len() != 2 {
		t.Fatalf("%d keys", v.Len())
	}
}

func TestReloadRefusesAnotherVault(t *testing.T) {
	a, _, opts, _ := twoComputers(t)
	other, err := Create(filepath.Join(t.TempDir(), "vault.keyshelf"), testPass, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	syncOver(t, other, a)
	if _, err := a.Reload(""); !errors.Is(err, ErrOtherVault) {
		t.Fatalf("reload: %v", err)
	}
}

func TestMergeFile(t *testing.T) {
	a, b, _, clock := twoComputers(t)
	e, _ := a.Find("OpenAI")
	if _, err := a.Rotate(e.ID, "sk-rotated-on-a-0002", SourceWindow); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Second)
	if _, err := b.Rotate(e.ID, "sk-rotated-on-b-0003", SourceCommand); err != nil {
		t.Fatal(err)
	}
	mustAdd(t, b, "Stripe", "sk_test_from_b_0001")
	conflict := filepath.Join(filepath.Dir(a.Path()), "vault.sync-conflict-20261203-101010-ABCDEF7.keyshelf")
	copyFile(t, b.Path(), conflict)
	before := readAll(t, conflict)

	rep, err := a.MergeFile(conflict, "")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rep.Added, []string{"Stripe"}) || !slices.Equal(rep.Combined, []string{"OpenAI"}) {
		t.Fatalf("report %+v", rep)
	}
	cur, old := secretOf(t, a, "OpenAI")
	if cur != "sk-rotated-on-b-0003" || !slices.Contains(old, "sk-rotated-on-a-0002") {
		t.Fatal("a value is lost")
	}
	if !bytes.Equal(before, readAll(t, conflict)) {
		t.Fatal("the other file was changed")
	}
	// Merging it again changes nothing.
	if rep, err := a.MergeFile(conflict, ""); err != nil || !rep.Empty() {
		t.Fatalf("again: %+v, %v", rep, err)
	}
}

func TestMergeFileOfAnotherVaultNeedsItsPassphrase(t *testing.T) {
	a, _, opts, _ := twoComputers(t)
	other, err := Create(filepath.Join(t.TempDir(), "other.keyshelf"), "the other passphrase", opts)
	if err != nil {
		t.Fatal(err)
	}
	mustAdd(t, other, "OpenAI", "sk-other-vault-00001") // the same name: renamed
	other.Close()
	if _, err := a.MergeFile(other.Path(), ""); !errors.Is(err, ErrOtherVault) {
		t.Fatalf("without the passphrase: %v", err)
	}
	rep, err := a.MergeFile(other.Path(), "the other passphrase")
	if err != nil || len(rep.Renamed) != 1 || rep.Renamed[0].To != "OpenAI (2)" {
		t.Fatalf("report %+v, %v", rep, err)
	}
}

// The lock file of another computer, synced along with the vault, is only a
// file here: it never makes this copy read-only.
func TestSyncedLockFileDoesNotBlock(t *testing.T) {
	v, opts, _ := newVault(t)
	path := v.Path()
	v.Close()
	if err := os.WriteFile(path+".lock", []byte("held on another computer\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	v2, err := Open(path, testPass, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer v2.Close()
	if v2.ReadOnly() {
		t.Fatalf("read-only: %v", v2.ReadOnlyReason())
	}
}

func TestMergeConflicts(t *testing.T) {
	a, b, _, clock := twoComputers(t)
	dir := filepath.Dir(a.Path())
	mustAdd(t, b, "Stripe", "sk_test_from_b_0001")
	copyFile(t, b.Path(), filepath.Join(dir, "vault.sync-conflict-20261203-101010-ABCDEF7.keyshelf"))
	clock.Advance(time.Second)
	mustAdd(t, b, "GitHub", "ghp_from_b_000000001")
	copyFile(t, b.Path(), filepath.Join(dir, "vault (Ana's conflicted copy 2026-12-03).keyshelf"))
	// Not ours: another vault under a conflict's name, and a file that is no vault.
	other, err := Create(filepath.Join(dir, "vault (1).keyshelf"), testPass, Options{KDF: testParams})
	if err != nil {
		t.Fatal(err)
	}
	other.Close()
	if err := os.WriteFile(filepath.Join(dir, "vault-LAPTOP.keyshelf"), []byte("notes\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	moved := filepath.Join(t.TempDir(), "merged")
	got, err := a.MergeConflicts(moved, "", true)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("%d copies merged, want 2: %+v", len(got), got)
	}
	for _, c := range got {
		if c.Err != nil || c.MovedTo == "" || filepath.Dir(c.MovedTo) != moved {
			t.Fatalf("%s: %v (moved to %q)", filepath.Base(c.Path), c.Err, c.MovedTo)
		}
		if _, err := os.Stat(c.Path); !os.IsNotExist(err) {
			t.Fatalf("%s is still beside the vault", filepath.Base(c.Path))
		}
	}
	if got[0].Service != "Dropbox" || got[1].Service != "Syncthing" {
		t.Fatalf("services %q, %q", got[0].Service, got[1].Service)
	}
	for _, n := range []string{"OpenAI", "Stripe", "GitHub"} {
		if _, ok := a.Find(n); !ok {
			t.Fatalf("%q is missing after the merge", n)
		}
	}
	for _, n := range []string{"vault (1).keyshelf", "vault-LAPTOP.keyshelf"} {
		if _, err := os.Stat(filepath.Join(dir, n)); err != nil {
			t.Fatalf("%s, not this vault's, was touched: %v", n, err)
		}
	}
	if again, err := a.MergeConflicts(moved, "", true); err != nil || len(again) != 0 {
		t.Fatalf("again: %+v, %v", again, err)
	}
}

func TestMergeConflictsNeedingAPassphrase(t *testing.T) {
	a, b, _, _ := twoComputers(t)
	if _, err := b.ChangePassphrase("b's newer passphrase"); err != nil {
		t.Fatal(err)
	}
	mustAdd(t, b, "Stripe", "sk_test_from_b_0001")
	conflict := filepath.Join(filepath.Dir(a.Path()), "vault.sync-conflict-20261203-101010-ABCDEF7.keyshelf")
	copyFile(t, b.Path(), conflict)
	moved := filepath.Join(t.TempDir(), "merged")
	got, err := a.MergeConflicts(moved, "", true)
	if err != nil || len(got) != 1 || !errors.Is(got[0].Err, ErrOtherKey) || got[0].MovedTo != "" {
		t.Fatalf("%+v, %v", got, err)
	}
	if _, err := os.Stat(conflict); err != nil {
		t.Fatal("a copy not merged was moved")
	}
	got, err = a.MergeConflicts(moved, "b's newer passphrase", true)
	if err != nil || len(got) != 1 || got[0].Err != nil || !slices.Equal(got[0].Report.Added, []string{"Stripe"}) {
		t.Fatalf("%+v, %v", got, err)
	}
}

// The merge keeps what the independent implementation's files hold and
// this build does not know (an entry's future_field, the top-level
// future_top), on both sides.
func TestMergeKeepsUnknownFieldsOfTheIndependentFiles(t *testing.T) {
	var vec vector
	for _, v := range loadVectors(t) {
		if v.File == "unicode-nfc.keyshelf" && v.Expect == "success" {
			vec = v
		}
	}
	if vec.File == "" {
		t.Fatal("no unicode-nfc vector")
	}
	opts, clock, _ := testOptions()
	pa := filepath.Join(t.TempDir(), "vault.keyshelf")
	pb := filepath.Join(t.TempDir(), "vault.keyshelf")
	copyFile(t, filepath.Join("testdata", vec.File), pa)
	copyFile(t, filepath.Join("testdata", vec.File), pb)
	a, err := Open(pa, vec.Passphrase, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(pb, vec.Passphrase, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()

	gh, _ := a.Find("GitHub CI")
	if _, err := a.Rotate(gh.ID, "ghp_rotated_on_a_0123456789abcdefghijkl", SourceWindow); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Minute)
	var cle Entry
	for _, e := range b.List() {
		if e.Provider == "anthropic" {
			cle, _ = b.Get(e.ID)
		}
	}
	d := cle.Draft()
	d.Notes = "edited on b"
	if _, err := b.Update(cle.ID, d); err != nil {
		t.Fatal(err)
	}
	mustAdd(t, b, "Stripe", "sk_test_from_b_0001")

	// b's version arrives at a, with a's rotation not in it.
	syncOver(t, b, a)
	r, err := a.Reload("")
	if err != nil || !r.WroteBack {
		t.Fatalf("reload %+v, %v", r, err)
	}
	// And the merged file goes back to b.
	syncOver(t, a, b)
	if _, err := b.Reload(""); err != nil {
		t.Fatal(err)
	}
	for side, v := range map[string]*Vault{"a": a, "b": b} {
		v.mu.Lock()
		got := string(v.doc.encode())
		v.mu.Unlock()
		for what, want := range map[string]string{"the entry's future_field": `"future_field":"keep me"`, "future_top": `"future_top":{"kept":true}`,
			"b's notes": `"notes":"edited on b"`, "a's rotated key": `ghp_rotated_on_a_0123456789abcdefghijkl`, "b's new key": `"name":"Stripe"`} {
			if !strings.Contains(got, want) {
				t.Fatalf("%s's merged vault lacks %s", side, what)
			}
		}
	}
	// Merging the untouched vector into the result changes nothing.
	orig := filepath.Join(t.TempDir(), "orig.keyshelf")
	copyFile(t, filepath.Join("testdata", vec.File), orig)
	if rep, err := a.MergeFile(orig, ""); err != nil || !rep.Empty() {
		t.Fatalf("the original again: %+v, %v", rep, err)
	}
}

// A copy named as OneDrive names its conflict copies may be one the user
// made (vault-old.keyshelf): merged only when asked.
func TestAmbiguousCopyMergedOnlyWhenAsked(t *testing.T) {
	a, b, _, _ := twoComputers(t)
	mustAdd(t, b, "Stripe", "sk_test_from_b_0001")
	copyFile(t, b.Path(), filepath.Join(filepath.Dir(a.Path()), "vault-old.keyshelf"))
	moved := filepath.Join(t.TempDir(), "merged")
	got, err := a.MergeConflicts(moved, "", false)
	if err != nil || len(got) != 1 || !errors.Is(got[0].Err, ErrAmbiguousCopy) || got[0].Merged || a.Len() != 1 {
		t.Fatalf("%+v, %v, %d keys", got, err, a.Len())
	}
	got, err = a.MergeConflicts(moved, "", true)
	if err != nil || len(got) != 1 || !got[0].Merged || a.Len() != 2 {
		t.Fatalf("asked: %+v, %v, %d keys", got, err, a.Len())
	}
}

// Saving a copy into a folder that holds another computer's version of
// this vault merges that version into the copy instead of overwriting it.
func TestSaveToMergesTheVersionThere(t *testing.T) {
	a, b, _, _ := twoComputers(t)
	mustAdd(t, b, "Stripe", "sk_test_from_b_0001")
	mustAdd(t, a, "GitHub", "ghp_from_a_000000001")
	target := filepath.Join(t.TempDir(), "vault.keyshelf")
	copyFile(t, b.Path(), target)
	if err := a.SaveTo(target); err != nil {
		t.Fatal(err)
	}
	v, err := Open(target, testPass, Options{KDF: testParams})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	for _, n := range []string{"OpenAI", "Stripe", "GitHub"} {
		if _, ok := v.Find(n); !ok {
			t.Fatalf("%q is missing from the copy", n)
		}
	}
	if a.Len() != 2 {
		t.Fatalf("memory changed: %d keys", a.Len())
	}
}
