package gui

import (
	"runtime/debug"
	"time"

	"fyne.io/fyne/v2"
)

// freeOSMemory returns freed memory to the operating system at once; tests
// replace it to count the calls.
var freeOSMemory = debug.FreeOSMemory

// restAfter is how long the window goes without being used before it
// hands back the garbage of that use (see restSoon).
const restAfter = 5 * time.Second

// rest is the pending hand-back after a burst of use.
type rest struct {
	pending bool
	stop    func()
}

// releaseMemory hands back, off the UI goroutine, what an unlock leaves
// behind: Argon2id's 64 MiB of working memory and the garbage of decrypting
// and decoding the vault. Go's runtime would return it only slowly, so a
// tray app that unlocked once would keep it for minutes.
func (u *UI) releaseMemory() { u.cfg.Go(freeOSMemory) }

// restSoon arranges for the garbage of the use touch just recorded
// (searching, copying, editing) to be handed back once the window has not
// been used for restAfter. Go would keep it until its next collection and
// return it over minutes; a window that sits in the tray all day should
// hold what it needs at rest. One timer per burst of use: none runs while
// the window is left alone or the vault is locked.
func (u *UI) restSoon() {
	if u.rest.pending || u.v == nil {
		return
	}
	u.rest.pending = true
	u.scheduleRest(restAfter)
}

func (u *UI) scheduleRest(after time.Duration) {
	u.rest.stop = u.cfg.Clock.AfterFunc(after, func() { fyne.Do(u.restCheck) })
}

// restCheck releases the memory when the last use is restAfter ago, and
// otherwise looks again when it will be.
func (u *UI) restCheck() {
	if !u.rest.pending {
		return // the vault was locked meanwhile
	}
	if left := restAfter - u.idle.last.since(u.cfg.Clock.Now()); left > 0 {
		u.scheduleRest(left)
		return
	}
	u.rest = rest{}
	u.releaseMemory()
}

// cancelRest drops a pending hand-back (the vault locks: it releases at
// once instead).
func (u *UI) cancelRest() {
	if u.rest.stop != nil {
		u.rest.stop()
	}
	u.rest = rest{}
}
