package check

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"keyshelf/vault/provider"
)

// echoKey is a fake key of OpenAI's project shape.
const echoKey = "sk-proj-Fa1KeAbCdEfGhIjKlMnOpQrT3BlbkFJsTuVwXyZ0123456789abcdefXYZ1234"

// sharesRun reports whether text holds n or more consecutive characters of
// key, in any letter case.
func sharesRun(text, key string, n int) bool {
	text, key = strings.ToLower(text), strings.ToLower(key)
	for i := 0; i+n <= len(key); i++ {
		if strings.Contains(text, key[i:i+n]) {
			return true
		}
	}
	return false
}

// resultText is every text of a result, as stored and printed.
func resultText(r Result) string {
	return r.Detail + "\n" + r.Account + "\n" + r.Scopes + "\n" + r.Credit + "\n" + r.Summary()
}

// A provider or gateway that echoes part of the key (cut short, its middle
// elided, in another case) gets none of it into the result: error fields
// keep only short codes, and any 8 characters of the key in a row are taken
// out of every text kept.
func TestPartialEchoNeverInResult(t *testing.T) {
	k := echoKey
	elided := k[:11] + "..." + k[len(k)-7:] // sk-proj-Fa1...XYZ1234
	partials := []string{elided, k[:20] + "***", k[8:30], strings.ToLower(k[5:25]), k[:len(k)-1], k[len(k)-12:],
		"key " + k[3:13] + " and " + k[40:52]}
	var bodies []string
	for _, p := range partials {
		bodies = append(bodies,
			`{"error":{"message":"Incorrect API key provided: `+p+`","code":"invalid_api_key"}}`,
			`{"error":{"message":"Incorrect API key provided: `+p+`"}}`,
			`{"error":"Incorrect API key provided: `+p+`"}`, `{"error":{"code":"`+p+`"}}`, `{"error":{"type":"`+p+`"}}`,
			`{"code":"`+p+`"}`, `{"error":"invalid_token: `+p+`"}`, `{"ok":false,"error":"`+p+`"}`,
			`{"ok":true,"team":"`+p+`","user":"`+p+`"}`, `{"login":"`+p+`"}`, `{"username":"`+p+`"}`,
			`{"name":"`+p+`","auth":{"accessToken":{"role":"`+p+`"}}}`, `{"name":"`+p+`","acls":["`+p+`"]}`,
			`{"valid":true,"organization_id":"`+p+`"}`, `{"is_available":true,"balance_infos":[{"currency":"`+p+`","total_balance":"`+p+`"}]}`,
			`{"scopes":["`+p+`"]}`, stsError(p), strings.ReplaceAll(stsIdentity, "123456789012", p))
	}
	// One server, its answer changed between the (sequential) checks.
	var mu sync.Mutex
	var rp reply
	set := func(r reply) { mu.Lock(); rp = r; mu.Unlock() }
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		rp := rp
		mu.Unlock()
		for k, v := range rp.header {
			w.Header().Set(k, v)
		}
		w.WriteHeader(rp.status)
		io.WriteString(w, rp.body)
	}))
	defer srv.Close()
	for _, p := range provider.All() {
		c := testChecker(p.ID, srv.URL)
		for _, st := range []int{200, 400, 401, 403, 404, 429} {
			for bi, b := range bodies {
				part := partials[bi/18]
				set(reply{status: st, body: b, header: map[string]string{"X-OAuth-Scopes": part, "github-authentication-token-expiration": part}})
				r := c.Check(context.Background(), Target{Provider: p.ID, Secret: k, KeyID: testKeyID})
				if sharesRun(resultText(r), k, 8) {
					t.Fatalf("%s HTTP %d body %d: part of the key is in the result", p.ID, st, bi)
				}
			}
		}
	}
	// The code stays when the message echoes the key.
	set(status(401, `{"error":{"message":"Incorrect API key provided: `+elided+`","type":"invalid_request_error","code":"invalid_api_key"}}`))
	if r := testChecker("openai", srv.URL).Check(context.Background(), Target{Provider: "openai", Secret: k}); r.Outcome != Invalid || r.Detail != "invalid_api_key (HTTP 401)" {
		t.Errorf("openai 401 with an echo: %q, detail %q", r.Outcome, r.Detail)
	}
	// A message is not a code: the detail is the status alone.
	set(status(401, `{"error":"Incorrect API key provided: `+elided+`"}`))
	if r := testChecker("huggingface", srv.URL).Check(context.Background(), Target{Provider: "huggingface", Secret: k}); r.Outcome != Invalid || r.Detail != "HTTP 401" {
		t.Errorf("huggingface 401 with an echo: %q, detail %q", r.Outcome, r.Detail)
	}
}

// Scrubbed is the same cleaning for a result made elsewhere (the vault
// applies it to what it stores and loads).
func TestScrubbed(t *testing.T) {
	k := echoKey
	r := Result{Outcome: Invalid, Detail: "bad key " + k[:12] + "…" + k[len(k)-9:], Account: "me\x00" + k[10:30],
		Scopes: k, Credit: strings.ToUpper(k[20:40])}
	got := r.Scrubbed(k)
	if sharesRun(resultText(got), k, 8) || got.Outcome != Invalid {
		t.Fatalf("scrubbed result holds part of the key or lost its outcome")
	}
	if got.Detail != "bad key [key]…[key]" || got.Account != "me[key]" || got.Scopes != "[key]" {
		t.Errorf("scrubbed texts %q %q %q", got.Detail, got.Account, got.Scopes)
	}
	// Text that shares less than 8 characters with the key stays as it is.
	r = Result{Outcome: Valid, Account: "octocat", Scopes: "repo, gist", Detail: "invalid_api_key"}
	if got := r.Scrubbed(k); got != r {
		t.Errorf("clean texts changed: %+v", got)
	}
}
