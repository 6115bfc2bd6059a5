package check

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// BenchmarkCheckAll is "Test all" on 100 keys against a loopback server
// that answers every check in 200 ms, one by one and at several
// concurrencies. Run it with -benchtime=1x (one by one takes 20 s an op).
func BenchmarkCheckAll(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(200 * time.Millisecond) // the provider's answer time
		fmt.Fprint(w, `{"data":[]}`)
	}))
	defer srv.Close()
	targets := make([]Target, 100)
	for i := range targets {
		targets[i] = Target{Provider: "mistral", Secret: fmt.Sprintf("bench-key-%03d", i)}
	}
	for _, conc := range []int{1, 8, 16, 32} {
		b.Run(fmt.Sprintf("concurrency=%d", conc), func(b *testing.B) {
			c := New()
			c.Bases = map[string]string{"mistral": srv.URL}
			for b.Loop() {
				for i, r := range c.CheckAll(context.Background(), targets, conc, nil) {
					if r.Outcome != Valid {
						b.Fatalf("check %d: %s %s", i, r.Outcome, r.Detail)
					}
				}
			}
		})
	}
}

// BenchmarkScrubbed is the scrub the vault applies to each stored check on
// load: a typical clean result of a 56-character key.
func BenchmarkScrubbed(b *testing.B) {
	secret := fmt.Sprintf("sk-proj-%040dT3BlbkFJ", 1234)
	r := Result{Outcome: Valid, Detail: "HTTP 200 (key accepted)", Account: "org-billing-production",
		Scopes: "model.read, model.request", Credit: "$12.40 remaining", Checked: time.Unix(1.7e9, 0).UTC()}
	for b.Loop() {
		if r.Scrubbed(secret).Detail != r.Detail {
			b.Fatal("changed")
		}
	}
}
