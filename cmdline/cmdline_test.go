package cmdline

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"keyshelf/vault"
	"keyshelf/vault/check"
	"keyshelf/vault/format"
	"keyshelf/vault/keychain"
)

const (
	pass   = "correct horse battery staple"
	ghKey  = "ghp_0123456789abcdefghijABCDEFGHIJ012345"
	oaiKey = "sk-proj-abcdefghijklmnopT3BlbkFJqrstuvwxyz012345"
)

type fixture struct {
	t       *testing.T
	dir     string
	vault   string
	pfile   string
	kc      *keychain.Memory
	prompt  func(string) (string, error)
	env     map[string]string
	checker *check.Checker
	now     func() time.Time // nil: the real clock
	loc     *time.Location   // nil: time.Local
	ctx     context.Context  // nil: an interrupt
	window  Window           // nil: no window
	// every stdout and stderr text seen, to check for leaks
	seen strings.Builder
	// every stderr text seen
	seenErr strings.Builder
}

func newFixture(t *testing.T) *fixture {
	dir := t.TempDir()
	f := &fixture{t: t, dir: dir, vault: filepath.Join(dir, "v.keyshelf"), pfile: filepath.Join(dir, "pass"), kc: &keychain.Memory{}, env: map[string]string{}}
	if err := os.WriteFile(f.pfile, []byte(pass+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}

// run runs a command line with stdin and returns exit status and outputs.
func (f *fixture) run(stdin string, args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := Run(args, Env{
		Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb,
		Getenv:   func(k string) string { return f.env[k] },
		Keychain: f.kc,
		Options:  vault.Options{KDF: format.Params{MemoryKiB: 8192, Time: 1, Threads: 1}, Now: f.now},
		Location: f.loc,
		Prompt:   f.prompt,
		Version:  "test",
		Checker:  f.checker,
		Context:  f.ctx,
		Window:   f.window,
	})
	f.seen.WriteString(out.String() + errb.String())
	f.seenErr.WriteString(errb.String())
	return code, out.String(), errb.String()
}

// with runs with --vault and --passphrase-file.
func (f *fixture) with(stdin string, args ...string) (int, string, string) {
	return f.run(stdin, append([]string{"--vault", f.vault, "--passphrase-file", f.pfile}, args...)...)
}

func (f *fixture) mustOK(code int, out, errs string) string {
	f.t.Helper()
	if code != 0 {
		f.t.Fatalf("exit %d: %s", code, errs)
	}
	return out
}

func (f *fixture) mustFail(want int, code int, errs string, contains string) {
	f.t.Helper()
	if code != want {
		f.t.Fatalf("exit %d, want %d (stderr %q)", code, want, errs)
	}
	if strings.Count(errs, "\n") != 1 || !strings.HasPrefix(errs, "keyshelf: ") || !strings.Contains(errs, contains) {
		f.t.Fatalf("stderr %q: want one line containing %q", errs, contains)
	}
}

func TestLifecycle(t *testing.T) {
	f := newFixture(t)
	f.mustOK(f.with("", "init"))
	code, _, errs := f.with("", "init")
	f.mustFail(1, code, errs, "already exists")

	f.mustOK(f.with(ghKey+"\n", "add", "GitHub CI"))
	code, out, errs := f.with("  "+oaiKey+" \n\n", "add", "--tags", "prod,ai", "--notes", "billing", "OpenAI prod")
	f.mustOK(code, out, errs)
	if !strings.Contains(errs, "removed spaces") || out != "Added \"OpenAI prod\" (OpenAI)\n" {
		t.Fatalf("add: %q %q", out, errs)
	}
	code, _, errs = f.with(ghKey, "add", "github ci")
	f.mustFail(1, code, errs, "already has that name")
	code, _, errs = f.with(" \n", "add", "empty")
	f.mustFail(1, code, errs, "empty")
	code, _, errs = f.with("x", "add", "--provider", "nope", "x")
	f.mustFail(2, code, errs, "unknown provider")

	out = f.mustOK(f.with("", "list"))
	if !strings.Contains(out, "GitHub CI") || !strings.Contains(out, "ghp_"+vault.MaskDots+"2345") {
		t.Fatalf("list:\n%s", out)
	}
	out = f.mustOK(f.with("", "list", "--json"))
	var items []map[string]any
	if err := json.Unmarshal([]byte(out), &items); err != nil || len(items) != 2 {
		t.Fatalf("list --json: %v\n%s", err, out)
	}
	for _, k := range []string{"id", "name", "provider", "masked", "tags", "created", "updated"} {
		if _, ok := items[1][k]; !ok {
			t.Fatalf("list --json lacks %q", k)
		}
	}
	if items[1]["name"] != "OpenAI prod" || items[1]["provider"] != "openai" {
		t.Fatalf("item %v", items[1])
	}

	out = f.mustOK(f.with("", "get", "openai PROD"))
	if out != oaiKey+"\n" {
		t.Fatalf("get printed %q", out)
	}
	f.mustOK(f.with("", "rm", "GitHub CI"))
	code, _, errs = f.with("", "get", "GitHub CI")
	f.mustFail(1, code, errs, `no key named "GitHub CI"`)

	// Nothing but get ever printed a full key.
	all := f.seen.String()
	if strings.Count(all, oaiKey) != 1 || strings.Contains(all, ghKey) || strings.Contains(all, pass) {
		t.Fatal("a key or the passphrase leaked into output")
	}
}

func TestWrongPassphraseAndMissingSources(t *testing.T) {
	f := newFixture(t)
	f.mustOK(f.with("", "init"))
	f.mustOK(f.with(ghKey, "add", "k"))
	os.WriteFile(f.pfile, []byte("wrong\n"), 0o600)
	code, out, errs := f.with("", "get", "k")
	f.mustFail(1, code, errs, "passphrase")
	if out != "" {
		t.Fatal("printed something on a wrong passphrase")
	}
	// No terminal, no file.
	code, _, errs = f.run("", "--vault", f.vault, "get", "k")
	f.mustFail(1, code, errs, "--passphrase-file")
	// A terminal prompt works.
	f.prompt = func(string) (string, error) { return pass, nil }
	code, out, errs = f.run("", "--vault", f.vault, "get", "k")
	if f.mustOK(code, out, errs) != ghKey+"\n" {
		t.Fatal("prompted get failed")
	}
	code, _, errs = f.run("", "--vault", filepath.Join(f.dir, "none"), "list")
	f.mustFail(1, code, errs, "keyshelf init")
}

func TestUsageErrorsAndHelp(t *testing.T) {
	f := newFixture(t)
	code, _, errs := f.run("", "frobnicate")
	f.mustFail(2, code, errs, `unknown command "frobnicate"`)
	code, _, errs = f.run("", "--bogus", "list")
	f.mustFail(2, code, errs, "bogus")
	code, _, errs = f.with("", "get")
	f.mustFail(2, code, errs, "missing NAME")
	code, _, errs = f.with("", "list", "--nope")
	f.mustFail(2, code, errs, "keyshelf help list")
	for _, c := range commands {
		code, out, _ := f.run("", c.name, "--help")
		if code != 0 || !strings.Contains(out, "Usage: keyshelf") {
			t.Errorf("%s --help: %d %q", c.name, code, out)
		}
	}
	code, out, _ := f.run("", "--help")
	if code != 0 || !strings.Contains(out, "Commands:") {
		t.Fatalf("--help: %d %q", code, out)
	}
}

func TestPasswd(t *testing.T) {
	f := newFixture(t)
	f.mustOK(f.with("", "init"))
	f.mustOK(f.with(ghKey, "add", "k"))
	newFile := filepath.Join(f.dir, "new")
	os.WriteFile(newFile, []byte("brand new phrase\n"), 0o600)
	f.mustOK(f.with("", "remember", "--label", "box"))
	code, out, errs := f.with("", "passwd", "--new-passphrase-file", newFile)
	if got := f.mustOK(code, out, errs); !strings.Contains(got, "new data key") || !strings.Contains(got, "This device (box) still unlocks") {
		t.Fatalf("passwd said %q", got)
	}
	code, _, errs = f.with("", "get", "k")
	f.mustFail(1, code, errs, "wrong passphrase")
	code, out, errs = f.run("", "--vault", f.vault, "--passphrase-file", newFile, "get", "k")
	if f.mustOK(code, out, errs) != ghKey+"\n" {
		t.Fatal("new passphrase does not open")
	}
}

func TestRememberForget(t *testing.T) {
	f := newFixture(t)
	f.mustOK(f.with("", "init"))
	f.mustOK(f.with(ghKey, "add", "k"))
	f.mustOK(f.with("", "remember", "--label", "box"))
	// No passphrase source at all: the device key unlocks.
	code, out, errs := f.run("", "--vault", f.vault, "get", "k")
	if f.mustOK(code, out, errs) != ghKey+"\n" {
		t.Fatal("device unlock failed")
	}
	// Forgetting renews the data key, which needs the passphrase even when
	// the device key unlocks.
	code, _, errs = f.run("", "--vault", f.vault, "forget")
	f.mustFail(1, code, errs, "passphrase")
	code, out, errs = f.with("", "forget")
	if got := f.mustOK(code, out, errs); !strings.Contains(got, "Forgot box") || !strings.Contains(got, "new data key") {
		t.Fatalf("forget said %q", got)
	}
	code, _, errs = f.run("", "--vault", f.vault, "get", "k")
	f.mustFail(1, code, errs, "passphrase")
	code, _, errs = f.with("", "forget")
	f.mustFail(1, code, errs, "not remembered")
	// No keychain at all.
	f.kc.Fail = keychain.ErrUnavailable
	code, _, errs = f.with("", "remember")
	f.mustFail(1, code, errs, "keychain is not available")
}

func TestVaultPathPrecedence(t *testing.T) {
	f := newFixture(t)
	envVault := filepath.Join(f.dir, "env.keyshelf")
	f.env[vault.EnvVault] = envVault
	f.mustOK(f.run("", "--passphrase-file", f.pfile, "init"))
	if _, err := os.Stat(envVault); err != nil {
		t.Fatal("KEYSHELF_VAULT not used")
	}
	f.mustOK(f.with("", "init")) // --vault wins over the environment
	if _, err := os.Stat(f.vault); err != nil {
		t.Fatal("--vault not used")
	}
}

func TestNewerVersionVault(t *testing.T) {
	f := newFixture(t)
	data, err := os.ReadFile("../vault/testdata/newer-version.keyshelf")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(f.vault, data, 0o600)
	code, _, errs := f.with("", "list")
	f.mustFail(1, code, errs, "newer version")
}

func TestReadOnlyWhileLocked(t *testing.T) {
	f := newFixture(t)
	f.mustOK(f.with("", "init"))
	f.mustOK(f.with(ghKey, "add", "k"))
	holder, err := vault.Open(f.vault, pass, vault.Options{KDF: format.Params{MemoryKiB: 8192, Time: 1, Threads: 1}})
	if err != nil || holder.ReadOnly() {
		t.Fatal(err)
	}
	defer holder.Close()
	code, _, errs := f.with(oaiKey, "add", "other")
	f.mustFail(1, code, errs, "read-only")
	f.mustOK(f.with("", "list"))
}

// TestNewPassphraseRules: init and passwd refuse a passphrase shorter than
// 8 characters and warn about one that is easy to guess, but accept it.
func TestNewPassphraseRules(t *testing.T) {
	f := newFixture(t)
	const short, weak = "abc1234", "password1"
	os.WriteFile(f.pfile, []byte(short+"\n"), 0o600)
	code, _, errs := f.with("", "init")
	f.mustFail(1, code, errs, "at least 8 characters")
	if _, err := os.Stat(f.vault); err == nil {
		t.Fatal("a vault was created with a short passphrase")
	}
	// On the terminal the refusal comes before the second prompt.
	asked := 0
	f.prompt = func(string) (string, error) { asked++; return short, nil }
	code, _, errs = f.run("", "--vault", f.vault, "init")
	f.mustFail(1, code, errs, "at least 8 characters")
	if asked != 1 {
		t.Fatalf("asked %d times for a passphrase already refused", asked)
	}

	os.WriteFile(f.pfile, []byte(weak+"\n"), 0o600)
	code, out, errs := f.with("", "init")
	f.mustOK(code, out, errs)
	if !strings.Contains(errs, "warning: the passphrase is easy to guess") || strings.Count(errs, "\n") != 1 {
		t.Fatalf("init with a weak passphrase: stderr %q", errs)
	}

	newFile := filepath.Join(f.dir, "new")
	os.WriteFile(newFile, []byte("short\n"), 0o600)
	code, _, errs = f.with("", "passwd", "--new-passphrase-file", newFile)
	f.mustFail(1, code, errs, "at least 8 characters")
	f.mustOK(f.with("", "list")) // the old passphrase still opens
	os.WriteFile(newFile, []byte("12345678\n"), 0o600)
	code, out, errs = f.with("", "passwd", "--new-passphrase-file", newFile)
	f.mustOK(code, out, errs)
	if !strings.Contains(errs, "easy to guess") {
		t.Fatalf("passwd with a weak passphrase: stderr %q", errs)
	}
	if all := f.seen.String(); strings.Contains(all, short) || strings.Contains(all, weak) || strings.Contains(all, "12345678") {
		t.Fatal("a passphrase leaked into output")
	}
}

// TestFolderAsVault: a folder given as the vault path is named as such by
// every command, whether it came from --vault or KEYSHELF_VAULT.
func TestFolderAsVault(t *testing.T) {
	f := newFixture(t)
	for _, c := range commands {
		if c.name == "help" || c.name == "version" || c.name == "show" {
			continue // show leaves the path to the window (show_test.go)
		}
		args := []string{c.name}
		switch c.name {
		case "add", "get", "rotate", "rm", "set", "test":
			args = append(args, "k")
		}
		code, _, errs := f.run(ghKey, append([]string{"--vault", f.dir, "--passphrase-file", f.pfile}, args...)...)
		f.mustFail(1, code, errs, "is a folder, not a vault file")
	}
	f.env[vault.EnvVault] = f.dir
	code, _, errs := f.run("", "--passphrase-file", f.pfile, "init")
	f.mustFail(1, code, errs, "is a folder, not a vault file")
	if entries, _ := os.ReadDir(f.dir); len(entries) != 1 {
		t.Fatalf("the folder holds %d files, want only the passphrase file", len(entries))
	}
}
