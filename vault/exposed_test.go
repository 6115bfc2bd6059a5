package vault

import (
	"testing"
	"time"

	"keyshelf/vault/lifecycle"
)

func TestExposedMarkedKeptAndClearedByRotation(t *testing.T) {
	v, opts, clock := newVault(t)
	e := mustAdd(t, v, "GitHub", "ghp_0123456789abcdefghijABCDEFGHIJ012345")
	if _, err := v.MarkExposed(e.ID, "src/app.py:12", SourceCommand); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Hour)
	if _, err := v.MarkExposed(e.ID, "src/app.py:12", SourceCommand); err != nil { // the same place: once
		t.Fatal(err)
	}
	if _, err := v.MarkExposed(e.ID, "", SourceCommand); err == nil {
		t.Error("an empty place was taken")
	}
	v = reopen(t, v, opts)
	got, _ := v.Get(e.ID)
	if len(got.Exposed) != 1 || got.Exposed[0].Where != "src/app.py:12" || got.Attention(90, clock.Now(), time.UTC) != lifecycle.Exposed {
		t.Fatalf("after reopening: %+v", got.Exposed)
	}
	if last := got.Log[len(got.Log)-1]; last.Action != ActionExposed || last.Detail != "src/app.py:12" {
		t.Errorf("log: %+v", last)
	}
	if n := v.NeedsAttention(clock.Now(), time.UTC); len(n) != 1 {
		t.Errorf("NeedsAttention: %d", len(n))
	}
	if _, err := v.Rotate(e.ID, "ghp_NEW3456789abcdefghijABCDEFGHIJ012345", SourceCommand); err != nil {
		t.Fatal(err)
	}
	if got, _ = v.Get(e.ID); len(got.Exposed) != 0 {
		t.Error("rotation kept the mark")
	}
	v.MarkExposed(e.ID, "pasted in a chat", SourceWindow)
	if got, _ = v.ClearExposed(e.ID, SourceWindow); len(got.Exposed) != 0 {
		t.Error("ClearExposed kept the mark")
	}
}

func TestMarkExposedManyOneSave(t *testing.T) {
	v, opts, _ := newVault(t)
	a := mustAdd(t, v, "a", "secret-a-0123456789")
	b := mustAdd(t, v, "b", "secret-b-0123456789")
	v.MarkExposed(b.ID, "x.py:1", SourceCommand)
	n, err := v.MarkExposedMany([]Mark{{a.ID, "x.py:2"}, {a.ID, "y.py:3"}, {b.ID, "x.py:1"}, {"gone", "z:1"}}, SourceCommand)
	if err != nil || n != 1 {
		t.Fatalf("MarkExposedMany = %d, %v; want 1 entry newly marked", n, err)
	}
	v = reopen(t, v, opts)
	if e, _ := v.Get(a.ID); len(e.Exposed) != 2 {
		t.Errorf("a has %d marks", len(e.Exposed))
	}
	if e, _ := v.Get(b.ID); len(e.Exposed) != 1 {
		t.Errorf("b has %d marks", len(e.Exposed))
	}
	if _, err := v.MarkExposedMany([]Mark{{a.ID, "two\nlines"}}, SourceCommand); err == nil {
		t.Error("a line break was taken")
	}
}
