//go:build windows

package cmdline

import (
	"io"
	"os"
	"os/signal"
)

// signalRelay keeps Ctrl+C from ending Keyshelf before its program:
// Windows gives the console's Ctrl+C to every program attached to it, the
// program included, so there is nothing to pass on.
type signalRelay struct{ ch chan os.Signal }

// catchSignals starts ignoring Ctrl+C.
func catchSignals(io.Reader) *signalRelay {
	s := &signalRelay{ch: make(chan os.Signal, 1)}
	signal.Notify(s.ch, os.Interrupt)
	return s
}

// forward returns the function that stops ignoring Ctrl+C.
func (s *signalRelay) forward(*os.Process) (stop func()) { return s.release }

// release stops ignoring Ctrl+C.
func (s *signalRelay) release() { signal.Stop(s.ch) }

// exitCode is a finished program's exit code.
func exitCode(ps *os.ProcessState) int { return ps.ExitCode() }
