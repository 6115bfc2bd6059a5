package gui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
)

// A laptop that sleeps through the clipboard's clear or the auto-lock must
// clear and lock at once on waking. The fake clock's Suspend moves the wall
// clock without firing any timer, as a real suspend does to Go's timers.

// foreground runs the app's "entered foreground" hook (the window got the
// focus back), as the desktop driver does.
func (h *harness) foreground() {
	h.t.Helper()
	lc, ok := h.app.Lifecycle().(interface{ OnEnteredForeground() func() })
	if !ok || lc.OnEnteredForeground() == nil {
		h.t.Fatal("nothing listens for the window coming to the foreground")
	}
	lc.OnEnteredForeground()()
}

func TestClipboardClearsOnWakeAfterSleep(t *testing.T) {
	for _, wake := range []struct {
		name string
		do   func(h *harness)
	}{
		{"Woke", func(h *harness) { h.u.Woke() }},
		{"countdown tick", func(h *harness) { h.clock.Advance(time.Second) }},
		{"window focused", func(h *harness) { h.foreground() }},
	} {
		t.Run(wake.name, func(t *testing.T) {
			h := newHarness(t, "OpenAI prod", openaiKey)
			h.app.Preferences().SetInt(prefAutoLockMins, 0) // the clipboard alone
			h.unlock()
			h.copyFirst(openaiKey)
			h.clock.Advance(5 * time.Second)
			h.clock.Suspend(2 * time.Hour)
			wake.do(h)
			if got := h.app.Clipboard().Content(); got != "" {
				t.Fatal("the key is still on the clipboard after waking")
			}
			if h.u.main.status.Text != "Clipboard cleared" {
				t.Fatalf("status %q", h.u.main.status.Text)
			}
		})
	}
}

func TestClipboardWakeBeforeTheDeadlineKeepsCounting(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey)
	h.unlock()
	h.copyFirst(openaiKey)
	h.clock.Suspend(10 * time.Second)
	h.u.Woke()
	if h.app.Clipboard().Content() != openaiKey || !strings.Contains(h.u.main.status.Text, "clears in 20 s") {
		t.Fatalf("after a 10 s sleep: status %q", h.u.main.status.Text)
	}
	h.clock.Advance(20 * time.Second)
	if h.app.Clipboard().Content() != "" {
		t.Fatal("not cleared 30 s after the copy")
	}
}

func TestIdleLockOnWakeAfterSleep(t *testing.T) {
	for _, wake := range []struct {
		name string
		do   func(h *harness)
	}{
		{"Woke", func(h *harness) { h.u.Woke() }},
		{"window focused", func(h *harness) { h.foreground() }},
		{"coarse re-check", func(h *harness) { h.clock.Advance(30 * time.Second) }},
		{"typing", func(h *harness) { h.typeFocused("o") }},
		{"Enter copies", func(h *harness) { h.pressFocused(fyne.KeyReturn) }},
		{"a button", func(h *harness) { h.tap("Add") }},
	} {
		t.Run(wake.name, func(t *testing.T) {
			h := newHarness(t, "OpenAI prod", openaiKey) // auto-lock after 5 minutes
			h.unlock()
			h.clock.Advance(time.Minute)
			h.clock.Suspend(2 * time.Hour)
			wake.do(h)
			if h.u.v != nil || h.u.unlock == nil {
				t.Fatal("still unlocked after sleeping past the auto-lock time")
			}
			if !strings.Contains(h.u.unlock.note.Text, "5 minutes") {
				t.Fatalf("no reason shown: %q", h.u.unlock.note.Text)
			}
			if h.app.Clipboard().Content() != "" || h.u.editor != nil || h.u.modal {
				t.Fatal("the action that woke it went ahead on the locked vault")
			}
		})
	}
}

func TestIdleWakeBeforeTheDeadlineStaysUnlocked(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey)
	h.unlock()
	h.clock.Suspend(4 * time.Minute)
	h.u.Woke()
	h.foreground()
	if h.u.v == nil {
		t.Fatal("locked after 4 idle minutes of 5")
	}
	h.clock.Advance(59 * time.Second)
	if h.u.v == nil {
		t.Fatal("locked after 4 min 59 s")
	}
	h.clock.Advance(time.Second)
	if h.u.v != nil {
		t.Fatal("not locked after 5 idle minutes, 4 of them asleep")
	}
}

func TestMomentsHoldOnBothClocks(t *testing.T) {
	// A moment taken from the real clock keeps a wall-clock reading:
	// Go's Sub would otherwise compare monotonic readings, which stand
	// still while the computer sleeps.
	if m := momentOf(time.Now()); strings.Contains(m.wall.String(), "m=") {
		t.Fatalf("the wall reading carries a monotonic one: %v", m.wall)
	}
	now := time.Now()
	slept := moment{wall: now.Round(0).Add(-2 * time.Hour), mono: now.Add(-time.Second)}
	if got := slept.since(now); got != 2*time.Hour {
		t.Fatalf("after a 2 h sleep: %v elapsed", got)
	}
	// A clock set back an hour does not hold a deadline off.
	setBack := moment{wall: now.Round(0).Add(time.Hour), mono: now.Add(-time.Minute)}
	if got := setBack.since(now); got != time.Minute {
		t.Fatalf("after the clock was set back: %v elapsed", got)
	}
}

func TestRevealHidesOnWakeAfterSleep(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey)
	h.app.Preferences().SetInt(prefAutoLockMins, 0) // the reveal alone
	h.unlock()
	h.u.main.toggleReveal(h.u.main.shown[0].ID)
	h.clock.Suspend(time.Minute)
	h.u.Woke()
	if h.u.main.reveal.id != "" || strings.Contains(h.markup(), openaiKey) {
		t.Fatal("the key is still revealed after a sleep longer than the reveal")
	}
}
