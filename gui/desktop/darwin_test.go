//go:build darwin && !ios

package desktop

import (
	"runtime"
	"testing"

	"github.com/ebitengine/purego/objc"
)

// post posts the notification name on NSWorkspace's notification center,
// which calls its observers before it returns.
func post(t *testing.T, name string) {
	t.Helper()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	pool := objc.ID(classPool).Send(selNew)
	defer pool.Send(selDrain)
	center := objc.ID(classWorkspace).Send(selSharedWorkspace).Send(selNotificationCenter)
	center.Send(objc.RegisterName("postNotificationName:object:"), nsString(name), objc.ID(0))
}

func TestWorkspaceEvents(t *testing.T) {
	events := make(chan Event, 16)
	w := watch(func(e Event) { events <- e })
	<-w.started
	w.mu.Lock()
	obs := w.obs
	w.mu.Unlock()
	if obs == 0 {
		t.Fatal("no observer was registered")
	}
	for _, name := range []string{noteWillSleep, noteDidWake, "NSWorkspaceScreensDidSleepNotification", noteWillPowerOff} {
		post(t, name)
	}
	got := drain(events)
	want := []Event{Sleeping, Resumed, SessionEnding}
	if len(got) != len(want) {
		t.Fatalf("events %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("events %v, want %v", got, want)
		}
	}

	w.stop()
	post(t, noteWillSleep)
	if got := drain(events); len(got) != 0 {
		t.Errorf("events after stop: %v", got)
	}
	w.stop() // twice is fine
}

// stop right after Watch, before the observer is registered, leaves none.
func TestStopEarly(t *testing.T) {
	w := watch(func(e Event) { t.Errorf("event %v", e) })
	w.stop()
	<-w.started
	post(t, noteWillSleep)
}
