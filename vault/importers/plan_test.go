package importers

import (
	"errors"
	"strings"
	"testing"
	"time"

	"keyshelf/vault"
)

func TestSniff(t *testing.T) {
	for want, data := range map[string]string{
		FormatKeePassXML:    "\ufeff<?xml version=\"1.0\"?>\n<KeePassFile>",
		FormatKeePassCSV:    "\"Group\",\"Title\",\"Username\",\"Password\",\"URL\"\n",
		Format1PasswordCSV:  "Title,Url,Username,Password,OTPAuth,Favorite,Archived,Tags,Notes\n",
		FormatBitwardenJSON: "{\n  \"encrypted\": false,\n  \"items\": []}",
		Format1PUX:          "PK\x03\x04rest of a zip",
		FormatEnv:           "# settings\nPORT=1\n",
	} {
		if got := Sniff([]byte(data)); got != want {
			t.Errorf("Sniff(%q) = %s, want %s", data, got, want)
		}
	}
}

func TestReadUnknownFormat(t *testing.T) {
	if _, _, err := Read("lastpass", []byte("x")); !errors.Is(err, ErrUnknownFormat) {
		t.Fatalf("Read(lastpass) = %v, want ErrUnknownFormat", err)
	}
	for _, f := range Formats {
		if FormatTitle(f) == "" {
			t.Errorf("format %s has no title", f)
		}
	}
}

func TestPlan(t *testing.T) {
	have := []vault.Entry{
		{Name: "OPENAI_API_KEY", Secret: "sk-proj-existing0000000000000000000000000"},
		{Name: "Deploy key", Secret: "ghp_0123456789abcdefghijklmnopqrstuvwxyz"},
	}
	cands := []Candidate{
		{Name: "OPENAI_API_KEY", Secret: "sk-proj-new000000000000000000000000000000", Key: true},
		{Name: "GITHUB_TOKEN", Secret: "ghp_0123456789abcdefghijklmnopqrstuvwxyz", Key: true},
		{Name: "Stripe", Secret: "sk_live_0000000000000000000000000", Key: true},
		{Name: "stripe", Secret: "sk_live_0000000000000000000000000", Key: true},
		{Name: "Stripe", Secret: "hunter2", Key: false, Why: "a website login"},
		{Name: "Stripe", Secret: "sk_live_1111111111111111111111111", Key: true},
	}
	steps := Plan(have, cands, false)
	want := []struct {
		name, dup    string
		take, inFile bool
	}{
		{"OPENAI_API_KEY (2)", "", true, false},
		{"GITHUB_TOKEN", "Deploy key", false, false},
		{"Stripe", "", true, false},
		{"stripe (3)", "Stripe", false, true},
		// Not taken: named after the taken keys, so ticking needs no rename.
		{"Stripe (4)", "", false, false},
		{"Stripe (2)", "", true, false},
	}
	for i, w := range want {
		s := steps[i]
		if s.Name != w.name || s.Duplicate != w.dup || s.Take != w.take || s.InFile != w.inFile {
			t.Errorf("step %d = {%q dup %q take %v inFile %v}, want %+v", i, s.Name, s.Duplicate, s.Take, s.InFile, w)
		}
	}
	if err := CheckNames(have, steps); err != nil {
		t.Fatalf("CheckNames(plan) = %v", err)
	}
	if all := Plan(have, cands, true); !all[4].Take || all[3].Take {
		t.Errorf("Plan(all) takes the login %v and the duplicate %v; want the login only", all[4].Take, all[3].Take)
	}
}

func TestCheckNames(t *testing.T) {
	have := []vault.Entry{{Name: "Prod"}}
	for _, c := range []struct {
		names []string
		take  []bool
		bad   int // -1: fine
		why   string
	}{
		{[]string{"a", "b"}, []bool{true, true}, -1, ""},
		{[]string{"a", " A "}, []bool{true, true}, 1, "same name"},
		{[]string{"a", "a"}, []bool{true, false}, -1, ""},
		{[]string{"prod"}, []bool{true}, 0, "already has"},
		{[]string{"  "}, []bool{true}, 0, "empty"},
	} {
		var steps []Step
		for i, n := range c.names {
			steps = append(steps, Step{Name: n, Take: c.take[i]})
		}
		err := CheckNames(have, steps)
		var ne *NameError
		switch {
		case c.bad < 0 && err != nil:
			t.Errorf("CheckNames(%q) = %v, want nil", c.names, err)
		case c.bad >= 0 && (!errors.As(err, &ne) || ne.Index != c.bad || !strings.Contains(err.Error(), c.why)):
			t.Errorf("CheckNames(%q) = %v, want row %d: %s", c.names, err, c.bad, c.why)
		}
	}
}

func TestStepDraft(t *testing.T) {
	s := Step{Name: " Renamed ", C: Candidate{Name: "X", Secret: "v", EnvName: "X_KEY"}}
	d := s.Draft("prod.env")
	if d.Name != "Renamed" || d.Notes != "Imported from prod.env" || d.EnvName != "X_KEY" || d.Expires != nil {
		t.Errorf("Draft = %+v", d)
	}
	made := time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC)
	s = Step{Name: "Y", C: Candidate{Name: "Y", Secret: "v2", EnvName: "not-a-var", Created: made, Expires: made.AddDate(2, 0, 0),
		History: []vault.OldSecret{{Secret: "v1", Until: made.AddDate(0, 6, 0)}}}}
	d = s.Draft("kp.xml")
	if d.EnvName != "" || !d.Created.Equal(made) || d.Expires == nil || !d.Expires.Equal(made.AddDate(2, 0, 0)) ||
		len(d.History) != 1 || d.History[0].Secret != "v1" {
		t.Errorf("Draft = %+v", d)
	}
}

func TestFieldNamedLikeAVariable(t *testing.T) {
	for field, want := range map[string]string{
		"OPENAI_API_KEY": "OPENAI_API_KEY",
		"GITHUB_TOKEN":   "GITHUB_TOKEN",
		"api key":        "",
		"Api_Key":        "",
		"HOST_NAME":      "", // not a key's name
		"2FA_TOKEN":      "",
	} {
		c := fieldCandidate(Candidate{}, "Item", field, "Zq9vXw2LmN4bT7yR1cK8pD3sF6gH0jA5")
		if c.EnvName != want {
			t.Errorf("field %q: EnvName %q, want %q", field, c.EnvName, want)
		}
	}
}

// oldSecrets are a candidate's earlier values.
func oldSecrets(c Candidate) []string {
	var out []string
	for _, h := range c.History {
		out = append(out, h.Secret)
	}
	return out
}
