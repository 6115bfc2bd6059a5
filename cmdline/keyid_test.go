package cmdline

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"keyshelf/vault/check"
)

// Fake two-part credentials: the key IDs have the providers' shapes.
const (
	twilioSID   = "SK0123456789abcdef0123456789abcdef"
	twilioToken = "fedcba9876543210fedcba9876543210"
	awsKeyID    = "AKIAFAKETEST01234567"
)

func TestKeyID(t *testing.T) {
	// Twilio accepts the SID with its secret, nothing else.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != twilioSID || p != twilioToken || r.URL.Path != "/v2/Services" {
			w.WriteHeader(401)
			return
		}
		fmt.Fprint(w, `{"services":[]}`)
	}))
	t.Cleanup(srv.Close)
	f := newFixture(t)
	f.checker = &check.Checker{Client: &http.Client{Timeout: 5 * time.Second}, Bases: map[string]string{"twilio": srv.URL}}
	f.mustOK(f.with("", "init"))

	out := f.mustOK(f.with(twilioToken+"\n", "add", "--key-id", twilioSID, "SMS"))
	if out != "Added \"SMS\" (Twilio)\n" {
		t.Fatalf("add: %q", out)
	}
	if e := f.entry("SMS"); e.KeyID != twilioSID || e.Provider != "twilio" || e.Secret != twilioToken {
		t.Fatalf("add stored %q %q", e.KeyID, e.Provider)
	}
	if out := f.mustOK(f.with("", "test", "SMS")); out != "SMS: valid\n" {
		t.Fatalf("test: %q", out)
	}
	f.mustOK(f.with("wJalrXUtnFEMI/K7MDENG/bPxRfiCYFAKEKEY012", "add", "Deploy"))
	if e := f.entry("Deploy"); e.KeyID != "" || e.Provider != "custom" {
		t.Fatalf("without a key ID: %q %q", e.KeyID, e.Provider)
	}

	// set --key-id changes the key ID alone; "" clears it.
	out = f.mustOK(f.with("", "set", "--key-id", awsKeyID, "deploy"))
	if !strings.HasPrefix(out, "Updated Deploy: key ID set; ") || strings.Contains(out, awsKeyID) {
		t.Fatalf("set: %q", out)
	}
	if e := f.entry("Deploy"); e.KeyID != awsKeyID || e.Provider != "custom" || len(e.History) != 0 {
		t.Fatalf("set stored %q %q, history %d", e.KeyID, e.Provider, len(e.History))
	}
	items := f.listJSON()
	if items["Deploy"]["key_id"] != awsKeyID || items["SMS"]["key_id"] != twilioSID {
		t.Fatalf("list --json: %v %v", items["Deploy"]["key_id"], items["SMS"]["key_id"])
	}
	out = f.mustOK(f.with("", "set", "--key-id", "", "Deploy"))
	if !strings.HasPrefix(out, "Updated Deploy: key ID cleared; ") {
		t.Fatalf("clear: %q", out)
	}
	if _, ok := f.listJSON()["Deploy"]["key_id"]; ok {
		t.Fatal("list --json shows an empty key_id")
	}

	// A new SID makes Twilio refuse the pair.
	f.mustOK(f.with("", "set", "--key-id", "SK"+strings.Repeat("f", 32), "SMS"))
	code, out, _ := f.with("", "test", "SMS")
	if code != 1 || out != "SMS: invalid (HTTP 401)\n" {
		t.Fatalf("test with another SID: %d %q", code, out)
	}

	code, _, errs := f.with("x", "add", "--key-id", "two words", "Bad")
	f.mustFail(1, code, errs, "key ID may not hold spaces")
	if strings.Contains(f.seen.String(), twilioToken) || strings.Contains(f.seen.String(), "wJalrXUt") {
		t.Fatal("a secret leaked into output")
	}
}
