// This file is Keyshelf's, added to its copy of Fyne v2.7.1's
// internal/driver/glfw (third_party/README.md, "fyne"). Fyne's licence: LICENSE.

package glfw

import (
	"sync"
	"time"
)

const (
	// frameInterval is the loop's tick while something happens.
	frameInterval = time.Second / 60
	// quietTicksBeforeWait is how many ticks without painting or animation
	// the loop runs before it sleeps in waitForWork (a tenth of a second).
	quietTicksBeforeWait = 6
	// idleWakeInterval is the longest waitForWork sleeps, in seconds, so that
	// the render caches are still cleaned while nothing happens.
	idleWakeInterval = 1.0
)

var (
	// pending holds the funcs forwardFuncs took off funcQueue, in order, for
	// the main thread to run; pendingReady wakes the loop's select for them.
	pendingMu    sync.Mutex
	pending      []funcData
	pendingReady = make(chan struct{}, 1)

	// waiting is true while the main thread sleeps (or is about to sleep) in
	// waitForWork. Setting it and posting GLFW's empty event both hold
	// waitMu, so no event is ever posted before GLFW is initialised or after
	// it is terminated.
	waitMu  sync.Mutex
	waiting bool
)

// forwardFuncs moves funcs from funcQueue to pending and wakes the main
// thread for them, and wakes it once when d.done closes. It returns, closing
// exited, when funcQueue is closed at shutdown.
func (d *gLDriver) forwardFuncs(exited chan<- struct{}) {
	defer close(exited)
	done := d.done
	for {
		select {
		case f, ok := <-funcQueue.Out():
			if !ok {
				return
			}
			pendingMu.Lock()
			pending = append(pending, f)
			pendingMu.Unlock()
			select {
			case pendingReady <- struct{}{}:
			default:
			}
		case <-done:
			done = nil
		}
		wakeMain()
	}
}

// wakeMain ends the main thread's sleep in waitForWork, if it sleeps.
func wakeMain() {
	waitMu.Lock()
	defer waitMu.Unlock()
	if waiting {
		postEmptyEvent()
	}
}

// waitForWork sleeps in glfwWaitEventsTimeout until an input event arrives,
// wakeMain is called or idleWakeInterval passes. The events that arrive are
// processed (their callbacks run) before it returns.
func (d *gLDriver) waitForWork() {
	waitMu.Lock()
	waiting = true
	waitMu.Unlock()

	// A func forwarded before waiting was set is in pending by now (the
	// forwarder appends before it reads waiting), and one forwarded after it
	// posts an empty event, which the wait returns for.
	pendingMu.Lock()
	work := len(pending) > 0
	pendingMu.Unlock()
	select {
	case <-d.done:
		work = true
	default:
	}
	if !work {
		waitEvents(idleWakeInterval)
	}

	waitMu.Lock()
	waiting = false
	waitMu.Unlock()
}

// takePendingFuncs empties pending and returns what it held.
func takePendingFuncs() []funcData {
	pendingMu.Lock()
	defer pendingMu.Unlock()
	fs := pending
	pending = nil
	return fs
}

// runPendingFuncs runs the forwarded funcs on the main thread, in order, and
// reports whether there were any.
func runPendingFuncs() bool {
	fs := takePendingFuncs()
	for _, f := range fs {
		f.f()
		if f.done != nil {
			f.done <- struct{}{}
		}
	}
	return len(fs) > 0
}

// releasePendingFuncs releases the callers of forwarded funcs without running
// them, as Fyne's loop does with the funcs still queued at shutdown.
func releasePendingFuncs() {
	for _, f := range takePendingFuncs() {
		if f.done != nil {
			f.done <- struct{}{}
		}
	}
}
