//go:build unix

package instance

import (
	"bufio"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// endpoint is a fresh endpoint in a private temporary folder.
func endpoint(t *testing.T) Endpoint {
	t.Helper()
	e, err := endpointIn(t.TempDir(), filepath.Join(t.TempDir(), "vault.keyshelf"))
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// first starts the first copy at e and serves it; its requests arrive on
// the returned channel.
func first(t *testing.T, e Endpoint) (*Server, <-chan Command) {
	t.Helper()
	srv, err := e.Start(Show)
	if err != nil || srv == nil {
		t.Fatalf("first start: server %v, error %v", srv, err)
	}
	t.Cleanup(func() { srv.Close() })
	got := make(chan Command, 64)
	srv.Serve(func(c Command) { got <- c })
	return srv, got
}

func TestSecondStartReachesFirst(t *testing.T) {
	e := endpoint(t)
	srv, got := first(t, e)

	second, err := e.Start(Show)
	if err != nil || second != nil {
		t.Fatalf("second start: server %v, error %v; want it handed to the first", second, err)
	}
	// The handler runs before the answer, so the request is in already.
	select {
	case c := <-got:
		if c != Show {
			t.Fatalf("the first copy got %q, want %q", c, Show)
		}
	default:
		t.Fatal("the second start returned but the first copy got no request")
	}
	fi, err := os.Stat(e.Path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		t.Errorf("socket mode %v, want no access for group and others", perm)
	}

	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(e.Path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the socket is still there after Close: %v", err)
	}
	if err := e.Send(Show); !errors.Is(err, ErrNotRunning) {
		t.Fatalf("Send after Close: %v, want ErrNotRunning", err)
	}
}

// staleSocket leaves a socket file at path with nobody listening, as a
// crashed copy does.
func staleSocket(t *testing.T, path string) {
	t.Helper()
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	ln.SetUnlinkOnClose(false)
	ln.Close()
	if _, err := os.Lstat(path); err != nil {
		t.Fatalf("the stale socket is not there: %v", err)
	}
}

func TestStaleSocketIsReplaced(t *testing.T) {
	e := endpoint(t)
	staleSocket(t, e.Path)
	if err := e.Send(Show); !errors.Is(err, ErrNotRunning) {
		t.Fatalf("Send to a stale socket: %v, want ErrNotRunning", err)
	}
	_, got := first(t, e)
	if err := e.Send(Show); err != nil {
		t.Fatalf("Send to the new copy: %v", err)
	}
	if c := <-got; c != Show {
		t.Fatalf("got %q", c)
	}
}

func TestNotASocketIsLeftAlone(t *testing.T) {
	e := endpoint(t)
	if err := os.WriteFile(e.Path, []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	srv, err := e.Start(Show)
	if err == nil || srv != nil {
		t.Fatalf("start over a plain file: server %v, error %v; want an error", srv, err)
	}
	if b, err := os.ReadFile(e.Path); err != nil || string(b) != "mine" {
		t.Fatalf("the file was changed: %q %v", b, err)
	}
}

// exchange sends raw bytes and returns the line the server answers ("" when
// it hangs up without one).
func exchange(t *testing.T, e Endpoint, raw string) string {
	t.Helper()
	c, err := net.Dial("unix", e.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(c, raw); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		t.Fatalf("read the answer to %q: %v", raw, err)
	}
	return strings.TrimSuffix(line, "\n")
}

func TestBadRequestsAreRefused(t *testing.T) {
	e := endpoint(t)
	_, got := first(t, e)
	for _, tc := range []struct{ name, raw, want string }{
		{"show", "keyshelf 1 show\n", "keyshelf 1 ok"},
		{"garbage", "hello\n", "keyshelf 1 bad"},
		{"binary", "\x00\xff\xfe\n", "keyshelf 1 bad"},
		{"other magic", "keyshelF 1 show\n", "keyshelf 1 bad"},
		{"no version", "keyshelf show\n", "keyshelf 1 bad"},
		{"padded version", "keyshelf 01 show\n", "keyshelf 1 bad"},
		{"extra field", "keyshelf 1 show now\n", "keyshelf 1 bad"},
		{"double space", "keyshelf  1 show\n", "keyshelf 1 bad"},
		{"newer version", "keyshelf 2 show\n", "keyshelf 1 unsupported"},
		{"unknown command", "keyshelf 1 dump\n", "keyshelf 1 unknown"},
		{"too long", "keyshelf 1 show" + strings.Repeat(" ", MaxLine) + "\n", "keyshelf 1 bad"},
		{"endless", strings.Repeat("x", 4096), "keyshelf 1 bad"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if a := exchange(t, e, tc.raw); a != tc.want {
				t.Fatalf("answer %q, want %q", a, tc.want)
			}
		})
	}
	if n := len(got); n != 1 {
		t.Fatalf("the handler ran %d times, want once (for the one good request)", n)
	}
}

func TestStalledPeerIsCutOffAndDoesNotBlockOthers(t *testing.T) {
	e := endpoint(t)
	e.Timeout = 200 * time.Millisecond
	_, got := first(t, e)

	stalled, err := net.Dial("unix", e.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer stalled.Close()
	io.WriteString(stalled, "keyshelf 1 sh") // and never the rest

	// Meanwhile another peer is served at once.
	if err := e.Send(Show); err != nil {
		t.Fatalf("Send beside a stalled peer: %v", err)
	}
	<-got

	// The server hangs up on the stalled one at its deadline.
	stalled.SetReadDeadline(time.Now().Add(10 * time.Second))
	n, err := stalled.Read(make([]byte, 16))
	if n != 0 || !errors.Is(err, io.EOF) {
		t.Fatalf("the stalled peer read %d bytes, %v; want the server to hang up (EOF)", n, err)
	}
	if len(got) != 0 {
		t.Fatal("the stalled peer's half request reached the handler")
	}
}

func TestCloseHangsUpOnPeers(t *testing.T) {
	e := endpoint(t) // the default timeout: 3 s
	srv, _ := first(t, e)
	stalled, err := net.Dial("unix", e.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer stalled.Close()
	// Wait until the server holds the connection: a full exchange from
	// another peer is served after this one was accepted.
	if err := e.Send(Show); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d >= DefaultTimeout {
		t.Fatalf("Close took %v: it waited for the stalled peer's deadline", d)
	}
	stalled.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, err := stalled.Read(make([]byte, 1)); !errors.Is(err, io.EOF) {
		t.Fatalf("the stalled peer reads %v after Close, want EOF", err)
	}
}

func TestStalledServerTimesOut(t *testing.T) {
	e := endpoint(t)
	e.Timeout = 200 * time.Millisecond
	// A copy that accepts and never answers (hung).
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: e.Path, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var held []net.Conn
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			held = append(held, c)
		}
	}()
	defer func() {
		ln.Close()
		<-done
		for _, c := range held {
			c.Close()
		}
	}()

	if err := e.Send(Show); !errors.Is(err, ErrNoAnswer) {
		t.Fatalf("Send to a hung copy: %v, want ErrNoAnswer", err)
	}
	srv, err := e.Start(Show)
	if !errors.Is(err, ErrNoAnswer) || srv != nil {
		t.Fatalf("Start beside a hung copy: server %v, error %v; want ErrNoAnswer", srv, err)
	}
	if fi, err := os.Lstat(e.Path); err != nil || fi.Mode().Type() != os.ModeSocket {
		t.Fatalf("the hung copy's socket was touched: %v", err)
	}
}

func TestBadAnswerIsAnError(t *testing.T) {
	e := endpoint(t)
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: e.Path, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	answers := []string{"keyshelf 1 unknown\n", "HTTP/1.1 200 OK\n", "keyshelf 9 ok\n", strings.Repeat("y", 1000)}
	go func() {
		for _, a := range answers {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			readLine(c)
			io.WriteString(c, a)
			c.Close()
		}
	}()
	for _, a := range answers {
		if err := e.Send(Show); err == nil {
			t.Errorf("Send took %q for an ok", a)
		}
	}
}

func TestConcurrentStartsHaveOneWinner(t *testing.T) {
	e := endpoint(t)
	staleSocket(t, e.Path) // the hardest case: all of them find it stale
	const n = 8
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		servers []*Server
		handled = make(chan Command, n)
		errs    = make(chan error, n)
		ready   = make(chan struct{})
	)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-ready
			srv, err := e.Start(Show)
			if err != nil {
				errs <- err
				return
			}
			if srv != nil {
				mu.Lock()
				servers = append(servers, srv)
				mu.Unlock()
				srv.Serve(func(c Command) { handled <- c })
			}
		}()
	}
	close(ready)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("a start failed: %v", err)
	}
	for _, s := range servers {
		defer s.Close()
	}
	if len(servers) != 1 {
		t.Fatalf("%d starts listen, want exactly 1", len(servers))
	}
	if len(handled) != n-1 {
		t.Fatalf("the winner got %d requests, want %d (one from each other start)", len(handled), n-1)
	}
}

func TestSendRefusesUnknownCommand(t *testing.T) {
	e := endpoint(t)
	first(t, e)
	if err := e.Send("dump"); err == nil {
		t.Fatal("Send sent an unknown command")
	}
}

func TestPrivateDir(t *testing.T) {
	open := filepath.Join(t.TempDir(), "open")
	if err := os.Mkdir(open, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := endpointIn(open, "v"); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(open); fi.Mode().Perm() != 0o700 {
		t.Errorf("the folder is %v, want 0700", fi.Mode().Perm())
	}
	link := filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(open, link); err != nil {
		t.Fatal(err)
	}
	if _, err := endpointIn(link, "v"); err == nil {
		t.Error("a symbolic link was taken as the socket folder")
	}
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o600)
	if _, err := endpointIn(file, "v"); err == nil {
		t.Error("a file was taken as the socket folder")
	}
}

func TestUserDir(t *testing.T) {
	run := t.TempDir()
	t.Setenv("XDG_RUNTIME_DIR", run)
	d, err := userDir()
	if err != nil || d != filepath.Join(run, "keyshelf") {
		t.Fatalf("userDir = %q, %v", d, err)
	}
	cache := t.TempDir()
	t.Setenv("XDG_RUNTIME_DIR", "")
	t.Setenv("XDG_CACHE_HOME", cache)
	t.Setenv("HOME", cache) // macOS: ~/Library/Caches
	d, err = userDir()
	if err != nil || !strings.HasPrefix(d, cache) {
		t.Fatalf("userDir without XDG_RUNTIME_DIR = %q, %v; want under %s", d, err, cache)
	}
	if fi, err := os.Stat(d); err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("the fallback folder: %v %v", fi, err)
	}
}

func TestVaultKey(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.keyshelf")
	os.WriteFile(a, nil, 0o600)
	link := filepath.Join(dir, "link.keyshelf")
	if err := os.Symlink(a, link); err != nil {
		t.Fatal(err)
	}
	ka, _ := vaultKey(a)
	kl, _ := vaultKey(link)
	kb, _ := vaultKey(filepath.Join(dir, "b.keyshelf"))
	if ka != kl {
		t.Errorf("a vault and a link to it have different endpoints: %s %s", ka, kl)
	}
	if ka == kb {
		t.Errorf("two vaults share the endpoint %s", ka)
	}
	if !regexp.MustCompile(`^vault-[0-9a-f]{16}$`).MatchString(ka) {
		t.Errorf("the key %q is not vault- and a hash", ka)
	}
}

func TestParseRequest(t *testing.T) {
	if c, a := parseRequest("keyshelf 1 show"); c != Show || a != answerOK {
		t.Fatalf("parseRequest(show) = %q %q", c, a)
	}
}

// TestClaimMovesTheCopy is what the window does when the user picks another
// vault: claim the new vault's endpoint, then close the old one.
func TestClaimMovesTheCopy(t *testing.T) {
	dir := t.TempDir()
	oldE, err := endpointIn(dir, filepath.Join(dir, "old.keyshelf"))
	if err != nil {
		t.Fatal(err)
	}
	newE, err := endpointIn(dir, filepath.Join(dir, "new.keyshelf"))
	if err != nil {
		t.Fatal(err)
	}
	old, _ := first(t, oldE)
	if srv, err := oldE.Claim(); !errors.Is(err, ErrTaken) || srv != nil {
		t.Fatalf("Claim of a live endpoint: server %v, error %v; want ErrTaken", srv, err)
	}
	moved, err := newE.Claim()
	if err != nil {
		t.Fatal(err)
	}
	defer moved.Close()
	got := make(chan Command, 1)
	moved.Serve(func(c Command) { got <- c })
	old.Close()
	if err := newE.Send(Show); err != nil {
		t.Fatalf("Send to the moved copy: %v", err)
	}
	<-got
	if err := oldE.Send(Show); !errors.Is(err, ErrNotRunning) {
		t.Fatalf("Send to the old endpoint: %v, want ErrNotRunning", err)
	}
}
