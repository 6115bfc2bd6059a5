package vault

import (
	"slices"
	"testing"
)

func TestVariableDefaultsToTheProviders(t *testing.T) {
	for _, c := range []struct {
		e    Entry
		want string
	}{
		{Entry{Provider: "openai"}, "OPENAI_API_KEY"},
		{Entry{Provider: "anthropic"}, "ANTHROPIC_API_KEY"},
		{Entry{Provider: "github"}, "GITHUB_TOKEN"},
		{Entry{Provider: "stripe"}, "STRIPE_API_KEY"},
		{Entry{Provider: "openai", EnvName: "WORK_OPENAI_KEY"}, "WORK_OPENAI_KEY"},
		{Entry{Provider: "custom"}, ""},
		{Entry{Provider: "custom", EnvName: "MY_TOKEN"}, "MY_TOKEN"},
		{Entry{}, ""},
	} {
		if got := c.e.Variable(); got != c.want {
			t.Errorf("Variable of %s/%q = %q, want %q", c.e.Provider, c.e.EnvName, got, c.want)
		}
	}
}

func TestClashes(t *testing.T) {
	es := []Entry{
		{Name: "work", Provider: "openai"},
		{Name: "home", Provider: "openai"},
		{Name: "ci", Provider: "custom", EnvName: "OPENAI_API_KEY"},
		{Name: "gh", Provider: "github"},
		{Name: "other gh", Provider: "github", EnvName: "GH_TOKEN"},
		{Name: "loose", Provider: "custom"},
		{Name: "loose 2", Provider: "custom"},
	}
	got := Clashes(es)
	if len(got) != 1 || got[0].Variable != "OPENAI_API_KEY" || !slices.Equal(got[0].Names, []string{"ci", "home", "work"}) {
		t.Errorf("Clashes = %+v", got)
	}
	if got := Clashes(es[3:]); len(got) != 0 {
		t.Errorf("Clashes without a shared variable = %+v", got)
	}
}

func TestRecordManyOneSave(t *testing.T) {
	v, opts, _ := newVault(t)
	a := mustAdd(t, v, "a", "secret-a-0123456789")
	b := mustAdd(t, v, "b", "secret-b-0123456789")
	c := mustAdd(t, v, "c", "secret-c-0123456789")
	if err := v.RecordMany([]string{a.ID, c.ID, "gone"}, ActionExported, SourceCommand, "exported as env"); err != nil {
		t.Fatal(err)
	}
	v = reopen(t, v, opts)
	last := func(name string) *Event {
		e, _ := v.Find(name)
		if len(e.Log) == 0 {
			return nil
		}
		return &e.Log[len(e.Log)-1]
	}
	for _, n := range []string{"a", "c"} {
		if ev := last(n); ev == nil || ev.Action != ActionExported || ev.Detail != "exported as env" || ev.Source != SourceCommand {
			t.Errorf("%s's last event = %+v", n, ev)
		}
	}
	if ev := last("b"); ev != nil && ev.Action == ActionExported {
		t.Errorf("b was logged too: %+v", ev)
	}
	_ = b
	if err := v.RecordMany([]string{"gone"}, ActionExported, SourceCommand, ""); err != nil {
		t.Errorf("RecordMany of nothing: %v", err)
	}
}
