package provider

import "testing"

func TestDetect(t *testing.T) {
	cases := []struct {
		key, want string
	}{
		{"sk-proj-abcdefghijklmnopT3BlbkFJqrstuvwxyz012345", "openai"},
		{"sk-abcdefghijklmnopT3BlbkFJqrstuvwxyz0123456789ab", "openai"},
		{"sk-ant-api03-abcdefghijklmnopqrstuvwxyz", "anthropic"},
		{"sk-or-v1-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "openrouter"},
		{"ghp_0123456789abcdefghijABCDEFGHIJ012345", "github"},
		{"github_pat_11AAAAAAA0123456789_abcdefghijklmnopqrstuvwxyz", "github"},
		{"sk_live_0123456789abcdefghijklmn", "stripe"},
		{"xoxb-1234-5678-abcdef", "slack"},
		{"gsk_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP", "groq"},
		{"sk-0123456789abcdef0123456789abcdef", ""}, // DeepSeek or legacy OpenAI: ambiguous
		{"0123456789abcdef0123456789abcdef", ""},    // Mistral-like: ambiguous
		{"SK0123", ""},                              // case matters
		{"", ""},
	}
	for _, c := range cases {
		got, ok := Detect(c.key)
		if got != c.want || ok != (c.want != "") {
			t.Errorf("Detect(%.12s…) = %q, %v; want %q", c.key, got, ok, c.want)
		}
	}
}

func TestCatalogue(t *testing.T) {
	seen := map[string]bool{}
	for _, p := range All() {
		if seen[p.ID] || p.ID == "" || p.Name == "" || p.KeyPage == "" || p.EnvVar == "" {
			t.Errorf("bad or repeated row %+v", p)
		}
		seen[p.ID] = true
		if got, ok := Get(p.ID); !ok || got.ID != p.ID {
			t.Errorf("Get(%q) failed", p.ID)
		}
	}
	if _, ok := Get("openai-legacy"); ok {
		t.Error("internal alias row is visible")
	}
	if Name("openai") != "OpenAI" || Name("mystery") != "mystery" {
		t.Error("Name is wrong")
	}
}
