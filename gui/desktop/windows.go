//go:build windows

package desktop

import (
	"runtime"
	"sync"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

// Supported reports whether Watch can report anything on this system. Here
// it can: a hidden window of our own hears the session and power messages.
const Supported = true

var (
	user32   = windows.NewLazySystemDLL("user32.dll")
	wtsapi32 = windows.NewLazySystemDLL("wtsapi32.dll")

	procRegisterClassExW = user32.NewProc("RegisterClassExW")
	procCreateWindowExW  = user32.NewProc("CreateWindowExW")
	procDestroyWindow    = user32.NewProc("DestroyWindow")
	procDefWindowProcW   = user32.NewProc("DefWindowProcW")
	procGetMessageW      = user32.NewProc("GetMessageW")
	procTranslateMessage = user32.NewProc("TranslateMessage")
	procDispatchMessageW = user32.NewProc("DispatchMessageW")
	procPostMessageW     = user32.NewProc("PostMessageW")
	procPostQuitMessage  = user32.NewProc("PostQuitMessage")
	procWTSRegister      = wtsapi32.NewProc("WTSRegisterSessionNotification")
	procWTSUnRegister    = wtsapi32.NewProc("WTSUnRegisterSessionNotification")
)

const (
	wmDestroy = 0x0002
	wmClose   = 0x0010

	wsPopup              = 0x80000000 // WS_POPUP: no frame (it is never shown anyway)
	wsExToolWindow       = 0x00000080 // WS_EX_TOOLWINDOW: never in the taskbar or Alt+Tab
	notifyForThisSession = 0          // NOTIFY_FOR_THIS_SESSION

	errorClassAlreadyExists = 1410 // ERROR_CLASS_ALREADY_EXISTS
)

// className is the window class of the watchers' windows.
const className = "KeyshelfSessionWatch"

// stopWait bounds how long stop waits for the window's thread to end, so
// that quitting never hangs on it.
const stopWait = time.Second

// wndClassEx is WNDCLASSEXW.
type wndClassEx struct {
	size       uint32
	style      uint32
	wndProc    uintptr
	clsExtra   int32
	wndExtra   int32
	instance   windows.Handle
	icon       windows.Handle
	cursor     windows.Handle
	background windows.Handle
	menuName   *uint16
	className  *uint16
	iconSm     windows.Handle
}

// msg is MSG.
type msg struct {
	hwnd    uintptr
	message uint32
	wParam  uintptr
	lParam  uintptr
	time    uint32
	pt      struct{ x, y int32 }
	private uint32
}

// The window class is registered once per process: a callback made by
// windows.NewCallback is never freed, and there are only so many.
var (
	classOnce  sync.Once
	classUTF16 *uint16
	classInst  windows.Handle
	classReady bool

	windowsMu sync.Mutex
	watchers  = map[uintptr]*watcher{} // by window handle
)

// Watch starts watching the session in the background and calls on, from
// a goroutine of its own and one event at a time, for each event until stop
// is called.
//
// The goroutine, locked to its thread, makes a hidden top-level window (a
// message-only window would miss WM_QUERYENDSESSION and WM_POWERBROADCAST,
// which go only to top-level windows), asks for this session's
// WM_WTSSESSION_CHANGE with WTSRegisterSessionNotification, and runs the
// window's message loop. Anything missing or failing means fewer events,
// or none, and no error.
func Watch(on func(Event)) (stop func()) { return watch(on).stop }

func watch(on func(Event)) *watcher {
	w := &watcher{gate: gate{on: on}, done: make(chan struct{})}
	go w.run()
	return w
}

// testHookReady, when set by a test, is called on the window's thread with
// its handle once the window is ready for messages.
var testHookReady func(hwnd uintptr)

// watcher turns its window's messages into events.
type watcher struct {
	gate
	done chan struct{} // closed when run returns

	hwnd uintptr // 0 until the window is there
}

func (w *watcher) run() {
	defer close(w.done)
	defer func() { _ = recover() }() // a system not as expected: no events
	// A window's messages go to the thread that made it. The thread is
	// never unlocked, so Go ends it when run returns, and Windows takes
	// down whatever window and queue were left on it.
	runtime.LockOSThread()

	if !registerClass() {
		return
	}
	hwnd, _, _ := procCreateWindowExW.Call(wsExToolWindow, uintptr(unsafe.Pointer(classUTF16)),
		uintptr(unsafe.Pointer(classUTF16)), wsPopup, 0, 0, 0, 0, 0, 0, uintptr(classInst), 0)
	if hwnd == 0 {
		return
	}
	w.mu.Lock()
	if w.stopped {
		w.mu.Unlock()
		procDestroyWindow.Call(hwnd)
		return
	}
	w.hwnd = hwnd
	w.mu.Unlock()
	windowsMu.Lock()
	watchers[hwnd] = w
	windowsMu.Unlock()
	defer func() {
		windowsMu.Lock()
		delete(watchers, hwnd)
		windowsMu.Unlock()
	}()

	// Without it (the session service not started yet), sleep and the end
	// of the session still come.
	procWTSRegister.Call(hwnd, notifyForThisSession)
	if testHookReady != nil {
		testHookReady(hwnd)
	}

	var m msg
	for {
		r, _, _ := procGetMessageW.Call(uintptr(unsafe.Pointer(&m)), 0, 0, 0)
		if int32(r) <= 0 { // WM_QUIT, or an error
			return
		}
		procTranslateMessage.Call(uintptr(unsafe.Pointer(&m)))
		procDispatchMessageW.Call(uintptr(unsafe.Pointer(&m)))
	}
}

// registerClass registers the watchers' window class once and reports
// whether it is there and every procedure the watcher calls was found.
func registerClass() bool {
	classOnce.Do(func() {
		for _, p := range []*windows.LazyProc{procRegisterClassExW, procCreateWindowExW,
			procDestroyWindow, procDefWindowProcW, procGetMessageW, procTranslateMessage,
			procDispatchMessageW, procPostMessageW, procPostQuitMessage, procWTSRegister,
			procWTSUnRegister} {
			if p.Find() != nil {
				return
			}
		}
		name, err := windows.UTF16PtrFromString(className)
		if err != nil {
			return
		}
		var inst windows.Handle
		if windows.GetModuleHandleEx(0, nil, &inst) != nil {
			return
		}
		wc := wndClassEx{
			wndProc:   windows.NewCallback(wndProc),
			instance:  inst,
			className: name,
		}
		wc.size = uint32(unsafe.Sizeof(wc))
		if r, _, err := procRegisterClassExW.Call(uintptr(unsafe.Pointer(&wc))); r == 0 &&
			err != windows.Errno(errorClassAlreadyExists) {
			return
		}
		classUTF16, classInst, classReady = name, inst, true
	})
	return classReady
}

// wndProc is the window procedure of every watcher's window. It runs on
// that watcher's thread, inside DispatchMessageW or a message sent to the
// window.
func wndProc(hwnd, message, wParam, lParam uintptr) uintptr {
	switch message {
	case wmClose: // from stop
		procWTSUnRegister.Call(hwnd)
		procDestroyWindow.Call(hwnd)
		return 0
	case wmDestroy:
		procPostQuitMessage.Call(0)
		return 0
	}
	if e, ok := windowsEvent(uint32(message), wParam); ok {
		windowsMu.Lock()
		w := watchers[hwnd]
		windowsMu.Unlock()
		if w != nil {
			w.deliver(e)
		}
	}
	// The default answers are the right ones: TRUE to WM_QUERYENDSESSION
	// (the session may end) and to WM_POWERBROADCAST, 0 to the rest.
	r, _, _ := procDefWindowProcW.Call(hwnd, message, wParam, lParam)
	return r
}

// stop closes the window, which ends its thread's message loop, and waits
// for that a little; on is not called after stop returns.
func (w *watcher) stop() {
	w.mu.Lock()
	if w.stopped {
		w.mu.Unlock()
		return
	}
	w.stopped = true
	hwnd := w.hwnd
	w.mu.Unlock()
	if hwnd != 0 {
		procPostMessageW.Call(hwnd, wmClose, 0, 0)
	}
	select {
	case <-w.done:
	case <-time.After(stopWait):
	}
}
