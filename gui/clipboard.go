package gui

import (
	"crypto/sha256"
	"time"

	"fyne.io/fyne/v2"
)

// clipGuard puts keys on the clipboard and takes them off again after a
// while, but only if the clipboard still holds what it put there: a user who
// copied something else in the meantime keeps it. It remembers a hash of the
// key, never the key itself. The clear is due by the wall clock too, so a
// computer that sleeps through it clears at the next tick after waking, or
// at once through recheck (see UI.Woke).
type clipGuard struct {
	cb     fyne.Clipboard
	clock  Clock
	onTick func(label string, left time.Duration, first bool) // status updates; first for a new copy
	onDone func(label string, cleared bool)                   // the countdown ended: cleared, or left alone (the user copied something else)

	hash   [32]byte
	label  string
	copied moment
	ttl    time.Duration
	stop   func()
	gen    int // counts cancels: a tick already queued by an old timer is dropped
}

func newClipGuard(cb fyne.Clipboard, clock Clock, onTick func(string, time.Duration, bool), onDone func(string, bool)) *clipGuard {
	return &clipGuard{cb: cb, clock: clock, onTick: onTick, onDone: onDone}
}

// Copy puts secret on the clipboard and clears it after ttl. label names the
// key in status messages.
func (g *clipGuard) Copy(label, secret string, ttl time.Duration) {
	g.cancel()
	g.cb.SetContent(secret)
	g.hash = sha256.Sum256([]byte(secret))
	g.label = label
	g.copied, g.ttl = momentOf(g.clock.Now()), ttl
	g.tick(true)
}

// recheck clears now if the clear is due, and otherwise restarts the
// countdown from the time really left.
func (g *clipGuard) recheck() {
	if g.Active() {
		g.cancel()
		g.tick(false)
	}
}

// tick reports the time left and schedules the next tick or the clear;
// first is the report of a new copy.
func (g *clipGuard) tick(first bool) {
	left := g.ttl - g.copied.since(g.clock.Now())
	if left <= 0 {
		g.Clear()
		return
	}
	if !g.ours() {
		// Something else is on the clipboard now: nothing to clear.
		g.forget(false)
		return
	}
	g.onTick(g.label, left, first)
	next := left % time.Second
	if next == 0 {
		next = time.Second
	}
	gen := g.gen
	g.stop = g.clock.AfterFunc(next, func() {
		fyne.Do(func() {
			if g.gen == gen {
				g.tick(false)
			}
		})
	})
}

// ours reports whether the clipboard still holds the key Copy put there.
func (g *clipGuard) ours() bool {
	return g.label != "" && sha256.Sum256([]byte(g.cb.Content())) == g.hash
}

// Active reports whether a copied key may still be on the clipboard.
func (g *clipGuard) Active() bool { return g.label != "" }

// Clear empties the clipboard now if it still holds the copied key.
func (g *clipGuard) Clear() {
	g.cancel()
	ours := g.ours()
	if ours {
		g.cb.SetContent("")
	}
	g.forget(ours)
}

// forget ends the countdown; cleared says whether the key was taken off the
// clipboard or the clipboard was left alone.
func (g *clipGuard) forget(cleared bool) {
	g.cancel()
	if g.label != "" {
		g.onDone(g.label, cleared)
	}
	g.label, g.hash = "", [32]byte{}
}

func (g *clipGuard) cancel() {
	g.gen++
	if g.stop != nil {
		g.stop()
		g.stop = nil
	}
}
