//go:build windows

package desktop

import "testing"

var (
	procSendMessageW = user32.NewProc("SendMessageW")
	procIsWindow     = user32.NewProc("IsWindow")
)

// startWindow starts a watcher whose events go to events, and returns it
// with its window once the window is ready.
func startWindow(t *testing.T, events chan Event) (*watcher, uintptr) {
	t.Helper()
	ready := make(chan uintptr, 1)
	testHookReady = func(hwnd uintptr) { ready <- hwnd }
	t.Cleanup(func() { testHookReady = nil })
	w := watch(func(e Event) { events <- e })
	select {
	case hwnd := <-ready:
		return w, hwnd
	case <-w.done:
		t.Fatal("the watcher's window was not made")
	}
	return nil, 0
}

// The window turns the messages Windows sends it into events; SendMessageW
// returns only once the window procedure has run, so no waiting is needed.
func TestWindowEvents(t *testing.T) {
	events := make(chan Event, 16)
	w, hwnd := startWindow(t, events)
	for _, m := range []struct{ msg, wParam uintptr }{
		{wmWTSSessionChange, wtsSessionLock},
		{wmWTSSessionChange, 0x8}, // WTS_SESSION_UNLOCK
		{wmPowerBroadcast, pbtAPMSuspend},
		{wmPowerBroadcast, pbtAPMResumeAutomatic},
		{wmEndSession, 0}, // cancelled
		{wmQueryEndSession, 0},
	} {
		procSendMessageW.Call(hwnd, m.msg, m.wParam, 0)
	}
	got := drain(events)
	want := []Event{ScreenLocked, Sleeping, Resumed, SessionEnding}
	if len(got) != len(want) {
		t.Fatalf("events %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("events %v, want %v", got, want)
		}
	}
	// WM_QUERYENDSESSION must let the session end.
	if r, _, _ := procSendMessageW.Call(hwnd, wmQueryEndSession, 0, 0); r == 0 {
		t.Error("WM_QUERYENDSESSION answered FALSE")
	}
	drain(events)

	w.stop()
	<-w.done
	if r, _, _ := procIsWindow.Call(hwnd); r != 0 {
		t.Error("the window is still there after stop")
	}
	procSendMessageW.Call(hwnd, wmWTSSessionChange, wtsSessionLock, 0)
	if got := drain(events); len(got) != 0 {
		t.Errorf("events after stop: %v", got)
	}
}

// stop right after Watch, before the window exists, ends the watcher too.
func TestWindowStopEarly(t *testing.T) {
	w := watch(func(e Event) { t.Errorf("event %v", e) })
	w.stop()
	<-w.done
	w.stop() // twice is fine
}
