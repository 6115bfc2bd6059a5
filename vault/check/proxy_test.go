package check

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// fakeProxy is an HTTP proxy that records what reaches it and forwards
// nothing.
func fakeProxy(t *testing.T) (*url.URL, func() (requests int, leaked bool)) {
	t.Helper()
	var mu sync.Mutex
	var n int
	var leaked bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		n++
		for _, vs := range r.Header {
			leaked = leaked || strings.Contains(strings.Join(vs, " "), testKey)
		}
		leaked = leaked || strings.Contains(r.RequestURI+string(body), testKey)
		mu.Unlock()
		w.WriteHeader(http.StatusBadGateway)
	}))
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	return u, func() (int, bool) { mu.Lock(); defer mu.Unlock(); return n, leaked }
}

// A plain-http check (only ever to this computer) never goes through a
// proxy, however the loopback host is spelled: a proxy would see the key in
// clear text. The proxy here stands for HTTP_PROXY in the environment.
func TestPlainHTTPNeverThroughAProxy(t *testing.T) {
	proxy, got := fakeProxy(t)
	srv, s := fakeProvider(t, ok(`{"data":[]}`))
	port := strconv.Itoa(srv.Listener.Addr().(*net.TCPAddr).Port)
	for _, host := range []string{"LOCALHOST", "LocalHost", "localhost.", "127.0.0.1.", "127.0.0.1", "localhost"} {
		c := New()
		c.Now = testChecker("", "").Now
		c.Client.Transport.(*http.Transport).Proxy = http.ProxyURL(proxy)
		base := "http://" + host + ":" + port + "/v1"
		r := c.Check(context.Background(), Target{Provider: "openai", Secret: testKey, BaseURL: base})
		if r.Outcome != Valid {
			t.Errorf("%s: %q %q, want valid from the provider", host, r.Outcome, r.Detail)
		}
		// The same through a custom check.
		cu := &Custom{URL: base + "/models", Header: "X-Key", Value: "{key}"}
		if r := c.Check(context.Background(), Target{Provider: "custom", Secret: testKey, Custom: cu}); r.Outcome != Valid {
			t.Errorf("%s custom: %q %q, want valid from the provider", host, r.Outcome, r.Detail)
		}
	}
	if n, leaked := got(); n != 0 || leaked {
		t.Fatalf("the proxy got %d requests (key among them: %v)", n, leaked)
	}
	if _, _, _, n := s.get(); n != 12 {
		t.Errorf("the provider got %d requests, want 12", n)
	}
}
