package cmdline

import (
	"strings"
	"testing"
)

func TestEnvNameFlags(t *testing.T) {
	f := newFixture(t)
	f.mustOK(f.with("", "init"))
	f.mustOK(f.with("sk-proj-FAKEabcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ", "add", "--provider", "openai", "--env-name", "WORK_OPENAI_KEY", "OpenAI"))
	if js := f.mustOK(f.with("", "list", "--json")); !strings.Contains(js, `"env_name": "WORK_OPENAI_KEY"`) {
		t.Fatalf("list --json:\n%s", js)
	}
	if out := f.mustOK(f.with("", "set", "--env-name", "OPENAI_KEY_PROD", "OpenAI")); !strings.Contains(out, "environment variable OPENAI_KEY_PROD") {
		t.Fatalf("set said: %s", out)
	}
	// Cleared, an OpenAI key goes back to OPENAI_API_KEY.
	if out := f.mustOK(f.with("", "set", "--env-name", "", "OpenAI")); !strings.Contains(out, "back to the provider's, OPENAI_API_KEY") {
		t.Fatalf("set said: %s", out)
	}
	if js := f.mustOK(f.with("", "list", "--json")); !strings.Contains(js, `"env_name": "OPENAI_API_KEY"`) {
		t.Fatalf("list --json after clearing:\n%s", js)
	}
	// A custom key has no usual variable.
	f.mustOK(f.with("custom-secret-0123456789", "add", "--provider", "custom", "--env-name", "MY_TOKEN", "Mine"))
	if out := f.mustOK(f.with("", "set", "--env-name", "", "Mine")); !strings.Contains(out, "environment variable cleared") {
		t.Fatalf("set said: %s", out)
	}
	if js := f.mustOK(f.with("", "list", "--json")); !strings.Contains(js, `"env_name": ""`) {
		t.Fatalf("list --json after clearing a custom key's:\n%s", js)
	}
	code, _, stderr := f.with("", "set", "--env-name", "OPENAI-KEY", "OpenAI")
	if code == 0 || !strings.Contains(stderr, "letters A-Z, digits and _") {
		t.Fatalf("a bad name: exit %d, %s", code, stderr)
	}
}
