package vault

import (
	"errors"
	"strings"
	"testing"
)

func TestCleanEnvName(t *testing.T) {
	for in, want := range map[string]string{
		"":                  "",
		"  OPENAI_API_KEY ": "OPENAI_API_KEY",
		"_private":          "_private",
		"db2_TOKEN":         "db2_TOKEN",
	} {
		if got, err := CleanEnvName(in); err != nil || got != want {
			t.Errorf("CleanEnvName(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	const pasted = "sk-proj-abcdefghijklmnop"
	for _, in := range []string{"2FA_KEY", "MY-KEY", "MY KEY", "CLÉ", "A=B", pasted, strings.Repeat("A", MaxEnvNameLen+1)} {
		_, err := CleanEnvName(in)
		if err == nil {
			t.Errorf("CleanEnvName(%q) accepted", in)
			continue
		}
		if strings.Contains(err.Error(), in) {
			t.Errorf("CleanEnvName's error quotes the name: %v", err)
		}
	}
}

func TestEnvNameStoredAndEdited(t *testing.T) {
	v, opts, _ := newVault(t)
	if _, err := v.Add(Draft{Name: "bad", Secret: "secret-0001-abcdef", EnvName: "OPENAI-KEY"}); !errors.Is(err, ErrBadEnvName) {
		t.Fatalf("Add with a bad env name: %v", err)
	}
	r, err := v.Add(Draft{Name: "OpenAI", Secret: "sk-proj-0123456789abcdefghijT3BlbkFJ", EnvName: " OPENAI_API_KEY "})
	if err != nil {
		t.Fatal(err)
	}
	if r.Entry.EnvName != "OPENAI_API_KEY" {
		t.Fatalf("EnvName = %q", r.Entry.EnvName)
	}
	// Two entries may share a variable name (one key per project).
	mustAddDraft(t, v, Draft{Name: "OpenAI other project", Secret: "sk-proj-zyxwvutsrqponmlkjihgT3BlbkFJ", EnvName: "OPENAI_API_KEY"})
	v = reopen(t, v, opts)
	e, _ := v.Find("OpenAI")
	if e.EnvName != "OPENAI_API_KEY" || e.Draft().EnvName != "OPENAI_API_KEY" {
		t.Fatalf("after reopening: EnvName %q, draft %q", e.EnvName, e.Draft().EnvName)
	}
	if got := v.Search("openai_api"); len(got) != 2 {
		t.Errorf("searching for the variable name finds %d entries, want 2", len(got))
	}
	d := e.Draft()
	d.EnvName = "OPENAI_KEY_PROD"
	if r, err = v.Update(e.ID, d); err != nil || r.Entry.EnvName != "OPENAI_KEY_PROD" || !r.Entry.Updated.After(e.Updated.Add(-1)) {
		t.Fatalf("Update: %v, EnvName %q", err, r.Entry.EnvName)
	}
	d.EnvName = ""
	if r, err = v.Update(e.ID, d); err != nil || r.Entry.EnvName != "" {
		t.Fatalf("clearing: %v, EnvName %q", err, r.Entry.EnvName)
	}
	v = reopen(t, v, opts)
	if e, _ = v.Find("OpenAI"); e.EnvName != "" {
		t.Fatalf("cleared name came back: %q", e.EnvName)
	}
}

func TestEnvNameOnTheWire(t *testing.T) {
	d := document{entries: []Entry{{ID: "01", Name: "n", Provider: "openai", Secret: "s", Tags: []string{"a"}, EnvName: "OPENAI_API_KEY", Favorite: true}}}
	if got := string(d.encode()); !strings.Contains(got, `"tags":["a"],"env_name":"OPENAI_API_KEY","favorite":true`) {
		t.Fatalf("env_name not written after tags: %s", got)
	}
	d.entries[0].EnvName = ""
	if got := string(d.encode()); strings.Contains(got, "env_name") {
		t.Fatalf("an empty env_name is written: %s", got)
	}
	path := writeForeign(t, `{"version":1,"entries":[{"id":"0123456789abcdef0123456789abcdef","name":"gh","provider":"github",`+
		`"secret":"ghp_0123456789abcdefghijABCDEFGHIJ012345","created":"2026-11-28T10:00:00Z","updated":"2026-11-28T10:00:00Z","env_name":"GITHUB_TOKEN"}]}`)
	opts, _, _ := testOptions()
	v, err := Open(path, testPass, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	if e, _ := v.Find("gh"); e.EnvName != "GITHUB_TOKEN" {
		t.Fatalf("read env_name %q", e.EnvName)
	}
}

func mustAddDraft(t testing.TB, v *Vault, d Draft) Entry {
	t.Helper()
	r, err := v.Add(d)
	if err != nil {
		t.Fatal(err)
	}
	return r.Entry
}
