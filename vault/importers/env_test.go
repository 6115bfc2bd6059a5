package importers

import (
	"strings"
	"testing"
)

// A .env file as one is found in a project: keys with provider shapes, keys
// known by their names, and settings that are not keys.
const projectEnv = `# app settings
PORT=8080
DEBUG=true
NODE_ENV=production
DATABASE_URL=postgres://app@localhost:5432/app
export OPENAI_API_KEY=sk-proj-FAKEabcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ
ANTHROPIC_API_KEY="sk-ant-api03-FAKE0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghij-AAAAAA"
GITHUB_TOKEN='ghp_FAKE0123456789abcdefghijklmnopqrst'
INTERNAL_SERVICE_SECRET=Zx81kQ0pLm2Vb7Nc4Rt6Yw9 # our own service
SESSION_KEY=short
FEATURE_FLAGS_KEY=enabled
EMPTY_TOKEN=
REPLICA_URL=postgres://app:Hx7Fake2Pass@db2.internal:5432/app
REDIS_URL=redis://:Fake9redisPass@cache:6379/0
`

func TestFromEnv(t *testing.T) {
	cands, warns, err := FromEnv([]byte(projectEnv))
	if err != nil {
		t.Fatal(err)
	}
	if len(warns) != 0 {
		t.Fatalf("warnings: %v", warns)
	}
	got := byName(cands)
	for name, want := range map[string]struct {
		key      bool
		provider string
	}{
		"PORT": {false, ""}, "DEBUG": {false, ""}, "NODE_ENV": {false, ""}, "DATABASE_URL": {false, ""},
		"REPLICA_URL": {true, ""}, "REDIS_URL": {true, ""},
		"OPENAI_API_KEY": {true, "openai"}, "ANTHROPIC_API_KEY": {true, "anthropic"}, "GITHUB_TOKEN": {true, "github"},
		"INTERNAL_SERVICE_SECRET": {true, ""}, "SESSION_KEY": {false, ""}, "FEATURE_FLAGS_KEY": {false, ""},
	} {
		c, ok := got[name]
		if !ok {
			t.Errorf("%s: not found", name)
			continue
		}
		if c.Key != want.key || c.Provider != want.provider {
			t.Errorf("%s: key %v provider %q (%s); want key %v provider %q", name, c.Key, c.Provider, c.Why, want.key, want.provider)
		}
		if c.EnvName != name || !strings.HasPrefix(c.Source, "line ") {
			t.Errorf("%s: env name %q, source %q", name, c.EnvName, c.Source)
		}
		if strings.Contains(c.Why, "FAKE") || strings.Contains(c.Why, c.Secret) {
			t.Errorf("%s: the reason quotes the value: %q", name, c.Why)
		}
	}
	if _, ok := got["EMPTY_TOKEN"]; ok {
		t.Error("an empty value became a candidate")
	}
	if c := got["INTERNAL_SERVICE_SECRET"]; c.Secret != "Zx81kQ0pLm2Vb7Nc4Rt6Yw9" || c.Source != "line 9" {
		t.Errorf("INTERNAL_SERVICE_SECRET: %q at %s; want the value without its comment, at line 9", c.Secret, c.Source)
	}
}

func TestKeyName(t *testing.T) {
	for name, want := range map[string]bool{
		"OPENAI_API_KEY": true, "stripe-secret-key": true, "api.key": true, "TOKEN": true, "HF_TOKEN": true,
		"PORT": false, "KEYBOARD_LAYOUT": false, "MONKEY": false, "TOKENIZER": false,
	} {
		if got := keyName(name); got != want {
			t.Errorf("keyName(%q) = %v, want %v", name, got, want)
		}
	}
}

// byName is the candidates by their names (the tests' names are unique).
func byName(cands []Candidate) map[string]Candidate {
	by := make(map[string]Candidate, len(cands))
	for _, c := range cands {
		by[c.Name] = c
	}
	return by
}
