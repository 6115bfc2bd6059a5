package check

import (
	"context"
	"errors"
	"net"
	"net/http/httptest"
	"net/url"
	"testing"
)

// A plain-http check connects only to this computer, whatever the name
// resolves to: the dialer resolves it itself and refuses other addresses
// before dialing anything.
func TestPlainHTTPDialsOnlyLoopback(t *testing.T) {
	dialed := 0
	dial := loopbackOnly(func(ctx context.Context, network, addr string) (net.Conn, error) {
		dialed++
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	})
	for _, addr := range []string{"192.0.2.1:80", "[2001:db8::1]:80", "10.0.0.1:8080"} {
		if _, err := dial(context.Background(), "tcp", addr); !errors.Is(err, errNotLoopback) {
			t.Errorf("%s: %v", addr, err)
		}
	}
	if dialed != 0 {
		t.Fatalf("dialed %d addresses that are not this computer's", dialed)
	}
	srv := httptest.NewServer(nil)
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	conn, err := dial(context.Background(), "tcp", net.JoinHostPort("localhost", u.Port()))
	if err != nil {
		t.Fatalf("localhost: %v", err)
	}
	conn.Close()
	if dialed != 1 {
		t.Fatalf("dialed %d times for one connection", dialed)
	}
}
