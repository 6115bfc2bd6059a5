package main

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestMain runs main itself when a test starts this test binary with
// KEYSHELF_TEST_MAIN=1, so that a test can watch a whole command run in its
// own process (its package inits included) without building the binary.
func TestMain(m *testing.M) {
	if os.Getenv("KEYSHELF_TEST_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// runMain runs keyshelf args in a new process with env added to an
// environment without any locale variable.
func runMain(t *testing.T, env []string, args ...string) (stdout, stderr string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch name {
		case "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE", "KEYSHELF_VAULT":
			continue
		}
		cmd.Env = append(cmd.Env, kv)
	}
	cmd.Env = append(append(cmd.Env, "KEYSHELF_TEST_MAIN=1"), env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("keyshelf %s: %v\n%s", strings.Join(args, " "), err, errOut.String())
	}
	return out.String(), errOut.String()
}

// TestCommandPrintsOnlyItsOutput: under the C locales common in terminals,
// containers and CI, Fyne's init logged "Fyne error: Error parsing user
// locale C" (three lines) before every command.
func TestCommandPrintsOnlyItsOutput(t *testing.T) {
	for _, env := range [][]string{
		{"LANG=C.UTF-8"},
		{"LANG=C.utf8"},
		{"LC_ALL=C.UTF-8", "LANG=en_US.UTF-8"},
		{"LANG=C"},
		nil, // no locale at all
	} {
		stdout, stderr := runMain(t, env, "version")
		if stderr != "" {
			t.Errorf("with %q keyshelf version wrote to stderr:\n%s", env, stderr)
		}
		if !strings.HasPrefix(stdout, "keyshelf ") {
			t.Errorf("with %q keyshelf version printed %q", env, stdout)
		}
	}
}
