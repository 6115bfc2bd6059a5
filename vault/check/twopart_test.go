package check

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// A two-part provider is not checked without its key ID.
func TestTwoPartNeedsKeyID(t *testing.T) {
	for _, id := range []string{"twilio", "aws"} {
		srv, s := fakeProvider(t, ok(`{}`))
		r := testChecker(id, srv.URL).Check(context.Background(), Target{Provider: id, Secret: testKey})
		if r.Outcome != Unknown || r.Detail != "needs the key ID" {
			t.Errorf("%s: %q %q, want unknown: needs the key ID", id, r.Outcome, r.Detail)
		}
		if _, _, _, n := s.get(); n != 0 {
			t.Errorf("%s: %d requests without a key ID", id, n)
		}
	}
	// A colon would split a Basic user name; a line break a header.
	for _, bad := range []string{"SK0:1", "AKIA\n1"} {
		srv, s := fakeProvider(t, ok(`{}`))
		r := testChecker("twilio", srv.URL).Check(context.Background(), Target{Provider: "twilio", Secret: testKey, KeyID: bad})
		if r.Outcome != Invalid || hasKey(r) {
			t.Errorf("key ID %q: %q %q, want invalid", bad, r.Outcome, r.Detail)
		}
		if _, _, _, n := s.get(); n != 0 {
			t.Errorf("key ID %q: sent", bad)
		}
	}
}

// The Twilio check is a GET with Basic authentication: the SID as the user
// name, the secret as the password, and nothing else carrying either.
func TestTwilioBasicAuth(t *testing.T) {
	const sid = "SK0123456789abcdef0123456789abcdef"
	srv, s := fakeProvider(t, ok(`{"services":[]}`))
	r := testChecker("twilio", srv.URL).Check(context.Background(), Target{Provider: "twilio", Secret: testKey, KeyID: sid})
	if r.Outcome != Valid || hasKey(r) {
		t.Fatalf("outcome %q %q", r.Outcome, r.Detail)
	}
	method, path, h, _ := s.get()
	u, pw, good := (&http.Request{Header: h}).BasicAuth()
	if method != "GET" || path != "/v2/Services" || !good || u != sid || pw != testKey {
		t.Errorf("request %s %s, Basic %v %v %v", method, path, good, u == sid, pw == testKey)
	}
}

var sigV4Header = regexp.MustCompile(`^AWS4-HMAC-SHA256 Credential=(AKIA[A-Z0-9]{16})/(\d{8})/us-east-1/sts/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$`)

// fakeSTS answers as STS does, after checking that the request is a signed
// GetCallerIdentity: the Authorization header's form, the body, and the
// signature itself, recomputed over the request as received.
func fakeSTS(t *testing.T, secret string) (*httptest.Server, func() []string) {
	t.Helper()
	var mu sync.Mutex
	var problems []string
	fail := func(s string) { mu.Lock(); problems = append(problems, s); mu.Unlock() }
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		auth := r.Header.Get("Authorization")
		m := sigV4Header.FindStringSubmatch(auth)
		switch {
		case r.Method != "POST" || r.URL.Path != "/":
			fail("not a POST to /")
		case string(body) != "Action=GetCallerIdentity&Version=2011-06-15":
			fail("body is not GetCallerIdentity")
		case !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded"):
			fail("not a form")
		case m == nil:
			fail("no SigV4 Authorization header")
		case !strings.Contains(m[3], "host") || !strings.Contains(m[3], "x-amz-date") || !strings.Contains(m[3], "content-type"):
			fail("signed headers " + m[3])
		case strings.Contains(auth, secret):
			fail("the secret is in the header")
		}
		if m == nil {
			w.WriteHeader(400)
			return
		}
		when, err := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
		if err != nil || when.Format("20060102") != m[2] {
			fail("X-Amz-Date does not match the credential's date")
		}
		// Sign a copy of the request as received, with the headers the
		// client signed (as STS does); the signatures must agree.
		cp, _ := http.NewRequest(r.Method, "http://"+r.Host+r.URL.RequestURI(), nil)
		cp.ContentLength = int64(len(body))
		for _, k := range strings.Split(m[3], ";") {
			if k != "host" && k != "content-length" {
				cp.Header[http.CanonicalHeaderKey(k)] = r.Header.Values(k)
			}
		}
		sum := sha256.Sum256(body)
		err = v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: m[1], SecretAccessKey: secret}, cp, hex.EncodeToString(sum[:]), "sts", "us-east-1", when)
		if err != nil || cp.Header.Get("Authorization") != auth {
			w.WriteHeader(403)
			io.WriteString(w, stsError("SignatureDoesNotMatch"))
			return
		}
		io.WriteString(w, stsIdentity)
	}))
	t.Cleanup(srv.Close)
	return srv, func() []string { mu.Lock(); defer mu.Unlock(); return problems }
}

func TestAWSSigV4(t *testing.T) {
	const keyID, secret = "AKIAFAKETEST01234567", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYFAKEKEY012"
	srv, problems := fakeSTS(t, secret)
	c := testChecker("aws", srv.URL)
	r := c.Check(context.Background(), Target{Provider: "aws", Secret: secret, KeyID: keyID})
	if r.Outcome != Valid || r.Account != "123456789012 arn:aws:iam::123456789012:user/alice" {
		t.Errorf("outcome %q %q, account %q", r.Outcome, r.Detail, r.Account)
	}
	// A wrong secret gives a signature STS does not accept.
	r = c.Check(context.Background(), Target{Provider: "aws", Secret: secret[:39] + "x", KeyID: keyID})
	if r.Outcome != Invalid || r.Detail != "SignatureDoesNotMatch (HTTP 403)" || strings.Contains(r.Summary(), secret[:39]) {
		t.Errorf("wrong secret: %q %q", r.Outcome, r.Detail)
	}
	for _, p := range problems() {
		t.Error(p)
	}
}
