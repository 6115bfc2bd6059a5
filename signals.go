package main

import (
	"os"
	"os/signal"
	"syscall"
)

// quitSignals are the signals that quit the window like the menu's Quit (the
// clipboard cleared, the vault closed): Ctrl+C in a terminal (os.Interrupt),
// a polite kill (SIGTERM), and the hang-up that a closed terminal or an
// ending session sends (SIGHUP), which would otherwise end the process at
// once with a key still on the clipboard. On Windows, Go reports a console
// closing, a log-off and a shutdown as SIGTERM; SIGHUP never arrives there.
func quitSignals() []os.Signal {
	return []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP}
}

// onQuitSignal calls quit once, on its own goroutine, when one of
// quitSignals arrives. stop ends the watch; quit is then never called.
func onQuitSignal(quit func()) (stop func()) {
	sigs := make(chan os.Signal, 1)
	done := make(chan struct{})
	signal.Notify(sigs, quitSignals()...)
	go func() {
		select {
		case <-sigs:
			quit()
		case <-done:
		}
	}()
	return func() {
		signal.Stop(sigs)
		close(done)
	}
}
