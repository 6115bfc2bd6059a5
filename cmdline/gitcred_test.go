package cmdline

import (
	"context"
	"net/http"
	"net/http/cgi"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"keyshelf/vault"
	"keyshelf/vault/format"
	"keyshelf/vault/shellvar"
)

const glKey = "glpat-abcdefghij0123456789"

func TestParseGitRequest(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     gitRequest
	}{
		{"all", "protocol=https\nhost=github.com\npath=o/r.git\nusername=bob\n\n", gitRequest{"https", "github.com", "o/r.git", "bob"}},
		{"eof without blank line", "protocol=https\nhost=gitlab.com:8443", gitRequest{protocol: "https", host: "gitlab.com:8443"}},
		{"stops at the blank line", "protocol=https\n\nhost=evil.example\n", gitRequest{protocol: "https"}},
		{"crlf", "protocol=HTTPS\r\nhost=github.com\r\n\r\n", gitRequest{protocol: "https", host: "github.com"}},
		{"unknown and broken lines", "wwwauth[]=Basic realm=x\nnonsense\nhost=a=b\n", gitRequest{host: "a=b"}},
		{"later wins", "host=a\nhost=b\n", gitRequest{host: "b"}},
		{"empty", "", gitRequest{}},
	} {
		if got := parseGitRequest([]byte(tc.in)); got != tc.want {
			t.Errorf("%s: got %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

func TestNormHostAndProtocol(t *testing.T) {
	for _, tc := range []struct {
		protocol, host, want string
		safe                 bool
	}{
		{"https", "GitHub.com.", "github.com", true},
		{"https", "github.com:443", "github.com", true},
		{"https", "ghe.example.com:8443", "ghe.example.com:8443", true},
		{"http", "127.0.0.1:8080", "127.0.0.1:8080", true},
		{"http", "localhost", "localhost", true},
		{"http", "[::1]:80", "[::1]", true},
		{"http", "[0:0:0:0:0:0:0:1]:9", "[::1]:9", true},
		{"http", "github.com", "github.com", false},
		{"http", "127.0.0.1.example.com", "127.0.0.1.example.com", false},
		{"ssh", "github.com", "github.com", false},
		{"", "github.com", "github.com", false},
		{"https", "", "", true},
	} {
		got, _ := normHost(tc.protocol, tc.host)
		if got != tc.want {
			t.Errorf("normHost(%q, %q) = %q, want %q", tc.protocol, tc.host, got, tc.want)
		}
		if s := safeProtocol(tc.protocol, tc.host); s != tc.safe {
			t.Errorf("safeProtocol(%q, %q) = %v", tc.protocol, tc.host, s)
		}
	}
}

func TestChooseGitEntry(t *testing.T) {
	gh := vault.Entry{Name: "gh", Provider: "github"}
	ghAPI := vault.Entry{Name: "gh api", Provider: "github", BaseURL: "https://api.github.com"}
	ghe := vault.Entry{Name: "ghe", Provider: "github", BaseURL: "https://ghe.example.com/api/v3"}
	gheFav := vault.Entry{Name: "ghe fav", Provider: "github", BaseURL: "https://GHE.example.com:443/api/v3", Favorite: true}
	gl := vault.Entry{Name: "gl", Provider: "gitlab"}
	glSelf := vault.Entry{Name: "gl self", Provider: "gitlab", BaseURL: "https://git.example.org:8443"}
	glAPI := vault.Entry{Name: "gl api host", Provider: "gitlab", BaseURL: "https://api.gitlab.example"}
	local := vault.Entry{Name: "local", Provider: "github", BaseURL: "http://127.0.0.1:5000"}
	oai := vault.Entry{Name: "openai", Provider: "openai"}
	custom := vault.Entry{Name: "custom", Provider: "custom", BaseURL: "https://github.com"}
	all := []vault.Entry{gh, ghe, gl, glSelf, glAPI, local, oai, custom}

	req := func(protocol, host string) gitRequest { return gitRequest{protocol: protocol, host: host} }
	for _, tc := range []struct {
		name    string
		entries []vault.Entry
		q       gitRequest
		want    string // "" none
		matches int
	}{
		{"github.com", all, req("https", "github.com"), "gh", 1},
		{"api base serves github.com", []vault.Entry{ghAPI, oai}, req("https", "github.com"), "gh api", 1},
		{"two for github.com", []vault.Entry{gh, ghAPI}, req("https", "github.com"), "", 2},
		{"enterprise", all, req("https", "ghe.example.com"), "ghe", 1},
		{"the one favorite wins", append(all, gheFav), req("https", "ghe.example.com"), "ghe fav", 2},
		{"two favorites: none", []vault.Entry{gheFav, gheFav}, req("https", "ghe.example.com"), "", 2},
		{"gitlab.com", all, req("https", "gitlab.com"), "gl", 1},
		{"self-hosted gitlab with port", all, req("https", "git.example.org:8443"), "gl self", 1},
		{"port differs", all, req("https", "git.example.org"), "", 0},
		{"gitlab keeps api.", all, req("https", "gitlab.example"), "", 0},
		{"loopback http", all, req("http", "127.0.0.1:5000"), "local", 1},
		{"plain http to github.com", all, req("http", "github.com"), "", 0},
		{"ssh", all, req("ssh", "github.com"), "", 0},
		{"other host", all, req("https", "bitbucket.org"), "", 0},
		{"no host", all, req("https", ""), "", 0},
		{"no entries", nil, req("https", "github.com"), "", 0},
	} {
		chosen, matches := chooseGitEntry(tc.entries, tc.q)
		got := ""
		if chosen != nil {
			got = chosen.Name
		}
		if got != tc.want || len(matches) != tc.matches {
			t.Errorf("%s: chose %q with %d matches, want %q with %d", tc.name, got, len(matches), tc.want, tc.matches)
		}
	}
}

func TestGitUsername(t *testing.T) {
	for _, tc := range []struct{ provider, given, want string }{
		{"github", "", "x-access-token"},
		{"gitlab", "", "oauth2"},
		{"github", "octocat", "octocat"},
		{"custom", "", ""},
	} {
		if got := gitUsername(vault.Entry{Provider: tc.provider}, tc.given); got != tc.want {
			t.Errorf("%s %q: %q, want %q", tc.provider, tc.given, got, tc.want)
		}
	}
}

// accessLog is the details of the entry name's "copied" events.
func (f *fixture) accessLog(name string) []string {
	f.t.Helper()
	var out []string
	for _, ev := range f.entry(name).Log {
		if ev.Action == vault.ActionCopied {
			out = append(out, ev.Detail)
		}
	}
	return out
}

func TestGitCredentialCommand(t *testing.T) {
	f := newFixture(t)
	f.mustOK(f.with("", "init"))
	f.mustOK(f.with(ghKey, "add", "--provider", "github", "GitHub CI"))
	f.mustOK(f.with(glKey, "add", "--provider", "gitlab", "GitLab"))
	f.mustOK(f.with(oaiKey, "add", "OpenAI"))
	gh := "protocol=https\nhost=github.com\npath=octo/repo.git\n\n"

	out := f.mustOK(f.with(gh, "git-credential", "get"))
	if out != "username=x-access-token\npassword="+ghKey+"\n" {
		t.Fatal("get: not the GitHub key with x-access-token")
	}
	if got := f.accessLog("GitHub CI"); len(got) != 1 || got[0] != "given to git" {
		t.Fatalf("access log: %q", got)
	}
	out = f.mustOK(f.with("protocol=https\nhost=gitlab.com\nusername=me\n", "git-credential", "get"))
	if out != "username=me\npassword="+glKey+"\n" {
		t.Fatal("get: not the GitLab key with git's username")
	}
	// --name picks any entry, whatever the host, but never over plain http.
	out = f.mustOK(f.with("protocol=https\nhost=example.com\n", "git-credential", "--name", "openai", "get"))
	if out != "password="+oaiKey+"\n" {
		t.Fatal("get --name: not the named key alone")
	}
	code, _, errs := f.with(gh, "git-credential", "--name", "nope", "get")
	f.mustFail(1, code, errs, `no key named "nope"`)
	for _, in := range []string{"protocol=http\nhost=github.com\n", "protocol=ssh\nhost=github.com\n", "protocol=https\nhost=bitbucket.org\n", ""} {
		if code, out, errs := f.with(in, "git-credential", "--name", "GitHub CI", "get"); code != 0 || errs != "" || (out != "") != strings.HasPrefix(in, "protocol=https") {
			t.Fatalf("get for %q: exit %d, stdout %d bytes, stderr %q", in, code, len(out), errs)
		}
	}
	// store, erase and unknown operations read and ignore git's input.
	for _, op := range []string{"store", "erase", "frobnicate"} {
		if code, out, errs := f.with(gh+"username=x\npassword=secret-from-git\n", "git-credential", op); code != 0 || out != "" || errs != "" {
			t.Fatalf("%s: exit %d, %d bytes out, %q", op, code, len(out), f.redact(errs))
		}
	}
	// A refused protocol does not even open the vault.
	code, out, errs = f.run("protocol=http\nhost=github.com\n", "--vault", filepath.Join(f.dir, "none.keyshelf"), "git-credential", "get")
	if code != 0 || out != "" || errs != "" {
		t.Fatalf("plain http: exit %d, %d bytes out, %q", code, len(out), f.redact(errs))
	}

	// Several keys fit: names on stderr, nothing for git, exit 0.
	f.mustOK(f.with("ghp_zyxwvutsrqponmlkjihgfedcbaZYXWVUTSRQPO", "add", "--provider", "github", "GitHub personal"))
	code, out, errs = f.with(gh, "git-credential", "get")
	if code != 0 || out != "" || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, `"GitHub CI", "GitHub personal"`) || !strings.Contains(errs, "--name") {
		t.Fatalf("ambiguous: exit %d, stdout %d bytes, stderr %q", code, len(out), errs)
	}
	// Starring one settles it.
	v, err := vault.Open(f.vault, pass, vault.Options{KDF: format.Params{MemoryKiB: 8192, Time: 1, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	e, _ := v.Find("GitHub personal")
	if _, err := v.SetFavorite(e.ID, true); err != nil {
		t.Fatal(err)
	}
	v.Close()
	if out := f.mustOK(f.with(gh, "git-credential", "get")); !strings.HasPrefix(out, "username=x-access-token\npassword=ghp_zyx") {
		t.Fatal("the favorite was not given")
	}

	// Usage mistakes.
	code, _, errs = f.with(gh, "git-credential")
	f.mustFail(2, code, errs, "missing the operation")
	code, _, errs = f.with(gh, "git-credential", "get", "extra")
	f.mustFail(2, code, errs, "too many arguments")

	// Without a passphrase source: the remembered device unlocks; with
	// GIT_TERMINAL_PROMPT=0 and no device key it fails in one line.
	f.env["GIT_TERMINAL_PROMPT"] = "0"
	f.prompt = func(string) (string, error) { t.Fatal("asked for the passphrase"); return "", nil }
	code, _, errs = f.run(gh, "--vault", f.vault, "git-credential", "get")
	f.mustFail(1, code, errs, "GIT_TERMINAL_PROMPT=0")
	f.mustOK(f.with("", "remember", "--label", "box"))
	if out := f.mustOK(f.run("protocol=https\nhost=gitlab.com\n", "--vault", f.vault, "git-credential", "get")); !strings.Contains(out, "password=glpat-") {
		t.Fatal("the remembered device did not unlock")
	}
	delete(f.env, "GIT_TERMINAL_PROMPT")
	f.prompt = nil
	f.mustOK(f.with("", "forget"))
	code, _, errs = f.run(gh, "--vault", f.vault, "git-credential", "get")
	f.mustFail(1, code, errs, "no passphrase")

	// Keys went only to stdout, never to stderr; git's password nowhere.
	errs = f.seenErr.String()
	for _, k := range []string{ghKey, glKey, oaiKey, "ghp_zyx", pass} {
		if strings.Contains(errs, k) {
			t.Error("a key or the passphrase was printed on stderr")
		}
	}
	if strings.Contains(f.seen.String(), "secret-from-git") {
		t.Error("git's password was printed")
	}
}

// TestGitCredentialRealGit clones over smart HTTP, from git http-backend
// behind a loopback server that wants the key as an HTTP Basic password,
// with this test binary as git's credential helper.
func TestGitCredentialRealGit(t *testing.T) {
	gitBin, err := exec.LookPath("git")
	if err != nil {
		t.Skip("git is not on PATH")
	}
	execPath, err := exec.Command(gitBin, "--exec-path").Output()
	if err != nil {
		t.Fatalf("git --exec-path: %v", err)
	}
	backend := filepath.Join(strings.TrimSpace(string(execPath)), "git-http-backend")
	if _, err := os.Stat(backend); err != nil {
		t.Skip("git has no git-http-backend")
	}
	dir := t.TempDir()
	home := filepath.Join(dir, "home")
	if err := os.Mkdir(home, 0o700); err != nil {
		t.Fatal(err)
	}
	// Nothing of this machine's git set-up (helpers, askpass) takes part.
	gitEnv := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "LANG=C", "GIT_CONFIG_NOSYSTEM=1",
		"GIT_CONFIG_GLOBAL=" + filepath.Join(home, "gitconfig"), "GIT_TERMINAL_PROMPT=0", "KEYSHELF_CMDLINE_MAIN=1"}
	git := func(ctx context.Context, args ...string) ([]byte, error) {
		cmd := exec.CommandContext(ctx, gitBin, args...)
		cmd.Env = gitEnv
		return cmd.CombinedOutput()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	src, bare := filepath.Join(dir, "src"), filepath.Join(dir, "srv", "repo.git")
	for _, args := range [][]string{
		{"init", "-q", src},
		{"-C", src, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "--allow-empty", "-m", "hello from keyshelf"},
		{"clone", "-q", "--bare", src, bare},
	} {
		if out, err := git(ctx, args...); err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}

	var mu sync.Mutex
	var asked, rightKey int // requests with a password, and with the right one
	var users []string
	cgiHandler := &cgi.Handler{Path: backend, Root: "/",
		Env: []string{"GIT_PROJECT_ROOT=" + filepath.Dir(bare), "GIT_HTTP_EXPORT_ALL=1", "HOME=" + home, "GIT_CONFIG_NOSYSTEM=1"}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, password, ok := r.BasicAuth()
		mu.Lock()
		if ok {
			asked++
			users = append(users, user)
		}
		good := ok && password == ghKey
		if good {
			rightKey++
		}
		mu.Unlock()
		if !good {
			w.Header().Set("WWW-Authenticate", `Basic realm="x"`)
			http.Error(w, "who are you?", http.StatusUnauthorized)
			return
		}
		cgiHandler.ServeHTTP(w, r)
	}))
	defer srv.Close()

	clone := func(f *fixture, to string) (string, error) {
		helper := "!" + shellvar.QuoteWord(os.Args[0]) + " --vault " + shellvar.QuoteWord(f.vault) + " --passphrase-file " + shellvar.QuoteWord(f.pfile) + " git-credential"
		out, err := git(ctx, "-c", "credential.helper=", "-c", "credential.helper="+helper, "clone", "-q", srv.URL+"/repo.git", to)
		// git's words, for a failure message, without the key in them.
		return strings.ReplaceAll(string(out), ghKey, "[the key]"), err
	}
	newVault := func(key string) *fixture {
		f := newFixture(t)
		f.mustOK(f.with("", "init"))
		f.mustOK(f.with(key, "add", "--provider", "github", "--base-url", srv.URL, "Local forge"))
		return f
	}

	// The right key: the clone works, with GitHub's token username.
	right := newVault(ghKey)
	to := filepath.Join(dir, "clone")
	if out, err := clone(right, to); err != nil {
		t.Fatalf("clone with the right key: %v\n%s", err, out)
	}
	if msg, err := git(ctx, "-C", to, "log", "-1", "--format=%s"); err != nil || strings.TrimSpace(string(msg)) != "hello from keyshelf" {
		t.Fatalf("the clone has %q (%v)", msg, err)
	}
	mu.Lock()
	if rightKey == 0 || users[0] != "x-access-token" {
		t.Fatalf("the server saw the right key %d times, users %q", rightKey, users)
	}
	asked, rightKey, users = 0, 0, nil
	mu.Unlock()
	if got := right.accessLog("Local forge"); len(got) == 0 || got[0] != "given to git" {
		t.Fatalf("access log: %q", got)
	}

	// A wrong key: git is refused, asks no one else (no prompt) and fails.
	wrong := newVault("ghp_wrongwrongwrongwrongwrongwrongwrong1")
	if out, err := clone(wrong, filepath.Join(dir, "clone2")); err == nil {
		t.Fatalf("clone with a wrong key worked:\n%s", out)
	}
	mu.Lock()
	defer mu.Unlock()
	if asked == 0 || rightKey != 0 {
		t.Fatalf("with the wrong key the server saw %d passwords, %d right", asked, rightKey)
	}
}
