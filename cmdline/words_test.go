package cmdline

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"

	"keyshelf/vault"
	"keyshelf/vault/format"
)

// TestAddWarnsBreakInsideKey: a key with a line break inside it is kept,
// with the window's warning.
func TestAddWarnsBreakInsideKey(t *testing.T) {
	f := newFixture(t)
	f.mustOK(f.with("", "init"))
	code, out, errs := f.with("first-half-0123\nsecond-half-4567\n", "add", "Split")
	f.mustOK(code, out, errs)
	if !strings.Contains(errs, "warning: the key has spaces or line breaks inside it; check that you pasted the whole key and nothing else") {
		t.Fatalf("add: stderr %q", errs)
	}
	code, out, errs = f.with(ghKey+"\n", "add", "Whole")
	f.mustOK(code, out, errs)
	if errs != "" {
		t.Fatalf("add of a whole key: stderr %q", errs)
	}
	code, _, errs = f.with("new-first-0123\nnew-second-4567", "rotate", "Whole")
	if code != 0 || !strings.Contains(errs, "line breaks inside it") {
		t.Fatalf("rotate: %d %q", code, errs)
	}
}

// TestRotateNoInput: nothing piped in says so in those words.
func TestRotateNoInput(t *testing.T) {
	f := newFixture(t)
	f.mustOK(f.with("", "init"))
	f.mustOK(f.with(ghKey, "add", "k"))
	for _, in := range []string{"", "\n", "  \n"} {
		code, _, errs := f.with(in, "rotate", "k")
		f.mustFail(1, code, errs, "no new key on standard input")
	}
}

// TestRotateOtherProviderShape: a new key shaped like another provider's
// is kept, with a warning that names both.
func TestRotateOtherProviderShape(t *testing.T) {
	f := newFixture(t)
	f.mustOK(f.with("", "init"))
	f.mustOK(f.with(ghKey, "add", "GitHub CI"))
	code, out, errs := f.with(oaiKey, "rotate", "GitHub CI")
	f.mustOK(code, out, errs)
	if !strings.Contains(errs, "warning: the new key looks like an OpenAI key, not a GitHub one") {
		t.Fatalf("rotate to an OpenAI key: stderr %q", errs)
	}
	const gh2 = "ghp_ZYXWVUTSRQabcdefghij0123456789ABCDEF"
	code, out, errs = f.with(gh2, "rotate", "GitHub CI")
	f.mustOK(code, out, errs)
	if errs != "" {
		t.Fatalf("rotate to a GitHub key: stderr %q", errs)
	}
	if strings.Contains(f.seen.String(), oaiKey) || strings.Contains(f.seen.String(), gh2) {
		t.Fatal("a key leaked into output")
	}
}

// TestTestMissingName: `test` alone points at --all.
func TestTestMissingName(t *testing.T) {
	f := newFixture(t)
	f.mustOK(f.with("", "init"))
	code, _, errs := f.with("", "test")
	f.mustFail(2, code, errs, "missing NAME (or --all to test every key)")
}

// TestHelpTwoDashes: help shows flags as the README writes them, and so
// do the usage errors.
func TestHelpTwoDashes(t *testing.T) {
	f := newFixture(t)
	out := f.mustOK(f.run("", "help", "test"))
	for _, want := range []string{"  --all ", "  --concurrency N ", "(default 8)", "  --json ", "  --all  "} {
		if !strings.Contains(out, want) {
			t.Errorf("help test lacks %q:\n%s", want, out)
		}
	}
	for _, c := range commands {
		_, out, _ := f.run("", c.name, "--help")
		for _, line := range strings.Split(out, "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "-") && !strings.HasPrefix(strings.TrimSpace(line), "--") {
				t.Errorf("%s --help: a flag with one dash: %q", c.name, line)
			}
		}
	}
	code, _, errs := f.with("", "list", "--nope")
	f.mustFail(2, code, errs, "--nope")
	code, _, errs = f.run("", "--vault")
	f.mustFail(2, code, errs, "--vault")
}

// TestRotateFromDevNull: standard input from /dev/null (cron, "< /dev/null")
// is a character device but no terminal: nothing was given, and the
// message says so rather than "no terminal".
func TestRotateFromDevNull(t *testing.T) {
	null, err := os.Open(os.DevNull)
	if err != nil {
		t.Skip(err)
	}
	defer null.Close()
	if fi, err := null.Stat(); err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		t.Skip("the null device is not a character device here")
	}
	f := newFixture(t)
	f.mustOK(f.with("", "init"))
	f.mustOK(f.with(ghKey, "add", "k"))
	var out, errb bytes.Buffer
	code := Run([]string{"--vault", f.vault, "--passphrase-file", f.pfile, "rotate", "k"}, Env{
		Stdin: null, Stdout: &out, Stderr: &errb, Keychain: f.kc,
		Options: vault.Options{KDF: format.Params{MemoryKiB: 8192, Time: 1, Threads: 1}},
		Prompt:  func(string) (string, error) { return "", errors.New("no terminal") },
	})
	f.mustFail(1, code, errb.String(), "no new key on standard input")
}
