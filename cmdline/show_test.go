package cmdline

import (
	"errors"
	"strings"
	"testing"
)

// fakeWindow records what show asked of the window.
type fakeWindow struct {
	running bool
	err     error
	status  int // Open's exit status

	shown, opened []string // the vault flags of each call
}

func (w *fakeWindow) Show(vaultFlag string) (bool, error) {
	w.shown = append(w.shown, vaultFlag)
	return w.running, w.err
}

func (w *fakeWindow) Open(vaultFlag string) int {
	w.opened = append(w.opened, vaultFlag)
	return w.status
}

func TestShowReachesTheRunningWindow(t *testing.T) {
	f := newFixture(t)
	w := &fakeWindow{running: true}
	f.window = w
	out := f.mustOK(f.run("", "--vault", f.vault, "show"))
	if out != "" || len(w.shown) != 1 || w.shown[0] != f.vault || len(w.opened) != 0 {
		t.Fatalf("show: out %q, shown %q, opened %q", out, w.shown, w.opened)
	}
	// No vault flag: the window picks the vault (its settings know the
	// last one picked), and a vault that does not exist yet is no error.
	f.mustOK(f.run("", "show"))
	if w.shown[1] != "" {
		t.Fatalf("show without --vault passed %q", w.shown[1])
	}
}

func TestShowOpensTheWindowWhenNoneRuns(t *testing.T) {
	f := newFixture(t)
	w := &fakeWindow{}
	f.window = w
	f.mustOK(f.run("", "--vault", f.vault, "show"))
	if len(w.opened) != 1 || w.opened[0] != f.vault {
		t.Fatalf("opened %q, want the window on %s", w.opened, f.vault)
	}
	w.status = 3
	if code, _, _ := f.run("", "show"); code != 3 {
		t.Fatalf("show returned %d, want the window's exit status 3", code)
	}
}

func TestShowNoStartSaysNotRunning(t *testing.T) {
	f := newFixture(t)
	w := &fakeWindow{}
	f.window = w
	code, out, errs := f.run("", "show", "--no-start")
	f.mustFail(1, code, errs, "no Keyshelf window runs for this vault")
	if out != "" || len(w.opened) != 0 {
		t.Fatalf("--no-start opened the window (%q) or printed %q", w.opened, out)
	}
}

func TestShowErrors(t *testing.T) {
	f := newFixture(t)
	code, _, errs := f.run("", "show")
	f.mustFail(1, code, errs, "has no window")

	f.window = &fakeWindow{err: errors.New("the running keyshelf did not answer in time")}
	code, _, errs = f.run("", "show")
	f.mustFail(1, code, errs, "did not answer")
	if w := f.window.(*fakeWindow); len(w.opened) != 0 {
		t.Fatal("show opened a second window beside one that hangs")
	}

	code, _, errs = f.run("", "show", "extra")
	f.mustFail(2, code, errs, "unexpected argument")
}

func TestShowHelp(t *testing.T) {
	f := newFixture(t)
	out := f.mustOK(f.run("", "help", "show"))
	for _, want := range []string{"--no-start", "status 0", "status 1", "never asks for the passphrase"} {
		if !strings.Contains(out, want) {
			t.Errorf("help show lacks %q:\n%s", want, out)
		}
	}
	out = f.mustOK(f.run("", "help"))
	if !strings.Contains(out, "show") {
		t.Errorf("help does not list show:\n%s", out)
	}
}
