//go:build window

package e2e

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"keyshelf/e2e/internal/fakekeys"
)

// binary is the keyshelf binary TestMain builds for this run.
var binary string

const (
	appID        = "dev.keyshelf.app" // main.go's app.NewWithID
	clearSeconds = 5                  // the shortest clear time the app accepts
	clearAfter   = clearSeconds * time.Second
	targetName   = "GitHub deploy"
	query        = "gith" // part of targetName, matching no other entry
	userText     = "user text"
)

func TestMain(m *testing.M) { os.Exit(testMain(m)) }

func testMain(m *testing.M) int {
	if os.Getenv("DISPLAY") == "" {
		fmt.Fprintln(os.Stderr, "e2e: DISPLAY is not set: run these tests with `make test-window` (Xvfb)")
		return 1
	}
	for _, tool := range []string{"xdotool", "xclip"} {
		if _, err := exec.LookPath(tool); err != nil {
			fmt.Fprintf(os.Stderr, "e2e: %s not found: run scripts/install-deps.sh test\n", tool)
			return 1
		}
	}
	dir, err := os.MkdirTemp("", "keyshelf-e2e-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	binary = filepath.Join(dir, "keyshelf")
	// The tags the Makefile ships with (BUILDTAGS), so that the tests run
	// what users get.
	tags, ok := os.LookupEnv("KEYSHELF_BUILD_TAGS")
	if !ok {
		tags = "no_animations,no_emoji"
	}
	build := exec.Command("go", "build", "-tags", tags, "-o", binary, ".")
	build.Dir = repoRoot()
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: go build:", err)
		return 1
	}
	return m.Run()
}

// repoRoot is the module root: the folder above this file's.
func repoRoot() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		panic("e2e: cannot find the source file")
	}
	return filepath.Dir(filepath.Dir(file))
}

// TestRealWindowCopyThenClear types the passphrase and part of a key's name
// into the real window, finds the key on the X clipboard, and finds the
// clipboard empty once the clear time has passed.
func TestRealWindowCopyThenClear(t *testing.T) {
	f := newFixture(t)
	f.start()
	f.unlock()
	copied := f.copyByTyping()

	// Still there well before the clear time.
	time.Sleep(time.Until(copied.Add(time.Second)))
	if s, _ := f.clipboard(); s != f.key {
		t.Fatalf("1 s after the copy the clipboard does not hold the key any more (%d bytes)", len(s))
	}
	// Marked for clipboard managers as a password (gui/secretclip).
	hint, err := exec.Command("xclip", "-o", "-selection", "clipboard", "-t", "x-kde-passwordManagerHint").Output()
	if err != nil || string(hint) != "secret" {
		t.Fatalf("the copied key's x-kde-passwordManagerHint is %q (%v), want \"secret\"", hint, err)
	}

	cleared, ok := f.waitClipboard(func(s string) bool { return s == "" }, copied.Add(clearAfter+4*time.Second))
	if !ok {
		t.Fatalf("%v after the copy the clipboard still is not empty (clear time %v)", clearAfter+4*time.Second, clearAfter)
	}
	if !f.alive() {
		t.Fatal("the app exited: the clipboard is empty because its owner is gone, not because it was cleared")
	}
	// The copy was seen at most one poll after it happened, so the clear can
	// only look early by that much; allow a second.
	if took := cleared.Sub(copied); took < clearAfter-time.Second {
		t.Errorf("the clipboard was emptied %v after the copy, before the clear time of %v", took.Round(100*time.Millisecond), clearAfter)
	} else {
		t.Logf("clipboard emptied %v after the copy was seen (clear time %v)", took.Round(100*time.Millisecond), clearAfter)
	}
}

// TestRealWindowUserCopySurvives copies a key, then copies something else
// the way another program would; the clear time passes and the user's text
// is still on the clipboard.
func TestRealWindowUserCopySurvives(t *testing.T) {
	f := newFixture(t)
	f.start()
	f.unlock()
	copied := f.copyByTyping()

	f.userCopy(userText)
	if _, ok := f.waitClipboard(func(s string) bool { return s == userText }, time.Now().Add(3*time.Second)); !ok {
		t.Fatal("the user's copy did not reach the clipboard")
	}
	end := copied.Add(clearAfter + 2*time.Second)
	for time.Now().Before(end) {
		if s, err := f.clipboard(); s != userText {
			t.Fatalf("%v after the key was copied the clipboard lost the user's text (now %d bytes, %v)",
				time.Since(copied).Round(100*time.Millisecond), len(s), err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if !f.alive() {
		t.Fatal("the app exited before the clear time passed")
	}
	t.Logf("the user's text survived %v after the key was copied (clear time %v)", time.Since(copied).Round(100*time.Millisecond), clearAfter)
}

// fixture is one run of the app: its own HOME and config folder, a vault
// with a few fake keys, the process and its window. The passphrase and the
// keys are random per run and never printed.
type fixture struct {
	t       *testing.T
	exe     string // the keyshelf binary start runs: the one TestMain built, unless a test sets another
	env     []string
	vault   string
	pass    string
	key     string   // the key of targetName
	secrets []string // every secret, for redacting output

	app    *exec.Cmd
	exited chan struct{}
	output syncBuffer // the app's stdout and stderr
	window string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	dir := t.TempDir()
	home := filepath.Join(dir, "home")
	config := filepath.Join(home, ".config")
	f := &fixture{
		t:     t,
		exe:   binary,
		vault: filepath.Join(dir, "vault.keyshelf"),
		pass:  "e2e fake passphrase " + randomText(8),
		key:   "ghp_E2EFAKE" + randomText(29),
		env: withEnv(os.Environ(), map[string]string{
			"HOME":            home,
			"XDG_CONFIG_HOME": config,
			"XDG_DATA_HOME":   filepath.Join(home, ".local", "share"),
			"XDG_CACHE_HOME":  filepath.Join(home, ".cache"),
			"LANG":            "C.UTF-8",
			"KEYSHELF_VAULT":  "",
		}),
	}
	f.secrets = []string{f.pass, f.key}

	// The clear time: Fyne keeps an app's preferences in
	// $XDG_CONFIG_HOME/fyne/<app ID>/preferences.json (fyne.io/fyne/v2/app,
	// storageRoot and internal/app.RootConfigDir).
	prefs := filepath.Join(config, "fyne", appID, "preferences.json")
	if err := os.MkdirAll(filepath.Dir(prefs), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(prefs, []byte(`{"clipboard.clearSeconds":`+strconv.Itoa(clearSeconds)+`}`), 0o600); err != nil {
		t.Fatal(err)
	}

	passFile := filepath.Join(dir, "passphrase")
	if err := os.WriteFile(passFile, []byte(f.pass+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	f.cli("", "--vault", f.vault, "--passphrase-file", passFile, "init")
	entries := []struct{ name, secret string }{
		{"GitLab CI", "glpat-E2EFAKE" + randomText(14)},
		{targetName, f.key},
		{"OpenAI production", "sk-proj-E2EFAKE" + randomText(40)},
		{"Stripe test", "sk_test_E2EFAKE" + randomText(24)},
	}
	for _, e := range entries {
		if e.secret != f.key {
			f.secrets = append(f.secrets, e.secret)
		}
		f.cli(e.secret, "--vault", f.vault, "--passphrase-file", passFile, "add", e.name)
	}
	return f
}

// cli runs a keyshelf command with stdin as its standard input.
func (f *fixture) cli(stdin string, args ...string) {
	f.t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = f.env
	cmd.Stdin = strings.NewReader(stdin)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		f.t.Fatalf("keyshelf %s: %v\n%s", args[len(args)-1], err, f.redact(out.String()))
	}
}

// start starts the window on the vault and waits until it is on screen and
// has the keyboard focus.
func (f *fixture) start() {
	f.t.Helper()
	f.app = exec.Command(f.exe, "--vault", f.vault)
	f.app.Env = f.env
	f.app.Stdout, f.app.Stderr = &f.output, &f.output
	if err := f.app.Start(); err != nil {
		f.t.Fatal(err)
	}
	f.exited = make(chan struct{})
	go func() {
		f.app.Wait()
		close(f.exited)
	}()
	f.t.Cleanup(f.stop)

	pid := strconv.Itoa(f.app.Process.Pid)
	out := f.xdo(20*time.Second, "search", "--sync", "--all", "--onlyvisible", "--pid", pid, "--name", "^Keyshelf$")
	f.window = strings.Fields(out)[0]
	f.xdo(5*time.Second, "windowfocus", "--sync", f.window)
}

// unlock types the passphrase and Enter.
func (f *fixture) unlock() {
	f.t.Helper()
	f.xdo(20*time.Second, "type", "--delay", "30", f.pass)
	f.xdo(5*time.Second, "key", "Return")
}

// copyByTyping types part of the key's name and Enter until the key is on
// the clipboard, and returns when it was first seen there. The vault opens
// in the background (Argon2id, about 0.3 s); until then the passphrase
// field is disabled and ignores the typing, so the first tries may miss.
func (f *fixture) copyByTyping() time.Time {
	f.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for try := 1; time.Now().Before(deadline); try++ {
		if try > 1 {
			f.xdo(5*time.Second, "key", "Escape") // clears the search field
		}
		f.xdo(10*time.Second, "type", "--delay", "30", query)
		f.xdo(5*time.Second, "key", "Return")
		if at, ok := f.waitClipboard(func(s string) bool { return s == f.key }, time.Now().Add(1500*time.Millisecond)); ok {
			f.t.Logf("the key (%d bytes) is on the clipboard after %d tr%s", len(f.key), try, map[bool]string{true: "y", false: "ies"}[try == 1])
			return at
		}
		if !f.alive() {
			f.t.Fatal("the app exited")
		}
	}
	s, _ := f.clipboard()
	f.t.Fatalf("the clipboard does not hold the key after typing %q and Enter for 20 s (it holds %d bytes)", query, len(s))
	return time.Time{}
}

// userCopy puts text on the clipboard the way another program does; the
// xclip serving it is stopped at the end of the test.
func (f *fixture) userCopy(text string) {
	f.t.Helper()
	cmd := exec.Command("xclip", "-quiet", "-selection", "clipboard")
	cmd.Stdin = strings.NewReader(text)
	if err := cmd.Start(); err != nil {
		f.t.Fatal(err)
	}
	f.t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
}

// clipboard reads the X clipboard. No owner, or an owner that offers no
// text, reads as "" with an error.
func (f *fixture) clipboard() (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "xclip", "-o", "-selection", "clipboard").Output()
	if err != nil {
		return "", fmt.Errorf("xclip -o: %w", err)
	}
	return string(out), nil
}

// waitClipboard polls the clipboard until ok holds or deadline passes, and
// returns when ok first held.
func (f *fixture) waitClipboard(ok func(string) bool, deadline time.Time) (time.Time, bool) {
	for {
		s, _ := f.clipboard()
		now := time.Now()
		if ok(s) {
			return now, true
		}
		if now.After(deadline) {
			return time.Time{}, false
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// xdo runs xdotool; its arguments may hold the passphrase, so a failure
// names only the subcommand.
func (f *fixture) xdo(timeout time.Duration, args ...string) string {
	f.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, "xdotool", args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if ctx.Err() != nil {
			err = fmt.Errorf("no answer in %v", timeout)
		}
		f.t.Fatalf("xdotool %s: %v %s", args[0], err, f.redact(stderr.String()))
	}
	return string(out)
}

func (f *fixture) alive() bool {
	select {
	case <-f.exited:
		return false
	default:
		return true
	}
}

// quitWith sends the app sig and waits up to 10 s for it to exit.
func (f *fixture) quitWith(sig syscall.Signal) {
	f.t.Helper()
	if err := f.app.Process.Signal(sig); err != nil {
		f.t.Fatal(err)
	}
	select {
	case <-f.exited:
	case <-time.After(10 * time.Second):
		f.t.Fatalf("the app did not quit within 10 s of %v", sig)
	}
}

// stop ends the app (SIGTERM, then SIGKILL after 5 s) and fails the test
// if its output mentions a panic.
func (f *fixture) stop() {
	if f.alive() {
		f.app.Process.Signal(syscall.SIGTERM)
		select {
		case <-f.exited:
		case <-time.After(5 * time.Second):
			f.app.Process.Kill()
			<-f.exited
		}
	}
	out := f.redact(f.output.String())
	if strings.Contains(strings.ToLower(out), "panic") {
		f.t.Errorf("the app's output mentions a panic:\n%s", out)
	} else if f.t.Failed() && out != "" {
		f.t.Logf("the app's output:\n%s", out)
	}
}

// redact hides the passphrase and the keys in s.
func (f *fixture) redact(s string) string {
	for _, secret := range f.secrets {
		s = strings.ReplaceAll(s, secret, "<redacted>")
	}
	return s
}

// randomText is n random letters and digits.
func randomText(n int) string { return fakekeys.RandomText(n) }

// syncBuffer is a bytes.Buffer safe for the writes of a child process's
// stdout and stderr copiers and the test's reads.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
