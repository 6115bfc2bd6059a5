//go:build window

package e2e

import (
	"syscall"
	"testing"
)

// TestRealWindowHangupQuitsCleanly copies a key, then sends the app the
// SIGHUP that a closed terminal or an ending session sends. The app must
// quit as from the menu (clipboard cleared, vault closed, exit status 0),
// not die of the signal. Without a clipboard manager X11 drops the
// clipboard of a program that exits either way, so the exit status is what
// tells the two apart here.
func TestRealWindowHangupQuitsCleanly(t *testing.T) {
	f := newFixture(t)
	f.start()
	f.unlock()
	f.copyByTyping()

	f.quitWith(syscall.SIGHUP)
	st := f.app.ProcessState
	if ws, ok := st.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		t.Fatalf("the app died of %v instead of quitting", ws.Signal())
	}
	if st.ExitCode() != 0 {
		t.Fatalf("the app exited with status %d after SIGHUP", st.ExitCode())
	}
}
