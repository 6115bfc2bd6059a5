//go:build window

package e2e

import (
	"strings"
	"syscall"
	"testing"
)

// TestRealWindowLogsNoLocaleError runs the window under LANG=C.UTF-8 (the
// fixture's locale, as in most containers and CI): Fyne logged "Fyne error:
// Error parsing user locale C" at every start.
func TestRealWindowLogsNoLocaleError(t *testing.T) {
	f := newFixture(t)
	f.start()
	f.unlock()
	f.copyByTyping()
	f.quitWith(syscall.SIGTERM)
	if out := f.redact(f.output.String()); strings.Contains(out, "locale") {
		t.Fatalf("the window logged about the locale:\n%s", out)
	}
}
