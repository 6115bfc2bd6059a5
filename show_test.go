//go:build unix

package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"keyshelf/internal/instance"
)

// showEnv is a private home and runtime folder for main in a new process,
// with no display: these runs must never need a window.
func showEnv(t *testing.T) (env []string, vaultPath string) {
	t.Helper()
	dir := t.TempDir()
	run := filepath.Join(dir, "run")
	if err := os.Mkdir(run, 0o700); err != nil {
		t.Fatal(err)
	}
	home := filepath.Join(dir, "home")
	env = []string{
		"HOME=" + home, "XDG_CONFIG_HOME=" + filepath.Join(home, ".config"),
		"XDG_CACHE_HOME=" + filepath.Join(home, ".cache"), "XDG_RUNTIME_DIR=" + run,
		"DISPLAY=", "WAYLAND_DISPLAY=", "LANG=C.UTF-8",
	}
	return env, filepath.Join(dir, "vault.keyshelf")
}

// runStatus runs keyshelf args like runMain, with env in place of the
// variables it names, and returns the exit status.
func runStatus(t *testing.T, env []string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	replaced := map[string]bool{}
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		replaced[name] = true
	}
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch {
		case replaced[name], name == "LC_ALL", name == "LC_MESSAGES", name == "LANGUAGE", name == "KEYSHELF_VAULT":
			continue
		}
		cmd.Env = append(cmd.Env, kv)
	}
	cmd.Env = append(append(cmd.Env, "KEYSHELF_TEST_MAIN=1"), env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		code = ee.ExitCode()
	default:
		t.Fatal(err)
	}
	return code, out.String(), errOut.String()
}

// runningCopy plays the running window for the vault at vaultPath in the
// runtime folder of env; its requests arrive on the channel.
func runningCopy(t *testing.T, env []string, vaultPath string) <-chan instance.Command {
	t.Helper()
	for _, kv := range env {
		if name, value, _ := strings.Cut(kv, "="); name == "XDG_RUNTIME_DIR" {
			t.Setenv(name, value)
		}
	}
	e, err := instance.ForVault(vaultPath)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := e.Start(instance.Show)
	if err != nil || srv == nil {
		t.Fatalf("start the running copy: %v %v", srv, err)
	}
	t.Cleanup(func() { srv.Close() })
	got := make(chan instance.Command, 8)
	srv.Serve(func(c instance.Command) { got <- c })
	return got
}

func TestSecondStartHandsOverAndExits(t *testing.T) {
	env, v := showEnv(t)
	got := runningCopy(t, env, v)
	start := time.Now()
	code, stdout, stderr := runStatus(t, env, "--vault", v)
	if code != 0 || stdout != "" || stderr != "" {
		t.Fatalf("second start: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	select {
	case c := <-got:
		if c != instance.Show {
			t.Fatalf("the running copy got %q", c)
		}
	default:
		t.Fatal("the second start exited 0 but the running copy got nothing")
	}
	t.Logf("the second start handed over and exited in %v", time.Since(start).Round(time.Millisecond))
}

func TestShowCommand(t *testing.T) {
	env, v := showEnv(t)
	code, _, stderr := runStatus(t, env, "--vault", v, "show", "--no-start")
	if code != 1 || !strings.Contains(stderr, "no Keyshelf window runs") {
		t.Fatalf("show --no-start with none running: exit %d, stderr %q", code, stderr)
	}
	got := runningCopy(t, env, v)
	code, stdout, stderr := runStatus(t, env, "--vault", v, "show")
	if code != 0 || stdout != "" || stderr != "" || len(got) != 1 {
		t.Fatalf("show: exit %d, stdout %q, stderr %q, requests %d", code, stdout, stderr, len(got))
	}
	// KEYSHELF_VAULT names the same vault.
	code, _, stderr = runStatus(t, append(env, "KEYSHELF_VAULT="+v), "show")
	if code != 0 || len(got) != 2 {
		t.Fatalf("show with KEYSHELF_VAULT: exit %d, stderr %q, requests %d", code, stderr, len(got))
	}
}

// TestCommandsIgnoreTheRunningCopy: list and the other commands do not go
// through the running copy and are not held up by it.
func TestCommandsIgnoreTheRunningCopy(t *testing.T) {
	env, v := showEnv(t)
	got := runningCopy(t, env, v)
	pass := filepath.Join(t.TempDir(), "pass")
	os.WriteFile(pass, []byte("a long test passphrase\n"), 0o600)
	for _, args := range [][]string{{"init"}, {"list"}} {
		code, _, stderr := runStatus(t, env, append([]string{"--vault", v, "--passphrase-file", pass}, args...)...)
		if code != 0 {
			t.Fatalf("%s beside a running copy: exit %d, %s", args[0], code, stderr)
		}
	}
	if len(got) != 0 {
		t.Fatalf("commands sent the running copy %d requests", len(got))
	}
}
