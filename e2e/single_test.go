//go:build window

package e2e

import (
	"bytes"
	"context"
	"errors"
	"os/exec"
	"strconv"
	"testing"
	"time"
)

// TestRealWindowSecondStartShowsTheFirst starts the window, unmaps it (as a
// window hidden in the tray or by the desktop is), and starts Keyshelf
// again: the second start must exit at once with status 0 and the first
// window be visible again. Then it hides the window again and runs
// `keyshelf show`: the window shows.
func TestRealWindowSecondStartShowsTheFirst(t *testing.T) {
	f := newFixture(t)
	f.start()
	f.unlock()

	f.hide()
	took := f.runAgain("--vault", f.vault)
	f.waitVisible("the second start")
	t.Logf("the second start exited with status 0 after %v", took.Round(time.Millisecond))

	f.hide()
	took = f.runAgain("--vault", f.vault, "show")
	f.waitVisible("keyshelf show")
	t.Logf("keyshelf show exited with status 0 after %v", took.Round(time.Millisecond))

	// With a copy running, --no-start succeeds too.
	took = f.runAgain("--vault", f.vault, "show", "--no-start")
	t.Logf("keyshelf show --no-start exited with status 0 after %v", took.Round(time.Millisecond))
	if !f.alive() {
		t.Fatal("the first window exited")
	}
}

// hide unmaps the window and waits until X says it is not visible.
func (f *fixture) hide() {
	f.t.Helper()
	f.xdo(5*time.Second, "windowunmap", "--sync", f.window)
	if f.visible() {
		f.t.Fatal("the window is still visible after windowunmap")
	}
}

// visible reports whether the app has a visible window titled Keyshelf.
func (f *fixture) visible() bool {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "xdotool", "search", "--all", "--onlyvisible",
		"--pid", strconv.Itoa(f.app.Process.Pid), "--name", "^Keyshelf$").Output()
	return err == nil && len(bytes.TrimSpace(out)) > 0
}

// waitVisible waits up to 10 s for the window to be visible again.
func (f *fixture) waitVisible(after string) {
	f.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !f.visible() {
		if time.Now().After(deadline) {
			f.t.Fatalf("the first window is not visible 10 s after %s", after)
		}
		if !f.alive() {
			f.t.Fatalf("the first window exited after %s", after)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// runAgain runs keyshelf args beside the running window; it must exit with
// status 0 within 10 s (a second window would not exit). It returns how
// long it took.
func (f *fixture) runAgain(args ...string) time.Duration {
	f.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = f.env
	var out syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	took := time.Since(start)
	var ee *exec.ExitError
	switch {
	case ctx.Err() != nil:
		f.t.Fatalf("keyshelf %q did not exit within 10 s (it opened a second window?)\n%s", args, f.redact(out.String()))
	case errors.As(err, &ee):
		f.t.Fatalf("keyshelf %q exited with status %d\n%s", args, ee.ExitCode(), f.redact(out.String()))
	case err != nil:
		f.t.Fatal(err)
	}
	if s := out.String(); s != "" {
		f.t.Errorf("keyshelf %q printed:\n%s", args, f.redact(s))
	}
	return took
}
