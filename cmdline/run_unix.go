//go:build unix

package cmdline

import (
	"io"
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/sys/unix"
)

// signalRelay passes the signals that would end Keyshelf on to the
// program it runs. Ctrl+C and Ctrl+\ typed at the terminal already reach
// the program, which is in Keyshelf's process group; they are passed on
// only when Keyshelf is not in the terminal's foreground group, so that the
// program does not get them twice.
type signalRelay struct {
	ch           chan os.Signal
	fromTerminal bool
}

// catchSignals starts catching, before the program starts, so that none
// sent in between ends Keyshelf instead.
func catchSignals(stdin io.Reader) *signalRelay {
	s := &signalRelay{ch: make(chan os.Signal, 8), fromTerminal: inForeground(stdin)}
	signal.Notify(s.ch, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT, syscall.SIGUSR1, syscall.SIGUSR2)
	return s
}

// forward passes the caught signals, those caught so far included, on to
// p until stop is called.
func (s *signalRelay) forward(p *os.Process) (stop func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		for sig := range s.ch {
			if s.fromTerminal && (sig == syscall.SIGINT || sig == syscall.SIGQUIT) {
				continue
			}
			_ = p.Signal(sig) // it may have exited already
		}
	}()
	return func() {
		s.release()
		<-done
	}
}

// release stops catching.
func (s *signalRelay) release() {
	signal.Stop(s.ch)
	close(s.ch)
}

// inForeground reports whether stdin is a terminal whose foreground
// process group is Keyshelf's: then the terminal's own signals reach the
// whole group.
func inForeground(stdin io.Reader) bool {
	f, ok := stdin.(*os.File)
	if !ok {
		return false
	}
	pg, err := unix.IoctlGetInt(int(f.Fd()), unix.TIOCGPGRP)
	return err == nil && pg == unix.Getpgrp()
}

// exitCode is a finished program's status as a shell gives it: its exit
// code, or 128+N when signal N ended it.
func exitCode(ps *os.ProcessState) int {
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return ps.ExitCode()
}
