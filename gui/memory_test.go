package gui

import "testing"

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
	h.u.unlockWithDevice(h.u.unlock)
	if h.u.v == nil || *frees != 2 {
		t.Fatalf("%d releases after the device unlock, want 2", *frees)
	}
}
