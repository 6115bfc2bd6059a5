package desktop

import "testing"

func TestMacEvent(t *testing.T) {
	for _, c := range []struct {
		name string
		want Event // 0: no event
	}{
		{"com.apple.screenIsLocked", ScreenLocked},
		{"com.apple.screenIsUnlocked", 0},
		{"NSWorkspaceWillSleepNotification", Sleeping},
		{"NSWorkspaceDidWakeNotification", Resumed},
		{"NSWorkspaceWillPowerOffNotification", SessionEnding},
		{"NSWorkspaceScreensDidSleepNotification", 0},
		{"", 0},
	} {
		e, ok := macEvent(c.name)
		if !ok {
			e = 0
		}
		if e != c.want {
			t.Errorf("%q: %v, want %v", c.name, e, c.want)
		}
	}
}

// Every name darwin.go subscribes to brings an event.
func TestMacNotesMapped(t *testing.T) {
	for _, name := range append(append([]string(nil), distributedNotes...), workspaceNotes...) {
		if _, ok := macEvent(name); !ok {
			t.Errorf("subscribed to %q, which maps to no event", name)
		}
	}
}
