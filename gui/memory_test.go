package gui

import (
	"testing"
	"time"
)

// countFrees replaces freeOSMemory with a counter for the test.
func countFrees(t *testing.T) *int {
	n := new(int)
	old := freeOSMemory
	freeOSMemory = func() { *n++ }
	t.Cleanup(func() { freeOSMemory = old })
	return n
}

// An unlock, with the passphrase or the device key, hands Argon2id's working
// memory and the decoding garbage back to the system once the list is up.
func TestUnlockReleasesMemory(t *testing.T) {
	frees := countFrees(t)
	h := newHarness(t, "OpenAI prod", openaiKey)
	if *frees != 0 {
		t.Fatalf("%d releases before any unlock", *frees)
	}
	h.unlock()
	if *frees != 1 {
		t.Fatalf("%d releases after the passphrase unlock, want 1", *frees)
	}
	if err := h.u.v.Remember(""); err != nil {
		t.Fatal(err)
	}
	h.u.Lock()
	if *frees != 2 {
		t.Fatalf("%d releases after locking, want 2", *frees)
	}
	h.u.unlockWithDevice(h.u.unlock)
	if h.u.v == nil || *frees != 3 {
		t.Fatalf("%d releases after the device unlock, want 3", *frees)
	}
}

// The garbage of searching and copying is handed back once the window has
// not been used for restAfter, once per burst of use, and never while it is
// left alone.
func TestRestReleasesMemoryAfterUse(t *testing.T) {
	frees := countFrees(t)
	h := newHarness(t, "OpenAI prod", openaiKey)
	h.unlock()
	if *frees != 1 {
		t.Fatalf("%d releases right after the unlock, want 1", *frees)
	}
	h.clock.Advance(restAfter)
	if *frees != 2 {
		t.Fatalf("%d releases %v after the unlock, want 2 (the unlock's, and the first drawing's)", *frees, restAfter)
	}
	h.clock.Advance(time.Minute)
	if *frees != 2 {
		t.Fatalf("%d releases a minute after the unlock, want 2", *frees)
	}

	resting := h.clock.pending() // the idle lock's and the other timers of an unused window

	h.typeFocused("open") // a burst of use: four keystrokes
	h.clock.Advance(restAfter - time.Second)
	h.typeFocused("a") // still in use
	h.clock.Advance(restAfter - time.Second)
	if *frees != 2 {
		t.Fatalf("%d releases while the window is still in use, want 2", *frees)
	}
	h.clock.Advance(time.Second)
	if *frees != 3 {
		t.Fatalf("%d releases %v after the last keystroke, want 3", *frees, restAfter)
	}
	h.clock.Advance(3 * time.Minute) // short of the auto-lock
	if *frees != 3 {
		t.Fatalf("%d releases after 3 minutes left alone, want 3: one per burst of use", *frees)
	}
	if n := h.clock.pending(); n != resting {
		t.Fatalf("%d timers pending once left alone again, want %d as before the use", n, resting)
	}

	// Locking releases at once and leaves no hand-back pending.
	h.typeFocused("x")
	h.u.Lock()
	if *frees != 4 {
		t.Fatalf("%d releases after locking, want 4", *frees)
	}
	h.clock.Advance(time.Hour)
	if *frees != 4 {
		t.Fatalf("%d releases while locked, want 4", *frees)
	}
}

// A copy's countdown repaints the status once a second: when it ends, the
// garbage of those repaints is handed back too, once.
func TestRestReleasesMemoryAfterACountdown(t *testing.T) {
	frees := countFrees(t)
	h := newHarness(t, "OpenAI prod", openaiKey)
	h.unlock()
	h.copyFirst(openaiKey)
	h.clock.Advance(restAfter)
	if *frees != 2 {
		t.Fatalf("%d releases %v after the copy, want 2 (the unlock's and the copy's)", *frees, restAfter)
	}
	h.clock.Advance(h.u.prefs.ClearAfter())
	if h.app.Clipboard().Content() != "" {
		t.Fatal("the clipboard was not cleared")
	}
	h.clock.Advance(restAfter)
	if *frees != 3 {
		t.Fatalf("%d releases after the countdown ended, want 3", *frees)
	}
	h.clock.Advance(3 * time.Minute)
	if *frees != 3 {
		t.Fatalf("%d releases left alone after the countdown, want 3", *frees)
	}
}
