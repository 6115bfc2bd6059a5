// Package testbus starts a private D-Bus session bus for tests (the tray's
// host probe, the session watcher). Only tests import it.
package testbus

import (
	"bufio"
	"os/exec"
	"strings"
	"testing"
)

// Start runs a dbus-daemon of its own for the test, stopped when the test
// ends, and returns its address. The test is skipped without dbus-daemon
// (Debian package dbus-daemon, installed with dbus-x11 by
// scripts/install-deps.sh test).
func Start(t testing.TB) string {
	t.Helper()
	daemon, err := exec.LookPath("dbus-daemon")
	if err != nil {
		t.Skip("no dbus-daemon")
	}
	cmd := exec.Command(daemon, "--session", "--nofork", "--print-address")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	addr, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(addr)
}
