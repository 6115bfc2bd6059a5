//go:build darwin && !ios

package desktop

import (
	"runtime"
	"sync"

	"github.com/ebitengine/purego"
	"github.com/ebitengine/purego/objc"
)

// Supported reports whether Watch can report anything on this system. Here
// it can: the screen-lock and NSWorkspace notifications.
const Supported = true

// appKit holds NSWorkspace (and loads Foundation, which holds the
// notification centers).
const appKit = "/System/Library/Frameworks/AppKit.framework/AppKit"

// deliverImmediately is NSNotificationSuspensionBehaviorDeliverImmediately.
// AppKit suspends distributed notifications while the app is not active,
// and the screen mostly locks while another app is in front: without it
// the lock would come only when Keyshelf is next activated.
const deliverImmediately uint = 4

// The Objective-C runtime's pieces, set up once by load.
var (
	loadOnce sync.Once
	loaded   bool

	observerClass objc.Class
	selNew, selRelease, selDrain, selNotice, selName, selUTF8String,
	selStringWithUTF8, selDefaultCenter, selSharedWorkspace, selNotificationCenter,
	selAddObserverDistributed, selAddObserver, selRemoveObserver objc.SEL
	classPool, classString, classDistributed, classWorkspace objc.Class

	observersMu sync.Mutex
	observers   = map[objc.ID]*watcher{} // by observer object
)

// Watch starts watching the session in the background and calls on, one
// event at a time, for each event until stop is called. on runs on the
// main thread, where AppKit delivers these notifications (distributed
// ones always go through the main thread's run loop, whatever queue an
// observer names), so it must not block; the gui's fyne.Do does not.
//
// An observer object of our own class (made with purego's Objective-C
// runtime, no cgo) listens to NSDistributedNotificationCenter for
// com.apple.screenIsLocked and to NSWorkspace's notification center for
// sleep, wake-up and power-off. Anything missing or failing means no
// events and no error.
func Watch(on func(Event)) (stop func()) { return watch(on).stop }

func watch(on func(Event)) *watcher {
	w := &watcher{gate: gate{on: on}, started: make(chan struct{})}
	go w.start()
	return w
}

// watcher turns the notifications to its observer into events.
type watcher struct {
	gate
	started chan struct{} // closed when start returns, with or without an observer

	obs     objc.ID   // our observer, retained; 0 until it is registered
	centers []objc.ID // where obs is registered
}

// load finds the frameworks and classes and registers the observer class,
// once; it reports whether all is there.
func load() bool {
	loadOnce.Do(func() {
		defer func() { _ = recover() }() // purego panics on what it cannot do
		if _, err := purego.Dlopen(appKit, purego.RTLD_GLOBAL|purego.RTLD_NOW); err != nil {
			return
		}
		for _, c := range []struct {
			class *objc.Class
			name  string
		}{
			{&classPool, "NSAutoreleasePool"},
			{&classString, "NSString"},
			{&classDistributed, "NSDistributedNotificationCenter"},
			{&classWorkspace, "NSWorkspace"},
		} {
			if *c.class = objc.GetClass(c.name); *c.class == 0 {
				return
			}
		}
		for _, s := range []struct {
			sel  *objc.SEL
			name string
		}{
			{&selNew, "new"},
			{&selRelease, "release"},
			{&selDrain, "drain"},
			{&selNotice, "keyshelfNotice:"},
			{&selName, "name"},
			{&selUTF8String, "UTF8String"},
			{&selStringWithUTF8, "stringWithUTF8String:"},
			{&selDefaultCenter, "defaultCenter"},
			{&selSharedWorkspace, "sharedWorkspace"},
			{&selNotificationCenter, "notificationCenter"},
			{&selAddObserverDistributed, "addObserver:selector:name:object:suspensionBehavior:"},
			{&selAddObserver, "addObserver:selector:name:object:"},
			{&selRemoveObserver, "removeObserver:"},
		} {
			if *s.sel = objc.RegisterName(s.name); *s.sel == 0 {
				return
			}
		}
		c, err := objc.RegisterClass("KeyshelfSessionObserver", objc.GetClass("NSObject"), nil, nil,
			[]objc.MethodDef{{Cmd: selNotice, Fn: notice}})
		if err != nil {
			return
		}
		observerClass, loaded = c, true
	})
	return loaded
}

// notice is the observer's keyshelfNotice: method, called with the
// NSNotification.
func notice(self objc.ID, _ objc.SEL, note objc.ID) {
	name := ""
	if n := note.Send(selName); n != 0 {
		name = objc.Send[string](n, selUTF8String)
	}
	e, ok := macEvent(name)
	if !ok {
		return
	}
	observersMu.Lock()
	w := observers[self]
	observersMu.Unlock()
	if w != nil {
		w.deliver(e)
	}
}

// start registers an observer; it runs on a goroutine of its own, locked
// to its thread for the autorelease pool.
func (w *watcher) start() {
	defer close(w.started)
	defer func() { _ = recover() }() // a system not as expected: no events
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if !load() {
		return
	}
	pool := objc.ID(classPool).Send(selNew)
	if pool == 0 {
		return
	}
	defer pool.Send(selDrain)

	distributed := objc.ID(classDistributed).Send(selDefaultCenter)
	workspace := objc.ID(classWorkspace).Send(selSharedWorkspace)
	var local objc.ID
	if workspace != 0 {
		local = workspace.Send(selNotificationCenter)
	}
	if distributed == 0 || local == 0 {
		return
	}
	obs := objc.ID(observerClass).Send(selNew)
	if obs == 0 {
		return
	}
	observersMu.Lock()
	observers[obs] = w
	observersMu.Unlock()

	for _, name := range distributedNotes {
		distributed.Send(selAddObserverDistributed, obs, selNotice, nsString(name), objc.ID(0), deliverImmediately)
	}
	for _, name := range workspaceNotes {
		local.Send(selAddObserver, obs, selNotice, nsString(name), objc.ID(0))
	}
	centers := []objc.ID{distributed, local}
	w.mu.Lock()
	if w.stopped { // stop came first: undo
		w.mu.Unlock()
		forget(obs, centers)
		return
	}
	w.obs, w.centers = obs, centers
	w.mu.Unlock()
}

// nsString is an autoreleased NSString holding s.
func nsString(s string) objc.ID {
	return objc.ID(classString).Send(selStringWithUTF8, s)
}

// forget removes obs from the centers and the observers, and releases it.
func forget(obs objc.ID, centers []objc.ID) {
	for _, c := range centers {
		c.Send(selRemoveObserver, obs)
	}
	observersMu.Lock()
	delete(observers, obs)
	observersMu.Unlock()
	obs.Send(selRelease)
}

// stop removes the observer; on is not called after stop returns.
func (w *watcher) stop() {
	w.mu.Lock()
	if w.stopped {
		w.mu.Unlock()
		return
	}
	w.stopped = true
	obs, centers := w.obs, w.centers
	w.obs, w.centers = 0, nil
	w.mu.Unlock()
	if obs != 0 {
		forget(obs, centers)
	}
}
