package main

import (
	"os"
	"slices"
	"syscall"
	"testing"
)

func TestQuitSignals(t *testing.T) {
	for _, s := range []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP} {
		if !slices.Contains(quitSignals(), s) {
			t.Errorf("%v does not quit like the menu's Quit", s)
		}
	}
}
