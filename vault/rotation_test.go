package vault

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"keyshelf/vault/check"
	"keyshelf/vault/keychain"
	"keyshelf/vault/lifecycle"
)

func TestRotateKeepsHistoryAndResetsAge(t *testing.T) {
	v, opts, clock := newVault(t)
	a := mustAdd(t, v, "alpha", "secret-alpha-0001")
	if err := v.RecordCheck(a, check.Result{Outcome: check.Valid, Checked: clock.Now()}); err != nil {
		t.Fatal(err)
	}
	created := a.Created

	clock.Advance(100 * 24 * time.Hour)
	if _, err := v.Rotate(a.ID, "secret-alpha-0001", SourceWindow); !errors.Is(err, ErrSameSecret) {
		t.Fatalf("rotating to the same key: %v", err)
	}
	r, err := v.Rotate(a.ID, " secret-alpha-0002\n", SourceCommand)
	if err != nil {
		t.Fatal(err)
	}
	e := r.Entry
	if !r.SecretTrimmed || e.Secret != "secret-alpha-0002" || !e.Rotated.Equal(clock.Now()) || !e.LastRotated().Equal(clock.Now()) {
		t.Fatal("rotation not applied")
	}
	if e.LastCheck != nil {
		t.Fatal("the old key's check survived the rotation")
	}
	if len(e.History) != 1 || e.History[0].Secret != "secret-alpha-0001" || !e.History[0].From.Equal(created) || !e.History[0].Until.Equal(clock.Now()) {
		t.Fatal("history does not hold the old key with its dates")
	}
	last := e.Log[len(e.Log)-1]
	if last.Action != ActionRotated || last.Source != SourceCommand || !last.Time.Equal(clock.Now()) {
		t.Fatalf("log %+v", last)
	}

	v = reopen(t, v, opts)
	e, _ = v.Get(a.ID)
	if len(e.History) != 1 || e.History[0].Secret != "secret-alpha-0001" || e.Log[len(e.Log)-1].Action != ActionRotated {
		t.Fatal("history or log lost on reopen")
	}
	if got := e.Attention(v.RotationDays(), clock.Now(), time.UTC); got != lifecycle.None {
		t.Fatalf("a key rotated just now needs attention: %q", got)
	}

	// Putting the old value back keeps the newer one in the history.
	clock.Advance(time.Hour)
	e, err = v.RestoreOld(a.ID, 0, SourceWindow)
	if err != nil {
		t.Fatal(err)
	}
	if e.Secret != "secret-alpha-0001" || len(e.History) != 1 || e.History[0].Secret != "secret-alpha-0002" {
		t.Fatal("restore from history")
	}
	if !e.LastRotated().Equal(created) {
		t.Fatal("a restored key's age started again")
	}
	if _, err := v.RestoreOld(a.ID, 5, SourceWindow); !errors.Is(err, ErrNotFound) {
		t.Fatalf("restoring a missing value: %v", err)
	}
}

func TestHistoryAndLogAreBounded(t *testing.T) {
	v, opts, clock := newVault(t)
	a := mustAdd(t, v, "alpha", "secret-0000")
	for i := 1; i <= MaxHistory+5; i++ {
		clock.Advance(time.Hour)
		if _, err := v.Rotate(a.ID, "secret-"+strings.Repeat("x", i), SourceWindow); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < MaxLog+10; i++ {
		if err := v.Record(a.ID, ActionCopied, SourceTray, ""); err != nil {
			t.Fatal(err)
		}
	}
	v = reopen(t, v, opts)
	e, _ := v.Get(a.ID)
	if len(e.History) != MaxHistory || e.History[MaxHistory-1].Secret != "secret-"+strings.Repeat("x", MaxHistory+4) {
		t.Fatalf("history holds %d values", len(e.History))
	}
	if len(e.Log) != MaxLog || e.Log[len(e.Log)-1].Action != ActionCopied || e.Log[0].Action != ActionCopied {
		t.Fatalf("log holds %d events", len(e.Log))
	}
}

func TestEditLogsAndANewKeyIsARotation(t *testing.T) {
	v, _, clock := newVault(t)
	a := mustAdd(t, v, "alpha", "secret-alpha-0001")
	clock.Advance(time.Hour)
	exp := time.Date(2027, 6, 30, 0, 0, 0, 0, time.UTC)
	d := a.Draft()
	d.Notes, d.UsedBy, d.RotationDays, d.Expires = "n", []string{"CI", " ci ", "prod server"}, 30, &exp
	r, err := v.Update(a.ID, d)
	if err != nil {
		t.Fatal(err)
	}
	e := r.Entry
	if strings.Join(e.UsedBy, ",") != "CI,prod server" || e.RotationDays != 30 || !e.Expires.Equal(exp) || len(e.History) != 0 {
		t.Fatalf("update: %+v", e.UsedBy)
	}
	if ev := e.Log[len(e.Log)-1]; ev.Action != ActionEdited || ev.Source != SourceWindow {
		t.Fatalf("edit not logged: %+v", ev)
	}
	d = e.Draft()
	d.Secret = "secret-alpha-0002"
	e = mustUpdate(t, v, a.ID, d)
	if len(e.History) != 1 || e.History[0].Secret != "secret-alpha-0001" || !e.Rotated.Equal(clock.Now()) {
		t.Fatal("a key typed over the old one was not kept in the history")
	}
	d.RotationDays = lifecycle.MaxIntervalDays + 1
	if _, err := v.Update(a.ID, d); err == nil {
		t.Fatal("an interval over the limit was accepted")
	}
}

func mustUpdate(t *testing.T, v *Vault, id string, d Draft) Entry {
	t.Helper()
	r, err := v.Update(id, d)
	if err != nil {
		t.Fatal(err)
	}
	return r.Entry
}

func TestNeedsAttentionAndDefaultInterval(t *testing.T) {
	v, opts, clock := newVault(t)
	start := clock.Now()
	mustAdd(t, v, "a rotate", "secret-a-000001")
	b := mustAdd(t, v, "b expiring", "secret-b-000002")
	c := mustAdd(t, v, "c never", "secret-c-000003")
	exp := start.AddDate(0, 0, 85)
	d := b.Draft()
	d.Expires, d.RotationDays = &exp, 365
	mustUpdate(t, v, b.ID, d)
	d = c.Draft()
	d.RotationDays = -1
	mustUpdate(t, v, c.ID, d)

	names := func(es []Entry) string {
		var s []string
		for _, e := range es {
			s = append(s, e.Name+"="+string(e.Attention(v.RotationDays(), clock.Now(), time.UTC)))
		}
		return strings.Join(s, ",")
	}
	clock.Advance(76 * 24 * time.Hour) // day 76: a is due on day 90, soon from day 76
	if got := names(v.NeedsAttention(clock.Now(), time.UTC)); got != "b expiring=expiring,a rotate=rotate-soon" {
		t.Fatalf("day 76: %s", got)
	}
	clock.Advance(14 * 24 * time.Hour) // day 90
	if got := names(v.NeedsAttention(clock.Now(), time.UTC)); got != "b expiring=expired,a rotate=rotate-overdue" {
		t.Fatalf("day 90: %s", got)
	}
	if err := v.SetRotationDays(120); err != nil {
		t.Fatal(err)
	}
	v = reopen(t, v, opts)
	if v.RotationDays() != 120 {
		t.Fatal("default interval not kept")
	}
	if got := names(v.NeedsAttention(clock.Now(), time.UTC)); got != "b expiring=expired" {
		t.Fatalf("with 120 days: %s", got)
	}
	if err := v.SetRotationDays(0); err == nil {
		t.Fatal("a zero interval was accepted")
	}
}

// TestOldVaultGainsLifecycleFields: a vault written before these fields
// existed (the independent implementation's vector) opens, and gains them on
// the next save.
func TestOldVaultGainsLifecycleFields(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v.keyshelf")
	copyFile(t, "testdata/basic.keyshelf", path)
	opts := Options{Keychain: &keychain.Memory{}, KDF: testParams}
	v, err := Open(path, "correct horse battery staple", opts)
	if err != nil {
		t.Fatal(err)
	}
	e, ok := v.Find("openai PROD")
	if !ok || len(e.History) != 0 || len(e.Log) != 0 || e.Expires != nil || !e.LastRotated().Equal(e.Created) {
		t.Fatal("an old entry does not read as never rotated, without history")
	}
	if err := v.Record(e.ID, ActionCopied, SourceWindow, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Rotate(e.ID, "sk-proj-newnewnewnewnewnewT3BlbkFJnewnewnew0000", SourceWindow); err != nil {
		t.Fatal(err)
	}
	v.Close()
	v, err = Open(path, "correct horse battery staple", opts)
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	e, _ = v.Find("openai PROD")
	if len(e.History) != 1 || len(e.Log) != 2 || e.Rotated.IsZero() {
		t.Fatalf("fields not kept: %d old values, %d events", len(e.History), len(e.Log))
	}
	if _, err := os.Stat(path + ".bak"); err != nil {
		t.Fatal(err)
	}
}

func TestListsLeaveOutHistoryAndLog(t *testing.T) {
	v, _, _ := newVault(t)
	a := mustAdd(t, v, "alpha", "secret-alpha-0001")
	if _, err := v.Rotate(a.ID, "secret-alpha-0002", SourceWindow); err != nil {
		t.Fatal(err)
	}
	for _, e := range append(v.List(), v.Search("alp")...) {
		if e.History != nil || e.Log != nil {
			t.Fatal("a list carries the history or the log")
		}
	}
	if e, _ := v.Get(a.ID); len(e.History) != 1 || len(e.Log) != 1 {
		t.Fatal("Get lost the history or the log")
	}
}

// TestLoggingKeepsTheBackup: the access log and check results are saved
// without replacing .bak, so the backup still holds the vault before the
// user's last real change (here a delete).
func TestLoggingKeepsTheBackup(t *testing.T) {
	v, opts, clock := newVault(t)
	a := mustAdd(t, v, "alpha", "secret-alpha-0001")
	b := mustAdd(t, v, "beta", "secret-beta-0002")
	if _, err := v.Delete(b.ID); err != nil {
		t.Fatal(err)
	}
	if err := v.Record(a.ID, ActionCopied, SourceWindow, ""); err != nil {
		t.Fatal(err)
	}
	if err := v.RecordCheck(a, check.Result{Outcome: check.Valid, Checked: clock.Now()}); err != nil {
		t.Fatal(err)
	}
	bak := filepath.Join(t.TempDir(), "bak.keyshelf")
	copyFile(t, v.Path()+".bak", bak)
	old, err := Open(bak, testPass, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close()
	if _, ok := old.Find("beta"); !ok {
		t.Fatal("logging replaced the backup of the vault before the delete")
	}
	// A real change moves the backup on as before.
	if _, err := v.SetFavorite(a.ID, true); err != nil {
		t.Fatal(err)
	}
	copyFile(t, v.Path()+".bak", bak+"2")
	newer, err := Open(bak+"2", testPass, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer newer.Close()
	if _, ok := newer.Find("beta"); ok {
		t.Fatal("a real change did not move the backup on")
	}
	if e, _ := v.Get(a.ID); len(e.Log) != 2 {
		t.Fatal("log lost")
	}
}
