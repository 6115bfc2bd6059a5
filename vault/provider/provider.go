// Package provider is the catalogue of API key providers Keyshelf knows: how
// their keys look, how to check a key with one free, read-only request and
// what the answer means, the environment variable they are usually kept in,
// and the page where a user manages them. It is plain data, so adding a
// provider means adding a row.
package provider

import (
	"regexp"
	"slices"
	"strings"
)

// Provider describes one API provider.
type Provider struct {
	ID       string   // stable identifier stored in entries, e.g. "openai"
	Name     string   // display name, e.g. "OpenAI"
	Prefixes []string // key prefixes that may be shown unmasked, e.g. "sk-proj-"
	Shapes   []Shape  // what whole keys look like, for detection
	// KeyIDs are the shapes of the public half of a two-part credential
	// (a Twilio SID, an AWS access key id); non-empty means a key of this
	// provider is checked only with its key ID. See DetectKeyID.
	KeyIDs  []Shape
	EnvVar  string // the usual environment variable for the key
	KeyPage string // where the user manages or regenerates keys
	Check   Check  // how to test a key; a zero Check means there is none
}

// Shape is one form a provider's keys take.
type Shape struct {
	// Pattern is an RE2 expression that must match the whole key.
	Pattern string
	// Weak marks a generic shape (say, 32 letters and digits) that other
	// services use too: a key of this shape names the provider only as a
	// candidate, never for certain.
	Weak bool

	re *regexp.Regexp
}

// Match reports whether the whole of secret has this shape.
func (s Shape) Match(secret string) bool {
	re := s.re
	if re == nil {
		re = regexp.MustCompile(`^(?:` + s.Pattern + `)$`)
	}
	return re.MatchString(secret)
}

func strong(pattern string) Shape {
	return Shape{Pattern: pattern, re: regexp.MustCompile(`^(?:` + pattern + `)$`)}
}

func weak(pattern string) Shape {
	s := strong(pattern)
	s.Weak = true
	return s
}

// Header is one HTTP header with a fixed value.
type Header struct{ Name, Value string }

// KeyPlaceholder stands for the key in Check.Value.
const KeyPlaceholder = "{key}"

// Check is how to test a key: one free, read-only request, and the HTTP
// statuses that answer it. Package check performs it.
type Check struct {
	Method string // "GET" or "POST"
	// Base is the default base URL (scheme, host and any path prefix, as
	// the provider's own libraries call it). An entry's base URL replaces it.
	Base string
	Path string // appended to the base, e.g. "/models"
	// Header carries the key; Value is its value, with KeyPlaceholder where
	// the key goes (e.g. "Bearer {key}"). The key never goes in the URL.
	Header string
	Value  string
	Extra  []Header // further fixed headers, e.g. anthropic-version
	Body   string   // a request body for POST, or ""
	// BodyType is the Content-Type of Body; "" means application/json.
	BodyType string
	// Auth is how the key is sent: AuthHeader (Header and Value),
	// AuthBasic or AuthSigV4, the last two needing the entry's key ID.
	Auth string
	// Service and Region are what an AuthSigV4 request is signed for.
	Service, Region string

	// The statuses whose meaning the provider documents. Anything else is
	// "could not check". Valid defaults to 200 and RateLimited to 429.
	Valid        []int
	Invalid      []int // the key is wrong, revoked, expired or disabled
	NoPermission []int // a real key that may not make the checked call
	NoCredit     []int // quota or balance exhausted
	RateLimited  []int

	// Answer names the reader that package check applies to the answer's
	// headers and body first (e.g. "slack", whose errors come with HTTP
	// 200); "" means the statuses alone decide.
	Answer string
}

// The ways a check may carry the key (Check.Auth).
const (
	// AuthHeader puts the key in Check.Header as Check.Value (the default).
	AuthHeader = ""
	// AuthBasic sends HTTP Basic authentication with the key ID as the
	// user name and the key as the password.
	AuthBasic = "basic"
	// AuthSigV4 signs the request with AWS Signature Version 4: the key ID
	// is the access key id, the key the secret access key, for
	// Check.Service in Check.Region.
	AuthSigV4 = "sigv4"
)

// Exists reports whether there is a check.
func (c Check) Exists() bool { return c.Base != "" || c.Path != "" }

func bearer(base, path string) Check {
	return Check{Method: "GET", Base: base, Path: path, Header: "Authorization", Value: "Bearer " + KeyPlaceholder, Invalid: []int{401}}
}

func (c Check) with(f func(*Check)) Check { f(&c); return c }

// Custom is the ID of entries whose provider Keyshelf does not know.
const Custom = "custom"

// CustomName is how the Custom provider is shown to users.
const CustomName = "Custom"

const alnum = `[A-Za-z0-9]`

var catalogue = []Provider{
	{ID: "openai", Name: "OpenAI", Prefixes: []string{"sk-proj-", "sk-svcacct-", "sk-admin-"},
		Shapes: []Shape{
			// Project, service-account and admin keys carry the marker
			// T3BlbkFJ ("OpenAI" in base64); legacy keys are sk- + 20 + marker + 20.
			strong(`sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]*T3BlbkFJ[A-Za-z0-9_-]*`),
			strong(`sk-` + alnum + `{20}T3BlbkFJ` + alnum + `{20}`),
		},
		EnvVar: "OPENAI_API_KEY", KeyPage: "https://platform.openai.com/api-keys",
		Check: bearer("https://api.openai.com/v1", "/models").with(func(c *Check) {
			c.NoPermission = []int{403} // a restricted key without models.read
			c.Answer = "openai"         // 429 insufficient_quota is no credit
		})},
	{ID: "anthropic", Name: "Anthropic", Prefixes: []string{"sk-ant-api03-", "sk-ant-admin01-", "sk-ant-"},
		Shapes:  []Shape{strong(`sk-ant-(?:api03|admin01)-[A-Za-z0-9_-]{20,200}`)},
		EnvVar:  "ANTHROPIC_API_KEY",
		KeyPage: "https://console.anthropic.com/settings/keys",
		Check: Check{Method: "GET", Base: "https://api.anthropic.com", Path: "/v1/models", Header: "x-api-key", Value: KeyPlaceholder,
			Extra:   []Header{{"anthropic-version", "2023-06-01"}},
			Invalid: []int{401, 404}, NoPermission: []int{403}, Answer: "anthropic"}},
	{ID: "gemini", Name: "Google Gemini", Prefixes: []string{"AIzaSy", "AIza"},
		// Every Google API key has this shape, Gemini's among them.
		Shapes:  []Shape{strong(`AIzaSy[A-Za-z0-9_-]{33}`)},
		EnvVar:  "GEMINI_API_KEY",
		KeyPage: "https://aistudio.google.com/app/apikey",
		// A 400 is a bad key only when Google says API_KEY_INVALID; a good
		// key gets 400 FAILED_PRECONDITION where Gemini is not offered.
		Check: Check{Method: "GET", Base: "https://generativelanguage.googleapis.com", Path: "/v1/models", Header: "x-goog-api-key", Value: KeyPlaceholder,
			NoPermission: []int{403}, Answer: "gemini"}},
	{ID: "mistral", Name: "Mistral",
		Shapes: []Shape{weak(alnum + `{32}`)}, EnvVar: "MISTRAL_API_KEY", KeyPage: "https://console.mistral.ai/api-keys",
		Check: bearer("https://api.mistral.ai/v1", "/models")},
	{ID: "groq", Name: "Groq", Prefixes: []string{"gsk_"},
		Shapes: []Shape{strong(`gsk_` + alnum + `{52}`)}, EnvVar: "GROQ_API_KEY", KeyPage: "https://console.groq.com/keys",
		Check: bearer("https://api.groq.com/openai/v1", "/models")},
	{ID: "cohere", Name: "Cohere",
		Shapes: []Shape{weak(alnum + `{40}`)}, EnvVar: "CO_API_KEY", KeyPage: "https://dashboard.cohere.com/api-keys",
		Check: bearer("https://api.cohere.com", "/v1/check-api-key").with(func(c *Check) {
			c.Method, c.Answer = "POST", "cohere"
		})},
	{ID: "huggingface", Name: "Hugging Face", Prefixes: []string{"hf_", "api_org_"},
		Shapes:  []Shape{strong(`hf_[A-Za-z]{34}`), strong(`api_org_[A-Za-z]{34}`)},
		EnvVar:  "HF_TOKEN",
		KeyPage: "https://huggingface.co/settings/tokens",
		Check:   bearer("https://huggingface.co", "/api/whoami-v2").with(func(c *Check) { c.Answer = "huggingface" })},
	{ID: "openrouter", Name: "OpenRouter", Prefixes: []string{"sk-or-v1-"},
		Shapes: []Shape{strong(`sk-or-v1-[0-9a-f]{64}`)}, EnvVar: "OPENROUTER_API_KEY", KeyPage: "https://openrouter.ai/settings/keys",
		Check: bearer("https://openrouter.ai/api/v1", "/key").with(func(c *Check) {
			c.NoCredit, c.Answer = []int{402}, "openrouter"
		})},
	{ID: "xai", Name: "xAI", Prefixes: []string{"xai-"},
		Shapes: []Shape{strong(`xai-` + alnum + `{80}`)}, EnvVar: "XAI_API_KEY", KeyPage: "https://console.x.ai",
		Check: bearer("https://api.x.ai/v1", "/api-key").with(func(c *Check) {
			c.Invalid, c.Answer = []int{400, 401}, "xai"
		})},
	{ID: "deepseek", Name: "DeepSeek",
		Shapes: []Shape{weak(`sk-[a-z0-9]{32}`)}, EnvVar: "DEEPSEEK_API_KEY", KeyPage: "https://platform.deepseek.com/api_keys",
		Check: bearer("https://api.deepseek.com", "/user/balance").with(func(c *Check) {
			c.NoCredit, c.Answer = []int{402}, "deepseek"
		})},
	{ID: "perplexity", Name: "Perplexity", Prefixes: []string{"pplx-"},
		Shapes: []Shape{strong(`pplx-` + alnum + `{48}`)}, EnvVar: "PERPLEXITY_API_KEY", KeyPage: "https://www.perplexity.ai/settings/api",
		Check: bearer("https://api.perplexity.ai", "/models")},
	{ID: "github", Name: "GitHub", Prefixes: []string{"github_pat_", "ghp_", "gho_", "ghu_", "ghs_", "ghr_"},
		// Refresh tokens (ghr_) are longer than the other kinds: 76
		// characters after the prefix.
		Shapes:  []Shape{strong(`gh[pousr]_` + alnum + `{36}`), strong(`ghr_` + alnum + `{76}`), strong(`github_pat_[A-Za-z0-9_]{82}`)},
		EnvVar:  "GITHUB_TOKEN",
		KeyPage: "https://github.com/settings/tokens",
		Check: Check{Method: "GET", Base: "https://api.github.com", Path: "/user", Header: "Authorization", Value: "token " + KeyPlaceholder,
			Extra:   []Header{{"Accept", "application/vnd.github+json"}, {"X-GitHub-Api-Version", "2022-11-28"}},
			Valid:   []int{200, 201, 202, 203, 204},
			Invalid: []int{401}, Answer: "github"}},
	{ID: "gitlab", Name: "GitLab", Prefixes: []string{"glpat-"},
		Shapes: []Shape{strong(`glpat-[A-Za-z0-9_.-]{20,100}`)}, EnvVar: "GITLAB_TOKEN",
		KeyPage: "https://gitlab.com/-/user_settings/personal_access_tokens",
		Check: bearer("https://gitlab.com", "/api/v4/user").with(func(c *Check) {
			c.NoPermission, c.Answer = []int{403}, "gitlab"
		})},
	{ID: "stripe", Name: "Stripe", Prefixes: []string{"sk_live_", "sk_test_", "rk_live_", "rk_test_"},
		Shapes: []Shape{strong(`[sr]k_(?:live|test)_` + alnum + `{24,247}`)}, EnvVar: "STRIPE_API_KEY", KeyPage: "https://dashboard.stripe.com/apikeys",
		Check: bearer("https://api.stripe.com", "/v1/charges?limit=1").with(func(c *Check) { c.NoPermission = []int{403} })},
	{ID: "slack", Name: "Slack", Prefixes: []string{"xoxb-", "xoxp-", "xoxa-", "xoxr-"},
		Shapes: []Shape{strong(`xox[bpar]-[0-9]{1,16}(?:-[0-9]{1,16}){0,2}-[A-Za-z0-9]{6,64}`)}, EnvVar: "SLACK_TOKEN", KeyPage: "https://api.slack.com/apps",
		Check: bearer("https://slack.com/api", "/auth.test").with(func(c *Check) {
			// Slack answers HTTP 200 with {"ok":false,"error":...}: the reader decides.
			c.Method, c.Invalid, c.Answer = "POST", nil, "slack"
		})},
	{ID: "sendgrid", Name: "SendGrid", Prefixes: []string{"SG."},
		Shapes: []Shape{strong(`SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}`)}, EnvVar: "SENDGRID_API_KEY", KeyPage: "https://app.sendgrid.com/settings/api_keys",
		Check: bearer("https://api.sendgrid.com", "/v3/scopes").with(func(c *Check) {
			c.NoPermission, c.Answer = []int{403}, "sendgrid"
		})},
	{ID: "replicate", Name: "Replicate", Prefixes: []string{"r8_"},
		Shapes: []Shape{strong(`r8_` + alnum + `{37}`)}, EnvVar: "REPLICATE_API_TOKEN", KeyPage: "https://replicate.com/account/api-tokens",
		Check: bearer("https://api.replicate.com", "/v1/predictions").with(func(c *Check) {
			c.Value, c.Valid = "Token "+KeyPlaceholder, []int{200, 201, 202, 203, 204}
		})},
	// Two-part credentials: a public key ID and the secret. Their secrets
	// have no telling shape (32 hex digits, 40 base64 characters), so they
	// are detected by the key ID (DetectKeyID).
	{ID: "twilio", Name: "Twilio",
		KeyIDs: []Shape{
			strong(`SK[0-9a-fA-F]{32}`), // an API key SID, with the API key's secret
			strong(`AC[0-9a-fA-F]{32}`), // an Account SID, with the account's auth token
		},
		EnvVar: "TWILIO_AUTH_TOKEN", KeyPage: "https://console.twilio.com/us1/account/keys-credentials/api-keys",
		Check: Check{Method: "GET", Base: "https://verify.twilio.com", Path: "/v2/Services", Header: "Authorization", Auth: AuthBasic,
			Invalid: []int{401, 403}}},
	{ID: "aws", Name: "AWS",
		KeyIDs: []Shape{strong(`(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}`)},
		EnvVar: "AWS_SECRET_ACCESS_KEY", KeyPage: "https://console.aws.amazon.com/iam/home#/security_credentials",
		// STS GetCallerIdentity needs no permission and names the account.
		Check: Check{Method: "POST", Base: "https://sts.amazonaws.com", Path: "/", Header: "Authorization", Auth: AuthSigV4,
			Body: "Action=GetCallerIdentity&Version=2011-06-15", BodyType: "application/x-www-form-urlencoded; charset=utf-8",
			Service: "sts", Region: "us-east-1", Answer: "aws"}},
}

// TwoPart reports whether the provider's keys come with a key ID.
func (p Provider) TwoPart() bool { return len(p.KeyIDs) > 0 }

// DetectKeyID names the provider of a two-part credential from the shape of
// its key ID (the public half: a Twilio SID, an AWS access key id).
func DetectKeyID(id string) (provider string, ok bool) {
	for _, p := range catalogue {
		for _, s := range p.KeyIDs {
			if s.Match(id) {
				return p.ID, true
			}
		}
	}
	return "", false
}

// genericPrefixes are prefixes shared by several providers: shown unmasked,
// but naming no provider.
var genericPrefixes = []string{"sk-"}

// All returns the catalogue in display order.
func All() []Provider { return slices.Clone(catalogue) }

// Get returns the provider with the given ID.
func Get(id string) (Provider, bool) {
	i := slices.IndexFunc(catalogue, func(p Provider) bool { return p.ID == id })
	if i < 0 {
		return Provider{}, false
	}
	return catalogue[i], true
}

// Name returns the display name for id, or id itself when it is unknown.
func Name(id string) string {
	if p, ok := Get(id); ok {
		return p.Name
	}
	if id == Custom {
		return CustomName
	}
	return id
}

// DetectAll returns the IDs of every provider one of whose shapes the whole
// key matches, the certain (non-weak) matches first, in catalogue order.
func DetectAll(secret string) []string {
	var certain, candidates []string
	for _, p := range catalogue {
		switch strength(p, secret) {
		case matchStrong:
			certain = append(certain, p.ID)
		case matchWeak:
			candidates = append(candidates, p.ID)
		}
	}
	return append(certain, candidates...)
}

const (
	matchNone = iota
	matchWeak
	matchStrong
)

func strength(p Provider, secret string) int {
	best := matchNone
	for _, s := range p.Shapes {
		if s.Match(secret) {
			if !s.Weak {
				return matchStrong
			}
			best = matchWeak
		}
	}
	return best
}

// Detect names the provider a key belongs to from its shape alone. It reports
// false for shapes that are unknown, generic (DeepSeek's, Mistral's, Cohere's)
// or shared; then the user picks, perhaps among DetectAll's candidates.
func Detect(secret string) (id string, ok bool) {
	var found string
	for _, p := range catalogue {
		switch strength(p, secret) {
		case matchStrong:
			if found != "" {
				return "", false
			}
			found = p.ID
		case matchWeak:
			return "", false
		}
	}
	return found, found != ""
}

// Identify names the provider a key belongs to as Detect does, and more: a
// key that starts with a prefix only one provider's keys have (sk-proj-,
// sk-ant-, ghp_, github_pat_, sk_live_, hf_, AIza…) but fits none of that
// provider's shapes (cut short, too long, an unexpected character) is still
// that provider's, with unusual set, so that the user hears "looks unusual
// for OpenAI" rather than "not recognised". A key holding a space or a
// control character is never named by its prefix.
func Identify(secret string) (id string, unusual, ok bool) {
	if id, ok := Detect(secret); ok {
		return id, false, true
	}
	if strings.ContainsFunc(secret, func(r rune) bool { return r <= ' ' || r >= 0x7f }) {
		return "", false, false
	}
	best, owner := "", ""
	for _, p := range catalogue {
		for _, pre := range p.Prefixes {
			if len(pre) > len(best) && len(secret) > len(pre) && strings.HasPrefix(secret, pre) {
				best, owner = pre, p.ID
			}
		}
	}
	if owner == "" {
		return "", false, false
	}
	p, _ := Get(owner)
	return owner, strength(p, secret) != matchStrong, true
}

// Unusual reports whether secret, as a key of the provider id, fits none of
// that provider's shapes. It is false for a provider whose keys have no
// shape (a two-part credential's secret), for Custom and for unknown IDs.
func Unusual(id, secret string) bool {
	p, ok := Get(id)
	return ok && len(p.Shapes) > 0 && strength(p, secret) == matchNone
}

// KnownPrefix returns the longest provider prefix a key starts with, or "".
// It shows what kind of key a masked key is; it does not name the provider.
func KnownPrefix(secret string) string {
	prefix := ""
	consider := func(pre string) {
		if len(pre) > len(prefix) && strings.HasPrefix(secret, pre) {
			prefix = pre
		}
	}
	for _, c := range catalogue {
		for _, pre := range c.Prefixes {
			consider(pre)
		}
	}
	for _, pre := range genericPrefixes {
		consider(pre)
	}
	return prefix
}
