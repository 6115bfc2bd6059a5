//go:build windows

package hotkey

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"

	"golang.org/x/sys/windows"
)

var (
	user32                = windows.NewLazySystemDLL("user32.dll")
	procRegisterHotKey    = user32.NewProc("RegisterHotKey")
	procUnregisterHotKey  = user32.NewProc("UnregisterHotKey")
	procGetMessageW       = user32.NewProc("GetMessageW")
	procPeekMessageW      = user32.NewProc("PeekMessageW")
	procPostThreadMessage = user32.NewProc("PostThreadMessageW")
)

// Windows constants (winuser.h).
const (
	modAlt      = 0x0001
	modControl  = 0x0002
	modShift    = 0x0004
	modWin      = 0x0008
	modNoRepeat = 0x4000
	wmHotkey    = 0x0312
	wmQuit      = 0x0012
	wmUser      = 0x0400
	pmNoRemove  = 0x0000
	vkSpace     = 0x20
	vkF1        = 0x70
	hotkeyID    = 1
	// errorHotkeyAlreadyRegistered is ERROR_HOTKEY_ALREADY_REGISTERED.
	errorHotkeyAlreadyRegistered = windows.Errno(1409)
)

// msg is the Win32 MSG structure.
type msg struct {
	hwnd    uintptr
	message uint32
	wParam  uintptr
	lParam  uintptr
	time    uint32
	pt      struct{ x, y int32 }
	private uint32
}

// vk returns the virtual-key code of a canonical key name.
func vk(k string) (uintptr, bool) {
	switch {
	case k == "Space":
		return vkSpace, true
	case len(k) == 1 && (k[0] >= 'A' && k[0] <= 'Z' || k[0] >= '0' && k[0] <= '9'):
		return uintptr(k[0]), true // VK_A.. and VK_0.. are their ASCII codes
	case fNumber(k) > 0:
		return uintptr(vkF1 + fNumber(k) - 1), true
	}
	return 0, false
}

// Register registers c with RegisterHotKey on a locked OS thread running a
// message loop, and calls fire on that thread's goroutine for each
// WM_HOTKEY. Holding the keys down fires once (MOD_NOREPEAT). stop
// unregisters the hotkey and ends the loop (WM_QUIT).
//
// Errors: *ErrTaken when another program holds the combination.
func Register(c Combo, fire func()) (stop func() error, err error) {
	key, ok := vk(c.Key)
	if !ok || c.Mods == 0 {
		return nil, fmt.Errorf("hotkey: %q is not a shortcut this app can register", c.String())
	}
	mods := uintptr(modNoRepeat)
	for m, w := range map[Mod]uintptr{Ctrl: modControl, Alt: modAlt, Shift: modShift, Super: modWin} {
		if c.Mods&m != 0 {
			mods |= w
		}
	}

	type started struct {
		tid uint32
		err error
	}
	ready := make(chan started, 1)
	done := make(chan struct{})
	var stopped atomic.Bool
	go func() {
		defer close(done)
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		r, _, e := procRegisterHotKey.Call(0, hotkeyID, mods, key)
		if r == 0 {
			if errors.Is(e, errorHotkeyAlreadyRegistered) {
				ready <- started{err: &ErrTaken{Combo: c}}
			} else {
				ready <- started{err: fmt.Errorf("hotkey: register %s: %w", c.String(), e)}
			}
			return
		}
		defer procUnregisterHotKey.Call(0, hotkeyID)
		// Make sure the thread has its message queue before stop may
		// post WM_QUIT to it (PostThreadMessage fails without one).
		var m msg
		procPeekMessageW.Call(uintptr(unsafe.Pointer(&m)), 0, wmUser, wmUser, pmNoRemove)
		ready <- started{tid: windows.GetCurrentThreadId()}
		for {
			r, _, _ := procGetMessageW.Call(uintptr(unsafe.Pointer(&m)), 0, 0, 0)
			if int32(r) <= 0 { // 0: WM_QUIT, -1: error
				return
			}
			if m.message == wmHotkey && m.wParam == hotkeyID && !stopped.Load() {
				fire()
			}
		}
	}()
	s := <-ready
	if s.err != nil {
		<-done
		return nil, s.err
	}
	var once sync.Once
	var stopErr error
	return func() error {
		once.Do(func() {
			stopped.Store(true)
			r, _, e := procPostThreadMessage.Call(uintptr(s.tid), wmQuit, 0, 0)
			if r == 0 {
				stopErr = fmt.Errorf("hotkey: end the message loop: %w", e)
				return
			}
			<-done
		})
		return stopErr
	}, nil
}
