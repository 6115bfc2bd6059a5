package check

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"keyshelf/vault/provider"
)

// testKey is fake; failure messages never print it (they print case names).
const testKey = "FAKE-test-key-9f3Qz7Lm2Xw8Rt5Kp1vB"

// testKeyID is a fake key ID of AWS's shape, sent with every test target (a
// one-part provider ignores it).
const testKeyID = "AKIAFAKETEST01234567"

var testNow = time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)

// reply is how a fake provider answers.
type reply struct {
	status int
	header map[string]string
	body   string
}

// seen is what a fake provider received.
type seen struct {
	mu       sync.Mutex
	method   string
	path     string // with query
	header   http.Header
	requests int
}

func (s *seen) get() (string, string, http.Header, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.method, s.path, s.header, s.requests
}

// fakeProvider is a loopback server answering like a provider does.
func fakeProvider(t *testing.T, rp reply) (*httptest.Server, *seen) {
	t.Helper()
	s := &seen{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.method, s.path, s.header = r.Method, r.URL.RequestURI(), r.Header.Clone()
		s.requests++
		s.mu.Unlock()
		for k, v := range rp.header {
			w.Header().Set(k, v)
		}
		w.WriteHeader(rp.status)
		fmt.Fprint(w, rp.body)
	}))
	t.Cleanup(srv.Close)
	return srv, s
}

func testChecker(id, base string) *Checker {
	return &Checker{Client: &http.Client{Timeout: 5 * time.Second}, Now: func() time.Time { return testNow.Add(300 * time.Millisecond) },
		Bases: map[string]string{id: base}, UserAgent: "Keyshelf-test"}
}

// hasKey reports whether any text of a result holds the key.
func hasKey(r Result) bool {
	return strings.Contains(r.Detail+r.Account+r.Scopes+r.Credit+r.Summary(), testKey)
}

type providerCase struct {
	reply
	want                            Outcome
	account, scopes, credit, detail string
	expires                         time.Time
}

func ok(body string) reply            { return reply{status: 200, body: body} }
func status(code int, b string) reply { return reply{status: code, body: b} }

// answers are each provider's answers and what they mean, as documented
// (see providers.md).
var answers = map[string][]providerCase{
	"openai": {
		{reply: ok(`{"object":"list","data":[]}`), want: Valid},
		{reply: status(401, `{"error":{"message":"Incorrect API key provided","type":"invalid_request_error","code":"invalid_api_key"}}`), want: Invalid, detail: "invalid_api_key (HTTP 401)"},
		{reply: status(429, `{"error":{"message":"You exceeded your current quota","type":"insufficient_quota","code":"insufficient_quota"}}`), want: NoCredit, detail: "insufficient_quota"},
		{reply: status(429, `{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}`), want: RateLimited},
		{reply: status(403, `{"error":{"message":"Missing scopes: api.model.read","type":"invalid_request_error"}}`), want: NoPermission},
	},
	"anthropic": {
		{reply: ok(`{"data":[],"has_more":false}`), want: Valid},
		{reply: status(401, `{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}`), want: Invalid, detail: "authentication_error (HTTP 401)"},
		{reply: status(404, `{"type":"error","error":{"type":"not_found_error","message":"disabled"}}`), want: Invalid},
		{reply: status(403, `{"type":"error","error":{"type":"permission_error"}}`), want: NoPermission},
		{reply: status(429, `{"type":"error","error":{"type":"rate_limit_error"}}`), want: RateLimited},
	},
	"gemini": {
		{reply: ok(`{"models":[]}`), want: Valid},
		{reply: status(400, `{"error":{"code":400,"message":"API key not valid.","status":"INVALID_ARGUMENT"}}`), want: Invalid},
		{reply: status(400, geminiError("API key not valid. Please pass a valid API key.", "INVALID_ARGUMENT", "API_KEY_INVALID")), want: Invalid, detail: "API_KEY_INVALID (HTTP 400)"},
		{reply: status(400, geminiError("API key expired. Please renew the API key.", "INVALID_ARGUMENT", "API_KEY_INVALID")), want: Invalid, detail: "the key has expired (API_KEY_INVALID, HTTP 400)"},
		// A good key, from a country Gemini does not serve.
		{reply: status(400, `{"error":{"code":400,"message":"User location is not supported for the API use.","status":"FAILED_PRECONDITION"}}`),
			want: Unknown, detail: "could not check: the API is not offered where this computer is (FAILED_PRECONDITION, HTTP 400)"},
		{reply: status(400, geminiError("Request contains an invalid argument.", "INVALID_ARGUMENT", "")), want: Unknown, detail: "could not check: INVALID_ARGUMENT (HTTP 400)"},
		{reply: status(400, geminiError("Something else.", "INVALID_ARGUMENT", "SOMETHING_ELSE")), want: Unknown, detail: "could not check: SOMETHING_ELSE (HTTP 400)"},
		{reply: status(400, `not json`), want: Unknown, detail: "could not check: HTTP 400"},
		{reply: status(403, `{"error":{"code":403,"status":"PERMISSION_DENIED"}}`), want: NoPermission},
		{reply: status(429, `{"error":{"code":429,"status":"RESOURCE_EXHAUSTED"}}`), want: RateLimited},
	},
	"mistral":    {{reply: ok(`{"data":[]}`), want: Valid}, {reply: status(401, `{"message":"Unauthorized"}`), want: Invalid}, {reply: status(429, ``), want: RateLimited}},
	"groq":       {{reply: ok(`{"data":[]}`), want: Valid}, {reply: status(401, `{"error":{"code":"invalid_api_key"}}`), want: Invalid}, {reply: status(429, ``), want: RateLimited}},
	"perplexity": {{reply: ok(`{"data":[]}`), want: Valid}, {reply: status(401, ``), want: Invalid}, {reply: status(429, ``), want: RateLimited}},
	"stripe": {
		{reply: ok(`{"object":"list","data":[]}`), want: Valid},
		{reply: status(401, `{"error":{"type":"invalid_request_error"}}`), want: Invalid},
		{reply: status(403, `{"error":{"type":"invalid_request_error"}}`), want: NoPermission},
		{reply: status(429, ``), want: RateLimited},
	},
	"replicate": {{reply: ok(`{"results":[]}`), want: Valid}, {reply: status(401, `{"detail":"Invalid token."}`), want: Invalid}, {reply: status(429, ``), want: RateLimited}},
	"cohere": {
		{reply: ok(`{"valid":true,"organization_id":"org-1","owner_id":"u-1"}`), want: Valid, account: "org-1"},
		{reply: ok(`{"valid":false}`), want: Invalid},
		{reply: ok(`<html>maintenance</html>`), want: Unknown},
		{reply: status(401, `{"message":"invalid api token"}`), want: Invalid},
		{reply: status(429, ``), want: RateLimited},
	},
	"huggingface": {
		{reply: ok(`{"type":"user","name":"alice","auth":{"type":"access_token","accessToken":{"displayName":"ci","role":"read"}}}`), want: Valid, account: "alice", scopes: "read"},
		{reply: status(401, `{"error":"Invalid credentials in Authorization header"}`), want: Invalid},
		{reply: status(429, ``), want: RateLimited},
	},
	"openrouter": {
		{reply: ok(`{"data":{"label":"sk-or-v1-abc...xyz","limit":10,"usage":4,"limit_remaining":6,"is_free_tier":false}}`), want: Valid, credit: "$6.00 left of $10.00"},
		{reply: ok(`{"data":{"label":"x","limit":null,"usage":4,"limit_remaining":null}}`), want: Valid, credit: "no limit on this key"},
		{reply: ok(`{"data":{"label":"x","limit":10,"usage":10,"limit_remaining":0}}`), want: NoCredit, credit: "$0.00 left"},
		{reply: status(402, `{"error":{"code":402,"message":"Insufficient credits"}}`), want: NoCredit},
		{reply: status(401, `{"error":{"code":401,"message":"No auth credentials found"}}`), want: Invalid},
		{reply: status(429, ``), want: RateLimited},
	},
	"xai": {
		{reply: ok(`{"redacted_api_key":"xai-...abcd","name":"ci key","acls":["api-key:model:*","api-key:endpoint:*"],"team_blocked":false,"api_key_blocked":false,"api_key_disabled":false}`), want: Valid, account: "ci key", scopes: "api-key:model:*, api-key:endpoint:*"},
		{reply: ok(`{"api_key_blocked":true}`), want: Invalid, detail: "the key is blocked"},
		{reply: ok(`{"api_key_disabled":true}`), want: Invalid},
		{reply: ok(`{"team_blocked":true}`), want: NoPermission},
		{reply: status(400, `{"code":"Client specified an invalid argument","error":"Incorrect API key provided"}`), want: Invalid},
		{reply: status(401, ``), want: Invalid},
		{reply: status(429, ``), want: RateLimited},
	},
	"deepseek": {
		{reply: ok(`{"is_available":true,"balance_infos":[{"currency":"USD","total_balance":"4.20","granted_balance":"0.00","topped_up_balance":"4.20"}]}`), want: Valid, credit: "4.20 USD"},
		{reply: ok(`{"is_available":false,"balance_infos":[{"currency":"CNY","total_balance":"0.00"}]}`), want: NoCredit, credit: "0.00 CNY"},
		{reply: status(402, `{"error":{"message":"Insufficient Balance"}}`), want: NoCredit},
		{reply: status(401, `{"error":{"message":"Authentication Fails","type":"authentication_error"}}`), want: Invalid},
		{reply: status(429, ``), want: RateLimited},
	},
	"github": {
		{reply: reply{status: 200, header: map[string]string{"X-OAuth-Scopes": "repo, gist", "github-authentication-token-expiration": "2026-12-01 10:00:00 UTC"}, body: `{"login":"octocat","id":1}`},
			want: Valid, account: "octocat", scopes: "repo, gist", expires: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)},
		{reply: status(401, `{"message":"Bad credentials"}`), want: Invalid},
		{reply: reply{status: 403, header: map[string]string{"X-RateLimit-Remaining": "0"}, body: `{"message":"API rate limit exceeded"}`}, want: RateLimited},
		{reply: status(403, `{"message":"Resource not accessible by integration"}`), want: NoPermission},
		{reply: status(429, `{"message":"You have exceeded a secondary rate limit"}`), want: RateLimited},
	},
	"gitlab": {
		{reply: ok(`{"id":1,"username":"alice","state":"active"}`), want: Valid, account: "alice"},
		{reply: status(401, `{"error":"invalid_token","error_description":"Token was revoked. You have to re-authorize from the user."}`), want: Invalid, detail: "invalid_token (HTTP 401)"},
		{reply: status(403, `{"message":"403 Forbidden"}`), want: NoPermission},
		{reply: status(429, ``), want: RateLimited},
	},
	"slack": {
		{reply: reply{status: 200, header: map[string]string{"X-OAuth-Scopes": "chat:write"}, body: `{"ok":true,"url":"https://acme.slack.com/","team":"Acme","user":"deploybot","team_id":"T1","user_id":"U1"}`}, want: Valid, account: "deploybot @ Acme", scopes: "chat:write"},
		{reply: ok(`{"ok":false,"error":"invalid_auth"}`), want: Invalid, detail: "invalid_auth"},
		{reply: ok(`{"ok":false,"error":"token_revoked"}`), want: Invalid},
		{reply: ok(`{"ok":false,"error":"account_inactive"}`), want: Invalid},
		{reply: ok(`{"ok":false,"error":"missing_scope"}`), want: NoPermission},
		{reply: ok(`{"ok":false,"error":"ratelimited"}`), want: RateLimited},
		{reply: ok(`{"ok":false,"error":"something_new"}`), want: Unknown},
		{reply: reply{status: 429, header: map[string]string{"Retry-After": "30"}}, want: RateLimited},
	},
	"twilio": {
		{reply: ok(`{"services":[],"meta":{"page":0}}`), want: Valid},
		{reply: status(401, `{"code":20003,"message":"Authenticate","status":401}`), want: Invalid, detail: "HTTP 401"},
		{reply: status(403, `{"code":20003,"message":"Authenticate","status":403}`), want: Invalid},
		{reply: status(429, `{"code":20429,"message":"Too Many Requests"}`), want: RateLimited},
		{reply: status(404, ``), want: Unknown},
	},
	"aws": {
		{reply: ok(stsIdentity), want: Valid, account: "123456789012 arn:aws:iam::123456789012:user/alice"},
		{reply: ok(`<GetCallerIdentityResponse></GetCallerIdentityResponse>`), want: Unknown},
		{reply: status(403, stsError("InvalidClientTokenId")), want: Invalid, detail: "InvalidClientTokenId (HTTP 403)"},
		{reply: status(403, stsError("SignatureDoesNotMatch")), want: Invalid},
		{reply: status(403, stsErrorSaying("SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.")), want: Invalid},
		// A clock that is off: the key is not to blame.
		{reply: status(403, stsErrorSaying("SignatureDoesNotMatch", "Signature expired: 20261128T093000Z is now earlier than 20261128T094500Z (20261128T100000Z - 15 min.)")),
			want: Unknown, detail: "could not check: the computer's clock looks wrong (SignatureDoesNotMatch, HTTP 403)"},
		{reply: status(403, stsErrorSaying("SignatureDoesNotMatch", "Signature not yet current: 20261128T103000Z is still later than 20261128T101500Z (20261128T100000Z + 15 min.)")),
			want: Unknown, detail: "could not check: the computer's clock looks wrong (SignatureDoesNotMatch, HTTP 403)"},
		{reply: status(400, stsErrorSaying("RequestExpired", "Request has expired.")), want: Unknown, detail: "could not check: the computer's clock looks wrong (RequestExpired, HTTP 400)"},
		{reply: status(403, stsErrorSaying("RequestExpired", "Request has expired.")), want: Unknown, detail: "could not check: the computer's clock looks wrong (RequestExpired, HTTP 403)"},
		{reply: status(403, stsError("AccessDenied")), want: NoPermission, detail: "AccessDenied (HTTP 403)"},
		{reply: status(403, `not xml`), want: Unknown},
		{reply: status(400, stsError("Throttling")), want: RateLimited},
		{reply: status(429, ``), want: RateLimited},
		{reply: status(400, stsError("InvalidAction")), want: Unknown},
	},
	"sendgrid": {
		{reply: ok(`{"scopes":["mail.send","user.profile.read"]}`), want: Valid, scopes: "mail.send, user.profile.read"},
		{reply: status(401, `{"errors":[{"message":"authorization required"}]}`), want: Invalid},
		{reply: status(403, `{"errors":[{"message":"access forbidden"}]}`), want: NoPermission},
		{reply: status(429, ``), want: RateLimited},
	},
}

// geminiError is a Google API error answer; reason, if set, is its
// ErrorInfo's.
func geminiError(message, status, reason string) string {
	details := `{"@type":"type.googleapis.com/google.rpc.LocalizedMessage","locale":"en-US","message":"` + message + `"}`
	if reason != "" {
		details = `{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"` + reason +
			`","domain":"googleapis.com","metadata":{"service":"generativelanguage.googleapis.com"}},` + details
	}
	return `{"error":{"code":400,"message":"` + message + `","status":"` + status + `","details":[` + details + `]}}`
}

// stsIdentity is STS's answer to GetCallerIdentity.
const stsIdentity = `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>arn:aws:iam::123456789012:user/alice</Arn>
    <UserId>AIDAEXAMPLEUSERID0001</UserId>
    <Account>123456789012</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata>
</GetCallerIdentityResponse>`

// stsError is an STS error answer with code.
func stsError(code string) string {
	return stsErrorSaying(code, "The security token included in the request is invalid.")
}

// stsErrorSaying is an STS error answer with code and message.
func stsErrorSaying(code, message string) string {
	return `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>` + code +
		`</Code><Message>` + message + `</Message></Error><RequestId>x</RequestId></ErrorResponse>`
}

func TestEveryProviderHasAnswers(t *testing.T) {
	for _, p := range provider.All() {
		cases := answers[p.ID]
		have := map[Outcome]bool{}
		for _, c := range cases {
			have[c.want] = true
		}
		if !have[Valid] || !have[Invalid] || !have[RateLimited] {
			t.Errorf("%s: answers must cover valid, invalid and rate-limited at least", p.ID)
		}
		if a := p.Check.Answer; a != "" && readers[a] == nil {
			t.Errorf("%s: no reader %q", p.ID, a)
		}
	}
}

func TestProviderAnswers(t *testing.T) {
	for _, p := range provider.All() {
		for i, c := range answers[p.ID] {
			name := fmt.Sprintf("%s/%d-HTTP%d", p.ID, i, c.status)
			t.Run(name, func(t *testing.T) {
				srv, s := fakeProvider(t, c.reply)
				r := testChecker(p.ID, srv.URL).Check(context.Background(), Target{Provider: p.ID, Secret: testKey, KeyID: testKeyID})
				if hasKey(r) {
					t.Fatal("the key is in the result")
				}
				if r.Outcome != c.want {
					t.Fatalf("outcome %q (%s), want %q", r.Outcome, r.Detail, c.want)
				}
				if r.Account != c.account || r.Scopes != c.scopes || r.Credit != c.credit || !r.Expires.Equal(c.expires) {
					t.Errorf("told %q %q %q %v; want %q %q %q %v", r.Account, r.Scopes, r.Credit, r.Expires, c.account, c.scopes, c.credit, c.expires)
				}
				if c.detail != "" && r.Detail != c.detail {
					t.Errorf("detail %q, want %q", r.Detail, c.detail)
				}
				if !r.Checked.Equal(testNow) {
					t.Errorf("checked at %v, want the injected clock's %v", r.Checked, testNow)
				}
				// The request is the documented one, the key only in its header.
				method, path, h, n := s.get()
				if n != 1 || method != p.Check.Method || path != p.Check.Path || strings.Contains(path, testKey) {
					t.Errorf("request %d %s %s; want one %s %s", n, method, path, p.Check.Method, p.Check.Path)
				}
				switch p.Check.Auth {
				case provider.AuthBasic:
					if u, pw, ok := (&http.Request{Header: h}).BasicAuth(); !ok || u != testKeyID || pw != testKey {
						t.Error("no Basic authentication with the key ID and the key")
					}
				case provider.AuthSigV4:
					if !strings.HasPrefix(h.Get("Authorization"), "AWS4-HMAC-SHA256 Credential="+testKeyID+"/") {
						t.Error("no SigV4 Authorization with the key ID")
					}
				default:
					if h.Get(p.Check.Header) != strings.Replace(p.Check.Value, "{key}", testKey, 1) {
						t.Errorf("the key is not in %s as %q", p.Check.Header, p.Check.Value)
					}
				}
				for _, x := range p.Check.Extra {
					if h.Get(x.Name) != x.Value {
						t.Errorf("header %s missing", x.Name)
					}
				}
				for k, vs := range h {
					if k != http.CanonicalHeaderKey(p.Check.Header) && strings.Contains(strings.Join(vs, " "), testKey) {
						t.Errorf("the key is also in header %s", k)
					}
				}
			})
		}
	}
}

// Whatever the body says, a 429, a 5xx, a redirect or an unexpected status
// never makes a key invalid.
func TestNeverInvalidWithoutAnAnswer(t *testing.T) {
	bodies := []string{``, `{"ok":false,"error":"invalid_auth"}`, `{"valid":false}`, `{"api_key_blocked":true}`,
		`{"error":{"code":"invalid_api_key"}}`, `{"is_available":false}`, `not json`}
	for _, p := range provider.All() {
		for _, st := range []int{429, 500, 502, 503, 504, 418, 409, 204, 301, 302, 307} {
			for bi, b := range bodies {
				srv, _ := fakeProvider(t, reply{status: st, body: b, header: map[string]string{"Location": "/elsewhere"}})
				r := testChecker(p.ID, srv.URL).Check(context.Background(), Target{Provider: p.ID, Secret: testKey, KeyID: testKeyID})
				if r.Outcome == Invalid {
					t.Errorf("%s: HTTP %d with body %d gave invalid", p.ID, st, bi)
				}
				if st >= 500 && (r.Outcome != Unknown || !strings.Contains(r.Detail, "server error")) {
					t.Errorf("%s: HTTP %d gave %q %q, want unknown (server error)", p.ID, st, r.Outcome, r.Detail)
				}
				if st == 429 && r.Outcome != RateLimited && r.Outcome != NoCredit {
					t.Errorf("%s: HTTP 429 gave %q", p.ID, r.Outcome)
				}
			}
		}
	}
}

// A redirect is never followed, so the other host never receives the key,
// whichever header carries it, even when the injected client would follow.
func TestRedirectToAnotherHostNeverGetsTheKey(t *testing.T) {
	var mu sync.Mutex
	var leaked, visits int
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		visits++
		for _, vs := range r.Header {
			if strings.Contains(strings.Join(vs, " "), testKey) {
				leaked++
			}
		}
		fmt.Fprint(w, `{"ok":true,"valid":true}`)
	}))
	defer other.Close()
	u, _ := url.Parse(other.URL)
	elsewhere := "http://localhost:" + u.Port() + "/collect"
	for _, p := range provider.All() {
		for _, st := range []int{301, 302, 303, 307, 308} {
			srv, _ := fakeProvider(t, reply{status: st, header: map[string]string{"Location": elsewhere}})
			c := testChecker(p.ID, srv.URL)
			c.Client.CheckRedirect = func(*http.Request, []*http.Request) error { return nil } // would follow
			r := c.Check(context.Background(), Target{Provider: p.ID, Secret: testKey, KeyID: testKeyID})
			if r.Outcome != Unknown || !strings.Contains(r.Detail, "redirected") {
				t.Errorf("%s: HTTP %d gave %q %q", p.ID, st, r.Outcome, r.Detail)
			}
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if visits != 0 || leaked != 0 {
		t.Fatalf("the other host was visited %d times and got the key %d times", visits, leaked)
	}
}

// blockingServer answers nothing until the test ends.
func blockingServer(t *testing.T, head bool) *httptest.Server {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if head {
			w.WriteHeader(200)
			fmt.Fprint(w, `{"valid":`)
			w.(http.Flusher).Flush()
		}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) }) // runs first: unblock, then close
	return srv
}

func TestTimeout(t *testing.T) {
	for _, head := range []bool{false, true} {
		srv := blockingServer(t, head)
		for _, id := range []string{"openai", "cohere", "github"} {
			c := testChecker(id, srv.URL)
			c.Client.Timeout = 50 * time.Millisecond
			r := c.Check(context.Background(), Target{Provider: id, Secret: testKey})
			if r.Outcome != Unknown || r.Detail != "timeout" || r.Cancelled() {
				t.Errorf("%s (headers sent %v): %q %q, want unknown timeout", id, head, r.Outcome, r.Detail)
			}
		}
	}
	// The context's deadline is a timeout too.
	srv := blockingServer(t, false)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if r := testChecker("openai", srv.URL).Check(ctx, Target{Provider: "openai", Secret: testKey}); r.Detail != "timeout" {
		t.Errorf("deadline: %q %q", r.Outcome, r.Detail)
	}
}

func TestSlowServerWithinTimeout(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(150 * time.Millisecond) // slow, but well within the client's 5 s
		w.WriteHeader(200)
		for _, part := range []string{`{"valid":`, `true}`} {
			fmt.Fprint(w, part)
			w.(http.Flusher).Flush()
			time.Sleep(50 * time.Millisecond)
		}
	}))
	defer srv.Close()
	r := testChecker("cohere", srv.URL).Check(context.Background(), Target{Provider: "cohere", Secret: testKey})
	if r.Outcome != Valid {
		t.Fatalf("slow server: %q %q", r.Outcome, r.Detail)
	}
}

func TestHugeBody(t *testing.T) {
	var mu sync.Mutex
	written := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(200)
		chunk := []byte(`{"valid":true,"x":"` + strings.Repeat("a", 64<<10))
		for range 1024 { // 64 MiB unless the client stops reading
			n, err := w.Write(chunk)
			mu.Lock()
			written += n
			mu.Unlock()
			if err != nil {
				return
			}
		}
	}))
	defer srv.Close()
	// A provider whose body decides: could not check.
	r := testChecker("cohere", srv.URL).Check(context.Background(), Target{Provider: "cohere", Secret: testKey})
	if r.Outcome != Unknown || !strings.Contains(r.Detail, "over 1 MiB") {
		t.Errorf("cohere huge body: %q %q", r.Outcome, r.Detail)
	}
	// A provider whose status decides: the status stands, the body is not read.
	r = testChecker("mistral", srv.URL).Check(context.Background(), Target{Provider: "mistral", Secret: testKey})
	if r.Outcome != Valid {
		t.Errorf("mistral huge body: %q %q", r.Outcome, r.Detail)
	}
	srv.CloseClientConnections()
	mu.Lock()
	defer mu.Unlock()
	if written >= 60<<20 {
		t.Errorf("the client read %d MiB; it should stop near 1 MiB", written>>20)
	}
}

func TestNetworkError(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	base := srv.URL
	srv.Close() // nothing listens there now
	r := testChecker("openai", base).Check(context.Background(), Target{Provider: "openai", Secret: testKey})
	if r.Outcome != Unknown || !strings.HasPrefix(r.Detail, "network error") || strings.Contains(r.Detail, "http://") {
		t.Errorf("closed port: %q %q", r.Outcome, r.Detail)
	}
}

// A hostile server echoes the key everywhere it can; no result text holds it.
func TestKeyNeverInResult(t *testing.T) {
	k := testKey
	bodies := []string{
		`{"error":{"code":"` + k + `"}}`, `{"error":"` + k + `"}`, `{"code":"` + k + `"}`,
		`{"ok":false,"error":"` + k + `"}`, `{"ok":true,"team":"` + k + `","user":"` + k + `"}`,
		`{"login":"` + k + `"}`, `{"username":"` + k + `"}`, `{"name":"` + k + `","auth":{"accessToken":{"role":"` + k + `"}}}`,
		`{"name":"` + k + `","acls":["` + k + `"]}`, `{"valid":true,"organization_id":"` + k + `"}`,
		`{"is_available":true,"balance_infos":[{"currency":"` + k + `","total_balance":"` + k + `"}]}`,
		`{"scopes":["` + k + `"]}`, `{"error":"` + k + `\u0000` + k + `"}`,
		stsError(k), strings.ReplaceAll(stsIdentity, "123456789012", k),
	}
	hdr := map[string]string{"X-OAuth-Scopes": k, "github-authentication-token-expiration": k}
	for _, p := range provider.All() {
		for _, st := range []int{200, 400, 401, 403, 404, 429} {
			for _, b := range bodies {
				srv, _ := fakeProvider(t, reply{status: st, body: b, header: hdr})
				r := testChecker(p.ID, srv.URL).Check(context.Background(), Target{Provider: p.ID, Secret: k, KeyID: testKeyID})
				if hasKey(r) {
					t.Fatalf("%s HTTP %d: the key is in the result", p.ID, st)
				}
			}
		}
	}
}

func TestCustomAndBaseURL(t *testing.T) {
	srv, s := fakeProvider(t, ok(`{}`))
	c := &Checker{Client: &http.Client{Timeout: 5 * time.Second}, Now: func() time.Time { return testNow }}
	// The entry's base URL replaces the provider's (an OpenAI-compatible gateway).
	r := c.Check(context.Background(), Target{Provider: "openai", Secret: testKey, BaseURL: srv.URL + "/gateway/v1/"})
	if _, path, h, _ := s.get(); r.Outcome != Valid || path != "/gateway/v1/models" || h.Get("Authorization") != "Bearer "+testKey {
		t.Errorf("base URL: %q, path %q", r.Outcome, path)
	}
	// Plain http to another computer is refused before anything is sent.
	r = c.Check(context.Background(), Target{Provider: "openai", Secret: testKey, BaseURL: "http://example.com/v1"})
	if r.Outcome != Unknown || !strings.Contains(r.Detail, "plain http") {
		t.Errorf("insecure base URL: %q %q", r.Outcome, r.Detail)
	}

	custom := &Custom{URL: srv.URL + "/v2/me?x=1", Header: "X-Token", Value: "Key {key}", ValidStatus: 200}
	r = c.Check(context.Background(), Target{Provider: provider.Custom, Secret: testKey, Custom: custom})
	if _, path, h, _ := s.get(); r.Outcome != Valid || path != "/v2/me?x=1" || h.Get("X-Token") != "Key "+testKey {
		t.Errorf("custom: %q, path %q", r.Outcome, path)
	}
	for st, want := range map[int]Outcome{204: Unknown, 401: Invalid, 403: Unknown, 429: RateLimited, 503: Unknown} {
		srv2, _ := fakeProvider(t, status(st, ""))
		cu := *custom
		cu.URL = srv2.URL
		if r := c.Check(context.Background(), Target{Provider: provider.Custom, Secret: testKey, Custom: &cu}); r.Outcome != want {
			t.Errorf("custom HTTP %d: %q, want %q", st, r.Outcome, want)
		}
	}
	if r := c.Check(context.Background(), Target{Provider: provider.Custom, Secret: testKey}); r.Outcome != Unknown || r.Cancelled() {
		t.Errorf("custom without a check: %q %q", r.Outcome, r.Detail)
	}
}

func TestValidateBaseURL(t *testing.T) {
	for in, want := range map[string]string{
		"":                           "",
		" https://api.example.com/ ": "https://api.example.com",
		"https://gw.example.com/v1":  "https://gw.example.com/v1",
		"http://localhost:8080/v1":   "http://localhost:8080/v1",
		"http://127.0.0.1:11434":     "http://127.0.0.1:11434",
		"http://127.8.9.10":          "http://127.8.9.10",
		"http://[::1]:8080/":         "http://[::1]:8080",
		"HTTPS://API.EXAMPLE.COM/v1": "HTTPS://API.EXAMPLE.COM/v1",
		// A loopback host in one spelling, as the request is sent.
		"http://LOCALHOST:8080/v1":      "http://localhost:8080/v1",
		"Http://LocalHost:8080":         "http://localhost:8080",
		"http://localhost./v1":          "http://localhost/v1",
		"http://127.0.0.1.:11434/":      "http://127.0.0.1:11434",
		"http://[::1]":                  "http://[::1]",
		"http://[0:0:0:0:0:0:0:1]:9/v1": "http://[::1]:9/v1",
		"http://[::ffff:127.0.0.1]:9":   "http://127.0.0.1:9",
	} {
		if got, err := ValidateBaseURL(in); err != nil || got != want {
			t.Errorf("ValidateBaseURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for in, want := range map[string]error{
		"http://example.com":           ErrInsecureURL,
		"http://10.0.0.1":              ErrInsecureURL,
		"http://localhost.example.com": ErrInsecureURL,
		"http://128.0.0.1":             ErrInsecureURL,
		"http://localhost..":           ErrInsecureURL,
		"http://LOCALHOST.example.com": ErrInsecureURL,
		"http://[::2]":                 ErrInsecureURL,
		"ftp://example.com":            ErrBadURL,
		"example.com":                  ErrBadURL,
		"https://user:pw@example.com":  ErrBadURL,
		"https://example.com/?k={key}": ErrBadURL,
		"https://example.com/#x":       ErrBadURL,
		"https://":                     ErrBadURL,
	} {
		if _, err := ValidateBaseURL(in); err != want {
			t.Errorf("ValidateBaseURL(%q) error %v, want %v", in, err, want)
		}
	}
	bad := []Custom{
		{URL: "https://x.example", Header: "X-Key", Value: "no placeholder"},
		{URL: "https://x.example", Header: "X Key", Value: "{key}"},
		{URL: "https://x.example", Header: "X-Key", Value: "{key}{key}"},
		{URL: "https://x.example", Header: "X-Key", Value: "{key}", ValidStatus: 401},
		{URL: "http://x.example", Header: "X-Key", Value: "{key}"},
		{URL: "https://x.example/?k={key}", Header: "X-Key", Value: "{key}"},
		{},
	}
	for i, c := range bad {
		if _, err := c.Validate(); err == nil {
			t.Errorf("bad custom check %d accepted", i)
		}
	}
	if c, err := (Custom{URL: " https://x.example/me ", Header: "X-Key", Value: "{key}"}).Validate(); err != nil || c.ValidStatus != 200 || c.URL != "https://x.example/me" {
		t.Errorf("good custom check: %+v %v", c, err)
	}
}

func TestCheckAll(t *testing.T) {
	var mu sync.Mutex
	inFlight, most, total := 0, 0, 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		inFlight++
		total++
		most = max(most, inFlight)
		mu.Unlock()
		time.Sleep(5 * time.Millisecond) // let the checks overlap
		mu.Lock()
		inFlight--
		mu.Unlock()
		if strings.HasSuffix(r.Header.Get("Authorization"), "bad") {
			w.WriteHeader(401)
		}
	}))
	defer srv.Close()
	targets := make([]Target, 40)
	for i := range targets {
		targets[i] = Target{Provider: "mistral", Secret: fmt.Sprintf("key-%02d-good", i)}
		if i%5 == 0 {
			targets[i].Secret = fmt.Sprintf("key-%02d-bad", i)
		}
	}
	var dones []int
	rs := testChecker("mistral", srv.URL).CheckAll(context.Background(), targets, 4, func(done, n int) {
		if n != len(targets) {
			t.Errorf("total %d", n)
		}
		dones = append(dones, done) // calls are one at a time
	})
	for i, r := range rs {
		want := Valid
		if i%5 == 0 {
			want = Invalid
		}
		if r.Outcome != want {
			t.Errorf("result %d: %q, want %q (order kept?)", i, r.Outcome, want)
		}
	}
	if len(dones) != len(targets) || dones[len(dones)-1] != len(targets) {
		t.Errorf("progress called %d times", len(dones))
	}
	for i, d := range dones {
		if d != i+1 {
			t.Fatalf("progress %v not in order", dones)
		}
	}
	if most > 4 || total != len(targets) {
		t.Errorf("%d checks at once (limit 4), %d requests", most, total)
	}
}

func TestCheckAllCancel(t *testing.T) {
	started := make(chan struct{}, 100)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		started <- struct{}{}
		<-r.Context().Done() // answers only when the client gives up
	}))
	defer srv.Close()
	targets := make([]Target, 20)
	for i := range targets {
		targets[i] = Target{Provider: "openai", Secret: testKey}
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for range 3 {
			<-started
		}
		cancel() // three checks are in flight
	}()
	rs := testChecker("openai", srv.URL).CheckAll(ctx, targets, 3, nil)
	for i, r := range rs {
		if !r.Cancelled() || r.Outcome != Unknown || r.Detail != "cancelled" {
			t.Errorf("result %d after cancel: %q %q cancelled=%v", i, r.Outcome, r.Detail, r.Cancelled())
		}
	}
	if n := len(started); n > 0 {
		t.Errorf("%d more checks started after the cancel", n)
	}
}

func TestSummaryAndOutcomes(t *testing.T) {
	r := Result{Outcome: Valid, Account: "octocat", Scopes: "repo", Expires: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), Credit: "$5"}
	if got := r.Summary(); got != "account octocat; scopes repo; expires 2026-12-01; credit $5" {
		t.Errorf("summary %q", got)
	}
	for _, o := range Outcomes {
		if !o.Known() {
			t.Errorf("%q not known", o)
		}
	}
	if Outcome("broken").Known() || len(Outcomes) != 6 {
		t.Error("outcomes are not exactly the six")
	}
}

// Through an entry's own base URL (a gateway), a 404 is the gateway's: it
// says nothing about the key. With the provider's own address, Anthropic's
// 404 still means a disabled key.
func TestGatewayNotFoundIsNotABadKey(t *testing.T) {
	body := `{"type":"error","error":{"type":"not_found_error","message":"Not Found"}}`
	for _, id := range []string{"anthropic", "openai", "github"} {
		srv, _ := fakeProvider(t, status(404, body))
		c := testChecker(id, "")
		r := c.Check(context.Background(), Target{Provider: id, Secret: testKey, BaseURL: srv.URL + "/gateway"})
		if r.Outcome != Unknown || r.Detail != "could not check: the base URL answered 404 (not found)" {
			t.Errorf("%s through a gateway: %q %q", id, r.Outcome, r.Detail)
		}
	}
	srv, _ := fakeProvider(t, status(404, body))
	if r := testChecker("anthropic", srv.URL).Check(context.Background(), Target{Provider: "anthropic", Secret: testKey}); r.Outcome != Invalid {
		t.Errorf("anthropic at its own address: %q %q, want invalid", r.Outcome, r.Detail)
	}
	// The provider's own address given as the entry's base URL is no gateway.
	for _, base := range []string{"https://api.anthropic.com", "https://API.anthropic.com/"} {
		if rq, why := (&Checker{}).plan(Target{Provider: "anthropic", BaseURL: base}); why != "" || rq.ownBase {
			t.Errorf("base URL %s taken for a gateway (%q)", base, why)
		}
	}
}
