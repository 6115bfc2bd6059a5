package gui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"keyshelf/gui/desktop"
)

// fakeSession stands in for desktop.Watch: the test sends the events.
type fakeSession struct {
	on      func(desktop.Event)
	stopped bool
}

func (f *fakeSession) watch(on func(desktop.Event)) func() {
	f.on = on
	return func() { f.stopped = true }
}

// withSession starts the harness's UI watching a fake session.
func (h *harness) withSession() *fakeSession {
	h.t.Helper()
	f := &fakeSession{}
	h.u.cfg.Session = f.watch
	h.u.watchSession()
	if f.on == nil {
		h.t.Fatal("the UI did not start watching the session")
	}
	return f
}

// copyFirst copies the first key with Enter in the search field.
func (h *harness) copyFirst(secret string) {
	h.t.Helper()
	h.u.win.Canvas().Focus(h.u.main.search)
	h.pressFocused(fyne.KeyReturn)
	if h.app.Clipboard().Content() != secret {
		h.t.Fatal("the key was not copied")
	}
}

func TestScreenLockLocksAndClearsClipboard(t *testing.T) {
	for _, c := range []struct {
		e   desktop.Event
		why string
	}{
		{desktop.ScreenLocked, "Keyshelf locked when the screen locked"},
		{desktop.Sleeping, "Keyshelf locked when the computer went to sleep"},
		{desktop.SessionEnding, "Keyshelf locked when the session ended"},
	} {
		t.Run(c.e.String(), func(t *testing.T) {
			h := newHarness(t, "OpenAI prod", openaiKey)
			s := h.withSession()
			h.unlock()
			h.copyFirst(openaiKey)

			s.on(c.e)
			if h.u.v != nil || h.u.main != nil || h.u.unlock == nil {
				t.Fatal("the vault is still open")
			}
			if got := h.app.Clipboard().Content(); got != "" {
				t.Fatalf("the clipboard still holds %d bytes", len(got))
			}
			if !h.u.unlock.note.Visible() || h.u.unlock.note.Text != c.why {
				t.Fatalf("unlock note %q", h.u.unlock.note.Text)
			}
			// Already locked: another event changes nothing.
			s.on(c.e)
			if h.u.unlock == nil {
				t.Fatal("not on the unlock screen")
			}
		})
	}
}

// TestScreenLockDuringUnlock: the screen locks while the passphrase is
// being checked; the unlock that finishes afterwards must not open the
// vault behind the lock screen.
func TestScreenLockDuringUnlock(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey)
	s := h.withSession()
	var work []func()
	h.u.cfg.Go = func(f func()) { work = append(work, f) }
	h.typeFocused(testPass)
	h.pressFocused(fyne.KeyReturn)
	if len(work) != 1 {
		t.Fatal("the unlock did not start")
	}
	s.on(desktop.ScreenLocked)
	work[0]()
	if h.u.v != nil || h.u.main != nil {
		t.Fatal("the vault opened after the screen locked")
	}
	if h.u.unlock == nil || h.u.unlock.pass.Disabled() || h.u.unlock.note.Text != "Keyshelf locked when the screen locked" {
		t.Fatal("not back on a ready unlock screen that says why")
	}
}

func TestScreenLockSettingOff(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey)
	s := h.withSession()
	h.unlock()
	sv := h.openSettings()
	if !sv.lockOnScreen.Checked || sv.lockOnScreen.Disabled() {
		t.Fatal("lock when the screen locks is not on by default")
	}
	test.Tap(sv.lockOnScreen)
	if h.u.prefs.LockOnScreenLock() {
		t.Fatal("turning it off was not stored")
	}
	sv.dlg.Hide()
	h.copyFirst(openaiKey)

	s.on(desktop.ScreenLocked)
	if h.u.v == nil || h.u.main == nil {
		t.Fatal("locked although the setting is off")
	}
	if h.app.Clipboard().Content() != openaiKey {
		t.Fatal("the clipboard was cleared although the setting is off")
	}
}

func TestScreenLockUnsupported(t *testing.T) {
	h := newHarness(t) // Config.Session is nil
	sv := h.openSettings()
	if sv.lockOnScreen.Checked || !sv.lockOnScreen.Disabled() {
		t.Fatal("the screen-lock setting is offered where the system tells nothing")
	}
	if !h.u.prefs.LockOnScreenLock() {
		t.Fatal("showing the setting as unavailable changed it")
	}
}

// TestResumeRechecksDeadlines: the computer slept past the clear time, and
// the timer with it; waking up clears the clipboard at once.
func TestResumeRechecksDeadlines(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey)
	s := h.withSession()
	h.unlock()
	h.copyFirst(openaiKey)

	h.clock.mu.Lock()
	h.clock.now = h.clock.now.Add(time.Hour) // slept: no timer fired
	h.clock.mu.Unlock()
	s.on(desktop.Resumed)
	if got := h.app.Clipboard().Content(); got != "" {
		t.Fatalf("the clipboard still holds %d bytes after waking up past the clear time", len(got))
	}
	if h.u.v != nil {
		t.Fatal("not locked after waking up past the auto-lock time")
	}
}

func TestQuitStopsSessionWatch(t *testing.T) {
	h := newHarness(t)
	s := h.withSession()
	h.u.Quit()
	if !s.stopped {
		t.Fatal("the session watch goes on after Quit")
	}
}
