// Package provider is the catalogue of API key providers Keyshelf knows: how
// their keys look, the environment variable they are usually kept in, and the
// page where a user manages them. It is plain data, so adding a provider means
// adding a row.
package provider

import (
	"slices"
	"strings"
)

// Provider describes one API provider.
type Provider struct {
	ID       string   // stable identifier stored in entries, e.g. "openai"
	Name     string   // display name, e.g. "OpenAI"
	Prefixes []string // key prefixes that name this provider unambiguously
	EnvVar   string   // the usual environment variable for the key
	KeyPage  string   // where the user manages or regenerates keys
}

// Custom is the ID of entries whose provider Keyshelf does not know.
const Custom = "custom"

var catalogue = []Provider{
	{ID: "openai", Name: "OpenAI", Prefixes: []string{"sk-proj-", "sk-svcacct-", "sk-admin-"}, EnvVar: "OPENAI_API_KEY", KeyPage: "https://platform.openai.com/api-keys"},
	{ID: "anthropic", Name: "Anthropic", Prefixes: []string{"sk-ant-api03-", "sk-ant-admin01-", "sk-ant-"}, EnvVar: "ANTHROPIC_API_KEY", KeyPage: "https://console.anthropic.com/settings/keys"},
	{ID: "gemini", Name: "Google Gemini", Prefixes: []string{"AIzaSy"}, EnvVar: "GEMINI_API_KEY", KeyPage: "https://aistudio.google.com/app/apikey"},
	{ID: "mistral", Name: "Mistral", EnvVar: "MISTRAL_API_KEY", KeyPage: "https://console.mistral.ai/api-keys"},
	{ID: "groq", Name: "Groq", Prefixes: []string{"gsk_"}, EnvVar: "GROQ_API_KEY", KeyPage: "https://console.groq.com/keys"},
	{ID: "cohere", Name: "Cohere", EnvVar: "CO_API_KEY", KeyPage: "https://dashboard.cohere.com/api-keys"},
	{ID: "huggingface", Name: "Hugging Face", Prefixes: []string{"hf_", "api_org_"}, EnvVar: "HF_TOKEN", KeyPage: "https://huggingface.co/settings/tokens"},
	{ID: "openrouter", Name: "OpenRouter", Prefixes: []string{"sk-or-v1-"}, EnvVar: "OPENROUTER_API_KEY", KeyPage: "https://openrouter.ai/settings/keys"},
	{ID: "xai", Name: "xAI", Prefixes: []string{"xai-"}, EnvVar: "XAI_API_KEY", KeyPage: "https://console.x.ai"},
	{ID: "deepseek", Name: "DeepSeek", EnvVar: "DEEPSEEK_API_KEY", KeyPage: "https://platform.deepseek.com/api_keys"},
	{ID: "perplexity", Name: "Perplexity", Prefixes: []string{"pplx-"}, EnvVar: "PERPLEXITY_API_KEY", KeyPage: "https://www.perplexity.ai/settings/api"},
	{ID: "github", Name: "GitHub", Prefixes: []string{"github_pat_", "ghp_", "gho_", "ghu_", "ghs_", "ghr_"}, EnvVar: "GITHUB_TOKEN", KeyPage: "https://github.com/settings/tokens"},
	{ID: "gitlab", Name: "GitLab", Prefixes: []string{"glpat-"}, EnvVar: "GITLAB_TOKEN", KeyPage: "https://gitlab.com/-/user_settings/personal_access_tokens"},
	{ID: "stripe", Name: "Stripe", Prefixes: []string{"sk_live_", "sk_test_", "rk_live_", "rk_test_"}, EnvVar: "STRIPE_API_KEY", KeyPage: "https://dashboard.stripe.com/apikeys"},
	{ID: "slack", Name: "Slack", Prefixes: []string{"xoxb-", "xoxp-", "xoxa-", "xoxr-"}, EnvVar: "SLACK_TOKEN", KeyPage: "https://api.slack.com/apps"},
	{ID: "sendgrid", Name: "SendGrid", Prefixes: []string{"SG."}, EnvVar: "SENDGRID_API_KEY", KeyPage: "https://app.sendgrid.com/settings/api_keys"},
	{ID: "replicate", Name: "Replicate", Prefixes: []string{"r8_"}, EnvVar: "REPLICATE_API_TOKEN", KeyPage: "https://replicate.com/account/api-tokens"},
	// Legacy OpenAI keys are plain "sk-"; it is the catch-all and must stay last
	// among the prefixes tried (Detect prefers the longest match anyway).
	{ID: "openai-legacy", Name: "OpenAI", Prefixes: []string{"sk-"}, EnvVar: "OPENAI_API_KEY", KeyPage: "https://platform.openai.com/api-keys"},
}

// All returns the catalogue in display order, without the internal alias rows.
func All() []Provider {
	out := make([]Provider, 0, len(catalogue))
	for _, p := range catalogue {
		if p.ID != "openai-legacy" {
			out = append(out, p)
		}
	}
	return out
}

// Get returns the provider with the given ID.
func Get(id string) (Provider, bool) {
	i := slices.IndexFunc(catalogue, func(p Provider) bool { return p.ID == id && id != "openai-legacy" })
	if i < 0 {
		return Provider{}, false
	}
	return catalogue[i], true
}

// CustomName is how the Custom provider is shown to users.
const CustomName = "Custom"

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

// longestPrefix finds the longest catalogue prefix that secret starts with.
func longestPrefix(secret string) (prefix string, p Provider) {
	for _, c := range catalogue {
		for _, pre := range c.Prefixes {
			if len(pre) > len(prefix) && strings.HasPrefix(secret, pre) {
				prefix, p = pre, c
			}
		}
	}
	return prefix, p
}

// Detect names the provider a key belongs to from its shape alone. It reports
// false for shapes that are ambiguous or unknown; the user then picks.
func Detect(secret string) (id string, ok bool) {
	pre, p := longestPrefix(secret)
	if pre == "" {
		return "", false
	}
	if p.ID == "openai-legacy" {
		// A bare "sk-" is shared with DeepSeek and others; only the OpenAI
		// marker makes it certain.
		if strings.Contains(secret, "T3BlbkFJ") {
			return "openai", true
		}
		return "", false
	}
	return p.ID, true
}

// KnownPrefix returns the provider prefix a key starts with, or "".
func KnownPrefix(secret string) string {
	pre, _ := longestPrefix(secret)
	return pre
}
