package provider

import (
	"net/url"
	"slices"
	"strings"
	"testing"
)

// fake makes a fake key body of n characters from the given alphabet.
func fake(alphabet string, n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteByte(alphabet[(i*7+3)%len(alphabet)])
	}
	return b.String()
}

const (
	lettersDigits = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	letters       = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	lowerDigits   = "abcdefghijklmnopqrstuvwxyz0123456789"
	hexLower      = "0123456789abcdef"
	urlSafe       = lettersDigits + "_-"
)

// detectCases: key, the certain provider ("" for none), and the candidates
// DetectAll must return. Keys are fake; names in failures never print them.
var detectCases = []struct {
	name, key, want string
	all             []string
}{
	{"openai project", "sk-proj-" + fake(urlSafe, 74) + "T3BlbkFJ" + fake(urlSafe, 74), "openai", []string{"openai"}},
	{"openai short test key", "sk-proj-abcdefghijklmnopT3BlbkFJqrstuvwxyz012345", "openai", []string{"openai"}},
	{"openai service account", "sk-svcacct-" + fake(urlSafe, 58) + "T3BlbkFJ" + fake(urlSafe, 58), "openai", []string{"openai"}},
	{"openai admin", "sk-admin-" + fake(urlSafe, 58) + "T3BlbkFJ" + fake(urlSafe, 58), "openai", []string{"openai"}},
	{"openai legacy", "sk-" + fake(lettersDigits, 20) + "T3BlbkFJ" + fake(lettersDigits, 20), "openai", []string{"openai"}},
	{"near: openai project without marker", "sk-proj-" + fake(urlSafe, 100), "", nil},
	{"near: openai legacy 19+20", "sk-" + fake(lettersDigits, 19) + "T3BlbkFJ" + fake(lettersDigits, 20), "", nil},
	{"anthropic", "sk-ant-api03-" + fake(urlSafe, 93) + "AA", "anthropic", []string{"anthropic"}},
	{"anthropic admin", "sk-ant-admin01-" + fake(urlSafe, 93) + "AA", "anthropic", []string{"anthropic"}},
	{"near: anthropic short", "sk-ant-api03-abc", "", nil},
	{"near: anthropic unknown kind", "sk-ant-xyz99-" + fake(urlSafe, 95), "", nil},
	{"gemini", "AIzaSy" + fake(urlSafe, 33), "gemini", []string{"gemini"}},
	{"near: gemini 32", "AIzaSy" + fake(urlSafe, 32), "", nil},
	{"near: gemini 34", "AIzaSy" + fake(urlSafe, 33) + "-", "", nil},
	{"gemini-like 40 alnum is only a cohere candidate", "AIzaSy" + fake(lettersDigits, 34), "", []string{"cohere"}},
	{"near: gemini lowercase", "aizasy" + fake(urlSafe, 33), "", nil},
	{"mistral (generic)", fake(lettersDigits, 32), "", []string{"mistral"}},
	{"near: mistral 31", fake(lettersDigits, 31), "", nil},
	{"near: mistral with dash", fake(lettersDigits, 16) + "-" + fake(lettersDigits, 15), "", nil},
	{"groq", "gsk_" + fake(lettersDigits, 52), "groq", []string{"groq"}},
	{"near: groq 51", "gsk_" + fake(lettersDigits, 51), "", nil},
	{"near: groq upper prefix", "GSK_" + fake(lettersDigits, 52), "", nil},
	{"cohere (generic)", fake(lettersDigits, 40), "", []string{"cohere"}},
	{"near: cohere 41", fake(lettersDigits, 41), "", nil},
	{"huggingface", "hf_" + fake(letters, 34), "huggingface", []string{"huggingface"}},
	{"huggingface org", "api_org_" + fake(letters, 34), "huggingface", []string{"huggingface"}},
	{"near: huggingface digits", "hf_" + fake(lettersDigits, 34), "", nil},
	{"near: huggingface 33", "hf_" + fake(letters, 33), "", nil},
	{"openrouter", "sk-or-v1-" + fake(hexLower, 64), "openrouter", []string{"openrouter"}},
	{"near: openrouter uppercase hex", "sk-or-v1-" + strings.ToUpper(fake(hexLower, 64)), "", nil},
	{"near: openrouter 63", "sk-or-v1-" + fake(hexLower, 63), "", nil},
	{"xai", "xai-" + fake(lettersDigits, 80), "xai", []string{"xai"}},
	{"near: xai 79", "xai-" + fake(lettersDigits, 79), "", nil},
	{"deepseek (generic)", "sk-" + fake(lowerDigits, 32), "", []string{"deepseek"}},
	{"deepseek old test key", "sk-0123456789abcdef0123456789abcdef", "", []string{"deepseek"}},
	{"near: deepseek uppercase", "sk-" + strings.ToUpper(fake(lowerDigits, 32)), "", nil},
	{"near: deepseek 33", "sk-" + fake(lowerDigits, 33), "", nil},
	{"perplexity", "pplx-" + fake(lettersDigits, 48), "perplexity", []string{"perplexity"}},
	{"near: perplexity 47", "pplx-" + fake(lettersDigits, 47), "", nil},
	{"github classic", "ghp_" + fake(lettersDigits, 36), "github", []string{"github"}},
	{"github oauth", "gho_" + fake(lettersDigits, 36), "github", []string{"github"}},
	{"github app user", "ghu_" + fake(lettersDigits, 36), "github", []string{"github"}},
	{"github app server", "ghs_" + fake(lettersDigits, 36), "github", []string{"github"}},
	{"github refresh", "ghr_" + fake(lettersDigits, 76), "github", []string{"github"}},
	{"near: github refresh 75", "ghr_" + fake(lettersDigits, 75), "", nil},
	{"github refresh", "ghr_" + fake(lettersDigits, 36), "github", []string{"github"}},
	{"github fine-grained", "github_pat_" + fake(lettersDigits+"_", 82), "github", []string{"github"}},
	{"near: github ghx", "ghx_" + fake(lettersDigits, 36), "", nil},
	{"near: github 35", "ghp_" + fake(lettersDigits, 35), "", nil},
	{"near: github fine-grained 81", "github_pat_" + fake(lettersDigits, 81), "", nil},
	{"gitlab", "glpat-" + fake(urlSafe, 20), "gitlab", []string{"gitlab"}},
	{"near: gitlab short", "glpat-" + fake(urlSafe, 10), "", nil},
	{"stripe live", "sk_live_" + fake(lettersDigits, 24), "stripe", []string{"stripe"}},
	{"stripe test long", "sk_test_" + fake(lettersDigits, 99), "stripe", []string{"stripe"}},
	{"stripe restricted", "rk_live_" + fake(lettersDigits, 24), "stripe", []string{"stripe"}},
	{"near: stripe publishable", "pk_live_" + fake(lettersDigits, 24), "", nil},
	{"near: stripe 23", "sk_live_" + fake(lettersDigits, 23), "", nil},
	{"slack bot", "xoxb-1234567890-1234567890123-" + fake(lettersDigits, 24), "slack", []string{"slack"}},
	{"slack user", "xoxp-1234567890-1234567890-1234567890123-" + fake(hexLower, 32), "slack", []string{"slack"}},
	{"near: slack xoxz", "xoxz-1234567890-1234567890123-" + fake(lettersDigits, 24), "", nil},
	{"near: slack no digits", "xoxb-" + fake(lettersDigits, 24), "", nil},
	{"sendgrid", "SG." + fake(urlSafe, 22) + "." + fake(urlSafe, 43), "sendgrid", []string{"sendgrid"}},
	{"near: sendgrid 21", "SG." + fake(urlSafe, 21) + "." + fake(urlSafe, 43), "", nil},
	{"near: sendgrid lowercase", "sg." + fake(urlSafe, 22) + "." + fake(urlSafe, 43), "", nil},
	{"replicate", "r8_" + fake(lettersDigits, 37), "replicate", []string{"replicate"}},
	{"near: replicate 36", "r8_" + fake(lettersDigits, 36), "", nil},
	{"near: prefix with trailing space", "ghp_" + fake(lettersDigits, 36) + " ", "", nil},
	{"near: prefix with leading text", "x ghp_" + fake(lettersDigits, 36), "", nil},
	{"near: line break inside", "ghp_" + fake(lettersDigits, 18) + "\n" + fake(lettersDigits, 18), "", nil},
	{"empty", "", "", nil},
	{"short", "SK0123", "", nil},
}

func TestDetect(t *testing.T) {
	for _, c := range detectCases {
		got, ok := Detect(c.key)
		if got != c.want || ok != (c.want != "") {
			// The case's name, never the key.
			t.Errorf("%s: Detect = %q, %v; want %q", c.name, got, ok, c.want)
		}
		if all := DetectAll(c.key); !slices.Equal(all, c.all) {
			t.Errorf("%s: DetectAll = %q; want %q", c.name, all, c.all)
		}
	}
}

func TestEveryProviderHasDetectionCases(t *testing.T) {
	for _, p := range All() {
		if p.TwoPart() {
			if !slices.ContainsFunc(keyIDCases, func(c keyIDCase) bool { return c.want == p.ID }) {
				t.Errorf("no key ID detection case for %s", p.ID)
			}
			continue
		}
		if !slices.ContainsFunc(detectCases, func(c struct {
			name, key, want string
			all             []string
		}) bool {
			return slices.Contains(c.all, p.ID)
		}) {
			t.Errorf("no detection case for %s", p.ID)
		}
	}
}

func TestCatalogue(t *testing.T) {
	seen := map[string]bool{}
	for _, p := range All() {
		if seen[p.ID] || p.ID == "" || p.Name == "" || p.KeyPage == "" || p.EnvVar == "" || len(p.Shapes) == 0 && !p.TwoPart() {
			t.Errorf("bad or repeated row %+v", p.ID)
		}
		seen[p.ID] = true
		if got, ok := Get(p.ID); !ok || got.ID != p.ID {
			t.Errorf("Get(%q) failed", p.ID)
		}
		if u, err := url.Parse(p.KeyPage); err != nil || u.Scheme != "https" {
			t.Errorf("%s: key page %q is not https", p.ID, p.KeyPage)
		}
		c := p.Check
		if !c.Exists() {
			t.Errorf("%s: no check", p.ID)
			continue
		}
		if u, err := url.Parse(c.Base + c.Path); err != nil || u.Scheme != "https" || u.Host == "" {
			t.Errorf("%s: check URL %q is not https", p.ID, c.Base+c.Path)
		}
		if c.Method != "GET" && c.Method != "POST" {
			t.Errorf("%s: method %q", p.ID, c.Method)
		}
		switch c.Auth {
		case AuthHeader:
			if c.Header == "" || !strings.Contains(c.Value, KeyPlaceholder) || strings.Contains(c.Base+c.Path, KeyPlaceholder) {
				t.Errorf("%s: the key must go in a header, never the URL", p.ID)
			}
		case AuthBasic, AuthSigV4:
			if !p.TwoPart() || c.Value != "" || c.Auth == AuthSigV4 && (c.Service == "" || c.Region == "") {
				t.Errorf("%s: %s needs a key ID shape, no header template, and a service and region for SigV4", p.ID, c.Auth)
			}
		default:
			t.Errorf("%s: unknown auth %q", p.ID, c.Auth)
		}
		if p.TwoPart() != (c.Auth != AuthHeader) {
			t.Errorf("%s: a key ID without a check that uses it, or the reverse", p.ID)
		}
		for _, s := range [][]int{c.Invalid, c.NoPermission, c.NoCredit} {
			if slices.Contains(s, 429) || slices.ContainsFunc(s, func(st int) bool { return st >= 500 }) {
				t.Errorf("%s: 429 or 5xx given a meaning other than could-not-check", p.ID)
			}
		}
	}
	if Name("openai") != "OpenAI" || Name("mystery") != "mystery" || Name(Custom) != CustomName {
		t.Error("Name is wrong")
	}
	if _, ok := Get(Custom); ok {
		t.Error("custom is not a catalogue row")
	}
}

type keyIDCase struct{ name, id, want string }

// keyIDCases are fake key IDs and the provider DetectKeyID must name.
var keyIDCases = []keyIDCase{
	{"twilio api key sid", "SK" + strings.Repeat("0a1b2c3d", 4), "twilio"},
	{"twilio account sid", "AC" + strings.Repeat("0A1B2C3D", 4), "twilio"},
	{"twilio sid too short", "SK" + strings.Repeat("0a1b2c3d", 3), ""},
	{"twilio sid not hex", "AC" + strings.Repeat("0a1b2c3z", 4), ""},
	{"aws long-term", "AKIA" + "ABCDEFGH23456789", "aws"},
	{"aws temporary", "ASIA" + "ABCDEFGH23456789", "aws"},
	{"aws ABIA", "ABIA" + "ABCDEFGH23456789", "aws"},
	{"aws ACCA", "ACCA" + "ABCDEFGH23456789", "aws"},
	{"aws lowercase", "AKIA" + "abcdefgh23456789", ""},
	{"aws too long", "AKIA" + "ABCDEFGH234567890", ""},
	{"aws other prefix", "AIDA" + "ABCDEFGH23456789", ""},
	{"padded", " AKIA" + "ABCDEFGH23456789", ""},
	{"empty", "", ""},
}

func TestDetectKeyID(t *testing.T) {
	for _, c := range keyIDCases {
		got, ok := DetectKeyID(c.id)
		if got != c.want || ok != (c.want != "") {
			t.Errorf("%s: DetectKeyID = %q, %v; want %q", c.name, got, ok, c.want)
		}
	}
	// A two-part provider's secret names no provider by itself.
	for _, secret := range []string{strings.Repeat("0a1b2c3d", 4), strings.Repeat("wJalrXUt", 5)} {
		if p, ok := Detect(secret); ok && (p == "twilio" || p == "aws") {
			t.Errorf("a bare secret was detected as %s", p)
		}
	}
}

func TestKnownPrefix(t *testing.T) {
	for key, want := range map[string]string{
		"sk-proj-abc":     "sk-proj-",
		"sk-ant-api03-x":  "sk-ant-api03-",
		"sk-0123":         "sk-",
		"ghp_x":           "ghp_",
		"nothing":         "",
		"sk-or-v1-abcdef": "sk-or-v1-",
	} {
		if got := KnownPrefix(key); got != want {
			t.Errorf("KnownPrefix(%q) = %q, want %q", key, got, want)
		}
	}
}

func TestShapeMatchWithoutCompiled(t *testing.T) {
	s := Shape{Pattern: `ab+`}
	if !s.Match("abbb") || s.Match("xabb") || s.Match("abx") {
		t.Error("a hand-made shape does not match whole keys")
	}
}

// identifyCases: near misses of a provider's shape that start with its
// documented prefix are still that provider's, flagged unusual; what
// Detect names is named the same, not unusual; the rest stay unknown.
var identifyCases = []struct {
	name, key, want string
	unusual         bool
}{
	{"openai project", "sk-proj-" + fake(urlSafe, 74) + "T3BlbkFJ" + fake(urlSafe, 74), "openai", false},
	{"near: openai project without marker", "sk-proj-" + fake(urlSafe, 100), "openai", true},
	{"near: openai project cut short", "sk-proj-" + fake(urlSafe, 20), "openai", true},
	{"near: openai service account short", "sk-svcacct-" + fake(urlSafe, 12), "openai", true},
	{"near: anthropic short", "sk-ant-api03-abc", "anthropic", true},
	{"near: anthropic too long", "sk-ant-api03-" + fake(urlSafe, 250), "anthropic", true},
	{"near: anthropic unknown kind", "sk-ant-xyz99-" + fake(urlSafe, 95), "anthropic", true},
	{"near: github 35", "ghp_" + fake(lettersDigits, 35), "github", true},
	{"near: github 37", "ghp_" + fake(lettersDigits, 37), "github", true},
	{"near: github fine-grained 81", "github_pat_" + fake(lettersDigits, 81), "github", true},
	{"near: stripe 23", "sk_live_" + fake(lettersDigits, 23), "stripe", true},
	{"near: huggingface digits", "hf_" + fake(lettersDigits, 34), "huggingface", true},
	{"near: huggingface 33", "hf_" + fake(letters, 33), "huggingface", true},
	{"near: gemini 32", "AIzaSy" + fake(urlSafe, 32), "gemini", true},
	{"near: gemini 34", "AIzaSy" + fake(urlSafe, 33) + "-", "gemini", true},
	{"near: google key other kind", "AIzaXy" + fake(urlSafe, 33), "gemini", true},
	{"gemini-like 40 alnum", "AIzaSy" + fake(lettersDigits, 34), "gemini", true},
	{"near: openrouter 63", "sk-or-v1-" + fake(hexLower, 63), "openrouter", true},
	{"near: groq 51", "gsk_" + fake(lettersDigits, 51), "groq", true},
	{"near: xai 79", "xai-" + fake(lettersDigits, 79), "xai", true},
	{"near: gitlab short", "glpat-" + fake(urlSafe, 10), "gitlab", true},
	{"near: sendgrid 21", "SG." + fake(urlSafe, 21) + "." + fake(urlSafe, 43), "sendgrid", true},
	{"near: replicate 36", "r8_" + fake(lettersDigits, 36), "replicate", true},
	{"near: slack no digits", "xoxb-" + fake(lettersDigits, 24), "slack", true},
	{"github classic", "ghp_" + fake(lettersDigits, 36), "github", false},
	// No provider's prefix, or not a key.
	{"mistral (generic)", fake(lettersDigits, 32), "", false},
	{"deepseek (generic)", "sk-" + fake(lowerDigits, 32), "", false},
	{"near: deepseek 33", "sk-" + fake(lowerDigits, 33), "", false},
	{"near: openai legacy 19+20", "sk-" + fake(lettersDigits, 19) + "T3BlbkFJ" + fake(lettersDigits, 20), "", false},
	{"near: groq upper prefix", "GSK_" + fake(lettersDigits, 52), "", false},
	{"near: gemini lowercase", "aizasy" + fake(urlSafe, 33), "", false},
	{"near: stripe publishable", "pk_live_" + fake(lettersDigits, 24), "", false},
	{"near: prefix with trailing space", "ghp_" + fake(lettersDigits, 36) + " ", "", false},
	{"near: prefix with leading text", "x ghp_" + fake(lettersDigits, 36), "", false},
	{"near: line break inside", "ghp_" + fake(lettersDigits, 18) + "\n" + fake(lettersDigits, 18), "", false},
	{"near: space inside", "sk-proj-" + fake(urlSafe, 18) + " " + fake(urlSafe, 18), "", false},
	{"prefix alone", "ghp_", "", false},
	{"empty", "", "", false},
}

func TestIdentify(t *testing.T) {
	for _, c := range identifyCases {
		id, unusual, ok := Identify(c.key)
		if id != c.want || unusual != c.unusual || ok != (c.want != "") {
			t.Errorf("%s: Identify = %q, unusual %v, %v; want %q, unusual %v", c.name, id, unusual, ok, c.want, c.unusual)
		}
		if ok && Unusual(id, c.key) != unusual {
			t.Errorf("%s: Unusual(%q) disagrees with Identify", c.name, id)
		}
	}
	// Identify names at least what Detect names, never unusual.
	for _, c := range detectCases {
		if want, ok := Detect(c.key); ok {
			if id, unusual, _ := Identify(c.key); id != want || unusual {
				t.Errorf("%s: Identify = %q (unusual %v), Detect %q", c.name, id, unusual, want)
			}
		}
	}
	// A provider chosen by hand: Unusual says whether the key fits it.
	for _, c := range []struct {
		id, key string
		want    bool
	}{
		{"mistral", fake(lettersDigits, 32), false},
		{"mistral", fake(lettersDigits, 31), true},
		{"openai", "sk-" + fake(lowerDigits, 32), true},
		{"github", "ghp_" + fake(lettersDigits, 36), false},
		{"twilio", fake(hexLower, 32), false}, // a two-part secret has no shape
		{Custom, "anything", false},
		{"mystery", "anything", false},
	} {
		if got := Unusual(c.id, c.key); got != c.want {
			t.Errorf("Unusual(%q, a key of %d characters) = %v, want %v", c.id, len(c.key), got, c.want)
		}
	}
}
