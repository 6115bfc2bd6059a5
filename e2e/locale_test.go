//go:build window

package e2e

import (
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestRealWindowLogsNoLocaleError runs the window under LANG=C.UTF-8 (the
// fixture's locale, as in most containers and CI): Fyne logged "Fyne error:
// Error parsing user locale C" at every start.
func TestRealWindowLogsNoLocaleError(t *testing.T) {
	f := newFixture(t)
	f.start()
	f.unlock()
	f.copyByTyping()
	f.app.Process.Signal(syscall.SIGTERM)
	select {
	case <-f.exited:
	case <-time.After(10 * time.Second):
		t.Fatal("the app did not quit within 10 s of SIGTERM")
	}
	if out := f.redact(f.output.String()); strings.Contains(out, "locale") {
		t.Fatalf("the window logged about the locale:\n%s", out)
	}
}
