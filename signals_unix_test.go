//go:build unix

package main

import (
	"syscall"
	"testing"
	"time"
)

// TestHangupQuits sends this process a real SIGHUP: it must reach quit
// instead of ending the process (as it did, with a key on the clipboard).
func TestHangupQuits(t *testing.T) {
	quit := make(chan struct{})
	stop := onQuitSignal(func() { close(quit) })
	defer stop()
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	select {
	case <-quit:
	case <-time.After(30 * time.Second): // a hang guard, not a timing check
		t.Fatal("SIGHUP did not reach quit")
	}
}
