//go:build (linux && !android) || freebsd || openbsd || netbsd || dragonfly

package secretclip

import (
	"bytes"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

// wlCopy puts keys on the Wayland clipboard through wl-copy (the
// wl-clipboard package), which compositors with the data-control protocol
// (wlroots ones such as Sway, KDE Plasma) let set and clear the clipboard
// without the keyboard focus. On Wayland the clipboard follows the
// keyboard focus, and some desktops do not take a clear from a program
// whose window is not focused (GNOME's, keepassxreboot/keepassxc#4498), so
// a key could stay on the clipboard past its clear time once the user had
// moved on to another window. Fyne draws through XWayland there; Sway's
// XWayland passes an unfocused X program's clear on (tried here), but
// that is the compositor's choice, and wl-copy does not depend on it.
//
// One wl-copy process serves the key in the foreground while it is on the
// clipboard: ending it empties the clipboard, and it ends by itself when
// another program puts something else there, which is how Owns knows.
// The key reaches it on its standard input, never on its command line.
// wl-copy 2.1 offers text types only, so there is no password-manager hint
// on Wayland.
type wlCopy struct {
	copyPath, pastePath string
	settle              time.Duration // the longest Set waits to see the key on the clipboard

	mu  sync.Mutex
	cur *wlServing // nil when the clipboard holds nothing of ours
}

type wlServing struct {
	cmd  *exec.Cmd
	text string
	done chan struct{} // closed when wl-copy has exited
}

// wlTextType is the type wl-copy offers the key as (with text/plain,
// UTF8_STRING, TEXT and STRING, which it adds for text).
const wlTextType = "text/plain;charset=utf-8"

// newWLCopy finds wl-copy and wl-paste on the PATH.
func newWLCopy(lookPath func(string) (string, error)) (*wlCopy, error) {
	cp, err := lookPath("wl-copy")
	if err != nil {
		return nil, fmt.Errorf("%w: wl-copy not found (install wl-clipboard)", ErrUnsupported)
	}
	paste, err := lookPath("wl-paste")
	if err != nil {
		return nil, fmt.Errorf("%w: wl-paste not found (install wl-clipboard)", ErrUnsupported)
	}
	return &wlCopy{copyPath: cp, pastePath: paste, settle: 2 * time.Second}, nil
}

// set puts text on the clipboard and returns once it reads back from there;
// "" empties the clipboard if it still holds what set put there.
func (w *wlCopy) set(text string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.stopLocked()
	if text == "" {
		return nil
	}
	s := &wlServing{text: text, done: make(chan struct{})}
	var stderr bytes.Buffer
	s.cmd = exec.Command(w.copyPath, "--foreground", "--type", wlTextType)
	s.cmd.Stdin = strings.NewReader(text)
	s.cmd.Stderr = &stderr
	if err := s.cmd.Start(); err != nil {
		return fmt.Errorf("secretclip: start wl-copy: %w", err)
	}
	go func() {
		_ = s.cmd.Wait()
		close(s.done)
	}()
	// wl-copy says nothing once it serves, so read the clipboard back.
	deadline := time.Now().Add(w.settle)
	for {
		if got, err := w.paste(); err == nil && got == text {
			w.cur = s
			return nil
		}
		select {
		case <-s.done:
			// Its message is about the compositor, never the key.
			return fmt.Errorf("secretclip: wl-copy failed: %s", strings.TrimSpace(stderr.String()))
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			w.end(s)
			return errors.New("secretclip: the key did not reach the Wayland clipboard")
		}
	}
}

// paste reads the clipboard's text with wl-paste.
func (w *wlCopy) paste() (string, error) {
	out, err := exec.Command(w.pastePath, "--no-newline", "--type", wlTextType).Output()
	return string(out), err
}

// owns reports what set put on the clipboard while it is still there.
func (w *wlCopy) owns() (string, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.cur == nil {
		return "", false
	}
	select {
	case <-w.cur.done:
		w.cur = nil // another program took the clipboard
		return "", false
	default:
		return w.cur.text, true
	}
}

// stopLocked ends the wl-copy that serves our text, which empties the
// clipboard; one that has ended already (the clipboard was taken) leaves
// the other program's content alone.
func (w *wlCopy) stopLocked() {
	if w.cur != nil {
		w.end(w.cur)
		w.cur = nil
	}
}

// end stops s and waits for it to go.
func (w *wlCopy) end(s *wlServing) {
	select {
	case <-s.done:
		return
	default:
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(2 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.done
	}
}

// close empties the clipboard if it still holds our text.
func (w *wlCopy) close() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.stopLocked()
}
