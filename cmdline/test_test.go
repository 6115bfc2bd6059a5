package cmdline

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"keyshelf/vault/check"
)

// fakeProviders answers like GitHub (valid, with scopes), like an
// OpenAI-compatible gateway (invalid key) and like a failing Mistral (503).
func fakeProviders(t *testing.T) (*httptest.Server, *atomic.Int32) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		switch r.URL.Path {
		case "/user":
			w.Header().Set("X-OAuth-Scopes", "repo")
			w.Header().Set("github-authentication-token-expiration", "2027-01-31 12:00:00 UTC")
			fmt.Fprint(w, `{"login":"octocat"}`)
		case "/gw/v1/models":
			w.WriteHeader(401)
			fmt.Fprint(w, `{"error":{"code":"invalid_api_key"}}`)
		default:
			w.WriteHeader(503)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func TestTestCommand(t *testing.T) {
	srv, requests := fakeProviders(t)
	f := newFixture(t)
	f.checker = &check.Checker{Client: &http.Client{Timeout: 5 * time.Second},
		Bases: map[string]string{"github": srv.URL, "mistral": srv.URL}}
	f.mustOK(f.with("", "init"))
	f.mustOK(f.with(ghKey, "add", "GitHub CI"))
	const gwKey = "sk-gateway-key-0123456789"
	const misKey = "0123456789abcdefABCDEF0123456789"
	f.mustOK(f.with(gwKey, "add", "--provider", "openai", "--base-url", srv.URL+"/gw/v1", "Gateway"))
	f.mustOK(f.with(misKey, "add", "--provider", "mistral", "Mistral"))

	code, _, errs := f.with("x", "add", "--base-url", "http://example.com/v1", "Insecure")
	f.mustFail(1, code, errs, "plain http")

	out := f.mustOK(f.with("", "test", "github ci"))
	if out != "GitHub CI: valid (account octocat; scopes repo; expires 2027-01-31)\n" {
		t.Fatalf("test one: %q", out)
	}
	code, out, errs = f.with("", "test", "Gateway")
	if code != 1 || out != "Gateway: invalid (invalid_api_key (HTTP 401))\n" || !strings.Contains(errs, "tested 1 key: 1 invalid") {
		t.Fatalf("test invalid: %d %q %q", code, out, errs)
	}
	code, out, _ = f.with("", "test", "--all")
	want := "Gateway: invalid (invalid_api_key (HTTP 401))\n" +
		"GitHub CI: valid (account octocat; scopes repo; expires 2027-01-31)\n" +
		"Mistral: could not check (HTTP 503 (server error))\n"
	if code != 1 || out != want {
		t.Fatalf("test --all: %d\n%s", code, out)
	}
	words := map[string]bool{}
	for _, o := range check.Outcomes {
		words[o.Words()] = true
	}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		_, rest, _ := strings.Cut(line, ": ")
		outcome, _, _ := strings.Cut(rest, " (")
		if !words[outcome] {
			t.Errorf("line %q: outcome %q is not one of the six", line, outcome)
		}
	}

	code, out, _ = f.with("", "test", "--json", "--all")
	var items []map[string]any
	if err := json.Unmarshal([]byte(out), &items); code != 1 || err != nil || len(items) != 3 {
		t.Fatalf("test --json: %d %v\n%s", code, err, out)
	}
	if items[1]["outcome"] != "valid" || items[1]["account"] != "octocat" || items[1]["expires"] != "2027-01-31T12:00:00Z" || items[2]["outcome"] != "unknown" {
		t.Fatalf("test --json items: %v", items)
	}

	// The results are kept with the entries.
	out = f.mustOK(f.with("", "list", "--json"))
	if err := json.Unmarshal([]byte(out), &items); err != nil {
		t.Fatal(err)
	}
	lc, _ := items[0]["last_check"].(map[string]any)
	if items[0]["base_url"] != srv.URL+"/gw/v1" || lc["outcome"] != "invalid" || lc["checked"] == nil {
		t.Fatalf("list --json after test: %v", items[0])
	}

	// Usage mistakes.
	before := requests.Load()
	code, _, errs = f.with("", "test")
	f.mustFail(2, code, errs, "missing NAME")
	code, _, errs = f.with("", "test", "--all", "GitHub CI")
	f.mustFail(2, code, errs, "not both")
	code, _, errs = f.with("", "test", "--concurrency", "0", "--all")
	f.mustFail(2, code, errs, "concurrency")
	code, _, errs = f.with("", "test", "nope")
	f.mustFail(1, code, errs, `no key named "nope"`)
	if requests.Load() != before {
		t.Fatal("a usage mistake still sent requests")
	}

	// Every key valid: exit 0.
	f.mustOK(f.with("", "rm", "Gateway"))
	f.mustOK(f.with("", "rm", "Mistral"))
	f.mustOK(f.with("", "test", "--all"))

	all := f.seen.String()
	for _, k := range []string{ghKey, gwKey, misKey, pass} {
		if strings.Contains(all, k) {
			t.Fatal("a key or the passphrase leaked into output")
		}
	}
}

// TestTestSummaryWords: a key that could not be checked is counted as
// that, not as "not valid", and the command line says "could not check"
// (the window's words) while JSON keeps the machine value "unknown".
func TestTestSummaryWords(t *testing.T) {
	srv, _ := fakeProviders(t)
	f := newFixture(t)
	f.checker = &check.Checker{Client: &http.Client{Timeout: 5 * time.Second},
		Bases: map[string]string{"github": srv.URL, "mistral": srv.URL}}
	f.mustOK(f.with("", "init"))
	const misKey = "0123456789abcdefABCDEF0123456789"
	f.mustOK(f.with(misKey, "add", "--provider", "mistral", "Mistral"))

	code, out, errs := f.with("", "test", "Mistral")
	f.mustFail(1, code, errs, "tested 1 key: 1 could not check")
	if out != "Mistral: could not check (HTTP 503 (server error))\n" {
		t.Fatalf("test one: %q", out)
	}
	if strings.Contains(out+errs, "unknown") || strings.Contains(errs, "not valid") {
		t.Fatalf("misleading words: %q %q", out, errs)
	}

	f.mustOK(f.with(ghKey, "add", "GitHub CI"))
	f.mustOK(f.with("sk-gateway-key-0123456789", "add", "--provider", "openai", "--base-url", srv.URL+"/gw/v1", "Gateway"))
	code, out, errs = f.with("", "test", "--all")
	f.mustFail(1, code, errs, "tested 3 keys: 1 valid, 1 could not check, 1 invalid")
	want := "Gateway: invalid (invalid_api_key (HTTP 401))\n" +
		"GitHub CI: valid (account octocat; scopes repo; expires 2027-01-31)\n" +
		"Mistral: could not check (HTTP 503 (server error))\n"
	if out != want {
		t.Fatalf("test --all:\n%s", out)
	}
	code, out, _ = f.with("", "test", "--json", "Mistral")
	if code != 1 || !strings.Contains(out, `"outcome": "unknown"`) {
		t.Fatalf("test --json: %d %s", code, out)
	}
	// The help says when the exit status is 0.
	out = f.mustOK(f.run("", "help", "test"))
	if !strings.Contains(out, "Exit status: 0 when every key tested is valid") {
		t.Fatalf("help test:\n%s", out)
	}
}

// TestTestInterrupted: keys never checked are counted apart, not as "not
// valid".
func TestTestInterrupted(t *testing.T) {
	f := newFixture(t)
	f.mustOK(f.with("", "init"))
	f.mustOK(f.with(ghKey, "add", "a"))
	f.mustOK(f.with(oaiKey, "add", "b"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	f.ctx = ctx
	code, out, errs := f.with("", "test", "--all")
	f.mustFail(1, code, errs, "interrupted; tested 0 keys of 2 (2 not checked)")
	if out != "a: could not check (cancelled)\nb: could not check (cancelled)\n" {
		t.Fatalf("test --all interrupted: %q", out)
	}
}
