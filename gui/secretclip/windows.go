//go:build windows

package secretclip

import (
	"errors"
	"fmt"
	"sync"
	"time"
	"unicode/utf16"
	"unsafe"

	"golang.org/x/sys/windows"
)

// The Windows clipboard, through user32 and kernel32 (loaded from the
// system folder only). Next to the text (CF_UNICODETEXT) a copy carries
// three registered formats that keep it out of Windows' clipboard history
// (Win+V) and off the cloud clipboard that syncs to the user's other
// devices, as KeePassXC's copies do:
//   - ExcludeClipboardContentFromMonitorProcessing (any data): clipboard
//     monitors, history and cloud sync leave the content alone;
//   - CanIncludeInClipboardHistory = 0 (a DWORD);
//   - CanUploadToCloudClipboard = 0 (a DWORD).
var (
	user32   = windows.NewLazySystemDLL("user32.dll")
	kernel32 = windows.NewLazySystemDLL("kernel32.dll")

	openClipboard              = user32.NewProc("OpenClipboard")
	closeClipboard             = user32.NewProc("CloseClipboard")
	emptyClipboard             = user32.NewProc("EmptyClipboard")
	setClipboardData           = user32.NewProc("SetClipboardData")
	registerClipboardFormat    = user32.NewProc("RegisterClipboardFormatW")
	getClipboardSequenceNumber = user32.NewProc("GetClipboardSequenceNumber")
	globalAlloc                = kernel32.NewProc("GlobalAlloc")
	globalLock                 = kernel32.NewProc("GlobalLock")
	globalUnlock               = kernel32.NewProc("GlobalUnlock")
	globalFree                 = kernel32.NewProc("GlobalFree")
	moveMemory                 = kernel32.NewProc("RtlMoveMemory")
)

const (
	cfUnicodeText = 13
	gmemMoveable  = 0x0002
)

// The names of the formats that mark a copy as private.
const (
	formatExclude = "ExcludeClipboardContentFromMonitorProcessing"
	formatHistory = "CanIncludeInClipboardHistory"
	formatCloud   = "CanUploadToCloudClipboard"
)

// Clipboard puts keys on the Windows clipboard, kept out of the clipboard
// history and the cloud clipboard.
type Clipboard struct {
	mu      sync.Mutex
	formats [3]uintptr // exclude, history, cloud
	text    string     // what Set put there
	seq     uintptr    // the clipboard's sequence number right after
	owned   bool
}

// New registers the private formats. It fails when user32 does not
// answer (ErrUnsupported, wrapped).
func New() (*Clipboard, error) {
	if err := user32.Load(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnsupported, err)
	}
	c := &Clipboard{}
	for i, name := range []string{formatExclude, formatHistory, formatCloud} {
		p, err := windows.UTF16PtrFromString(name)
		if err != nil {
			return nil, err
		}
		f, _, callErr := registerClipboardFormat.Call(uintptr(unsafe.Pointer(p)))
		if f == 0 {
			return nil, fmt.Errorf("%w: register %s: %w", ErrUnsupported, name, callErr)
		}
		c.formats[i] = f
	}
	return c, nil
}

// open opens the clipboard, waiting a little for another program that
// has it open (they hold it only for moments).
func open() error {
	var err error
	for range 10 {
		r, _, callErr := openClipboard.Call(0)
		if r != 0 {
			return nil
		}
		err = callErr
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("secretclip: the clipboard is busy: %w", err)
}

// global copies b into a new movable global memory block, as
// SetClipboardData takes it.
func global(b []byte) (uintptr, error) {
	h, _, err := globalAlloc.Call(gmemMoveable, uintptr(len(b)))
	if h == 0 {
		return 0, fmt.Errorf("secretclip: GlobalAlloc: %w", err)
	}
	p, _, err := globalLock.Call(h)
	if p == 0 {
		globalFree.Call(h)
		return 0, fmt.Errorf("secretclip: GlobalLock: %w", err)
	}
	if len(b) > 0 {
		// Copied by the system, so that no Go pointer is made from the
		// block's address.
		moveMemory.Call(p, uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)))
	}
	globalUnlock.Call(h)
	return h, nil
}

// put hands data to the clipboard in format f; the clipboard owns the
// memory once that succeeded, and it is freed here otherwise.
func put(f uintptr, data []byte) error {
	h, err := global(data)
	if err != nil {
		return err
	}
	if r, _, callErr := setClipboardData.Call(f, h); r == 0 {
		globalFree.Call(h)
		return fmt.Errorf("secretclip: SetClipboardData: %w", callErr)
	}
	return nil
}

// utf16z is s as UTF-16 with a terminating zero, in bytes (little-endian,
// as the clipboard stores CF_UNICODETEXT).
func utf16z(s string) []byte {
	u := utf16.Encode([]rune(s))
	b := make([]byte, 2*len(u)+2)
	for i, r := range u {
		b[2*i], b[2*i+1] = byte(r), byte(r>>8)
	}
	return b
}

// Set puts text on the clipboard with the private formats; "" empties the
// clipboard if this copy's text is still there.
func (c *Clipboard) Set(text string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if text == "" {
		if !c.ownsLocked() {
			c.owned, c.text = false, ""
			return nil
		}
		if err := open(); err != nil {
			return err
		}
		emptyClipboard.Call()
		closeClipboard.Call()
		c.owned, c.text = false, ""
		return nil
	}
	if err := open(); err != nil {
		return err
	}
	defer closeClipboard.Call()
	if r, _, callErr := emptyClipboard.Call(); r == 0 {
		return fmt.Errorf("secretclip: EmptyClipboard: %w", callErr)
	}
	data := utf16z(text)
	err := put(cfUnicodeText, data)
	clear(data)
	if err != nil {
		return err
	}
	zero := []byte{0, 0, 0, 0} // a DWORD 0: "no"
	var errs []error
	for _, f := range c.formats {
		if err := put(f, zero); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		// The key is on the clipboard without its marks: take it off, so
		// that the caller's plain copy is not mistaken for a private one.
		emptyClipboard.Call()
		return err
	}
	seq, _, _ := getClipboardSequenceNumber.Call()
	c.text, c.seq, c.owned = text, seq, true
	return nil
}

// ownsLocked reports whether the clipboard still holds what Set put there:
// nothing has changed it since (its sequence number is the same).
func (c *Clipboard) ownsLocked() bool {
	if !c.owned {
		return false
	}
	seq, _, _ := getClipboardSequenceNumber.Call()
	return seq == c.seq
}

// Owns reports what Set put on the clipboard, while it is still there.
func (c *Clipboard) Owns() (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ownsLocked() {
		return c.text, true
	}
	return "", false
}

// Close forgets the copy (the clipboard keeps it until the caller's clear
// or another copy).
func (c *Clipboard) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.owned, c.text = false, ""
	return nil
}
