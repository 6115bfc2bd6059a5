package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A program run from the temporary folder (go run, go test) offers no login
// item: the entry would outlive it.
func TestLoginItemNotFromTemp(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	tmp, _ := filepath.EvalSymlinks(os.TempDir())
	real, _ := filepath.EvalSymlinks(exe)
	if !strings.HasPrefix(real, tmp) && !strings.HasPrefix(exe, os.TempDir()) {
		t.Skipf("the test binary %s is not under %s (GOTMPDIR?)", exe, os.TempDir())
	}
	if it, ok := loginItem(); ok {
		t.Fatalf("login item %+v offered for a binary in the temporary folder", it)
	}
}
