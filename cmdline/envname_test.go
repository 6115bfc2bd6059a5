package cmdline

import (
	"strings"
	"testing"
)

func TestEnvNameFlags(t *testing.T) {
	f := newFixture(t)
	f.mustOK(f.with("", "init"))
	f.mustOK(f.with("sk-proj-FAKEabcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ", "add", "--env-name", "OPENAI_API_KEY", "OpenAI"))
	if js := f.mustOK(f.with("", "list", "--json")); !strings.Contains(js, `"env_name": "OPENAI_API_KEY"`) {
		t.Fatalf("list --json:\n%s", js)
	}
	if out := f.mustOK(f.with("", "set", "--env-name", "OPENAI_KEY_PROD", "OpenAI")); !strings.Contains(out, "environment variable OPENAI_KEY_PROD") {
		t.Fatalf("set said: %s", out)
	}
	if out := f.mustOK(f.with("", "set", "--env-name", "", "OpenAI")); !strings.Contains(out, "environment variable cleared") {
		t.Fatalf("set said: %s", out)
	}
	if js := f.mustOK(f.with("", "list", "--json")); !strings.Contains(js, `"env_name": ""`) {
		t.Fatalf("list --json after clearing:\n%s", js)
	}
	code, _, stderr := f.with("", "set", "--env-name", "OPENAI-KEY", "OpenAI")
	if code == 0 || !strings.Contains(stderr, "letters A-Z, digits and _") {
		t.Fatalf("a bad name: exit %d, %s", code, stderr)
	}
}
