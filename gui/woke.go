package gui

// TEMPORARY (branch "desktop"): a minimal Woke so that session.go builds.
// The "gui" branch adds the real Woke in its own files; at the merge keep
// that one and delete this file.

// Woke re-checks the clipboard-clear and auto-lock deadlines after the
// computer resumes from sleep (timers may have slept past them).
func (u *UI) Woke() {
	if u.clip.Active() {
		u.clip.cancel()
		u.clip.tick()
	}
	if u.v != nil && u.idle.stop != nil {
		u.disarmIdleLock()
		u.checkIdle()
	}
}
