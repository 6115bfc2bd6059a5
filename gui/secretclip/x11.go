//go:build (linux && !android) || freebsd || openbsd || netbsd || dragonfly

package secretclip

import (
	"errors"
	"fmt"
	"os"
	"sync"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"
)

// Clipboard owns the X11 CLIPBOARD selection while it holds a key, and
// answers other programs' requests for it from its own connection and
// window (an unmapped input-only window).
type Clipboard struct {
	conn *xgb.Conn
	win  xproto.Window
	a    atoms

	mu    sync.Mutex
	data  []byte // what we offer; nil when we do not own the selection
	owned bool
	done  chan struct{}
}

type atoms struct {
	clipboard, targets, utf8, text, plain, plainUTF8, hint, atom, multiple, timestamp xproto.Atom
}

// New connects to the X display ($DISPLAY). On a Wayland session that is
// XWayland, where Fyne's window is drawn too: XWayland hands the selection,
// the hint among its types, on to Wayland programs, and takes it back when
// Set("") gives it up. Without $DISPLAY it returns ErrUnsupported.
func New() (*Clipboard, error) {
	if os.Getenv("DISPLAY") == "" {
		return nil, ErrUnsupported
	}
	conn, err := xgb.NewConn()
	if err != nil {
		return nil, fmt.Errorf("secretclip: connect to the X server: %w", err)
	}
	c := &Clipboard{conn: conn, done: make(chan struct{})}
	if err := c.setup(); err != nil {
		conn.Close()
		return nil, err
	}
	go c.serve()
	return c, nil
}

func (c *Clipboard) setup() error {
	names := []struct {
		p    *xproto.Atom
		name string
	}{
		{&c.a.clipboard, "CLIPBOARD"}, {&c.a.targets, "TARGETS"}, {&c.a.utf8, "UTF8_STRING"},
		{&c.a.text, "TEXT"}, {&c.a.plain, "text/plain"}, {&c.a.plainUTF8, "text/plain;charset=utf-8"},
		{&c.a.hint, HintTarget}, {&c.a.multiple, "MULTIPLE"}, {&c.a.timestamp, "TIMESTAMP"},
	}
	for _, n := range names {
		r, err := xproto.InternAtom(c.conn, false, uint16(len(n.name)), n.name).Reply()
		if err != nil {
			return fmt.Errorf("secretclip: intern %s: %w", n.name, err)
		}
		*n.p = r.Atom
	}
	c.a.atom = xproto.AtomAtom
	screen := xproto.Setup(c.conn).DefaultScreen(c.conn)
	win, err := xproto.NewWindowId(c.conn)
	if err != nil {
		return fmt.Errorf("secretclip: %w", err)
	}
	if err := xproto.CreateWindowChecked(c.conn, 0, win, screen.Root, -10, -10, 1, 1, 0,
		xproto.WindowClassInputOnly, screen.RootVisual, 0, nil).Check(); err != nil {
		return fmt.Errorf("secretclip: create its window: %w", err)
	}
	c.win = win
	return nil
}

// Set puts text on the clipboard, with the secret hint. An empty text gives
// the clipboard up instead (it is then empty, unless another program keeps
// a copy, which the hint asks them not to).
func (c *Clipboard) Set(text string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.data)
	if text == "" {
		c.data, c.owned = nil, false
		return xproto.SetSelectionOwnerChecked(c.conn, xproto.WindowNone, c.a.clipboard, xproto.TimeCurrentTime).Check()
	}
	c.data = []byte(text)
	if err := xproto.SetSelectionOwnerChecked(c.conn, c.win, c.a.clipboard, xproto.TimeCurrentTime).Check(); err != nil {
		c.data = nil
		return fmt.Errorf("secretclip: take the clipboard: %w", err)
	}
	r, err := xproto.GetSelectionOwner(c.conn, c.a.clipboard).Reply()
	if err != nil || r.Owner != c.win {
		clear(c.data)
		c.data = nil
		return errors.New("secretclip: the X server did not give the clipboard")
	}
	c.owned = true
	return nil
}

// Owns reports whether the clipboard still holds what Set put there: false
// once another program has taken it (or after Set("")).
func (c *Clipboard) Owns() (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return string(c.data), c.owned
}

// Close gives the clipboard up if it is ours and ends the connection.
func (c *Clipboard) Close() error {
	c.mu.Lock()
	if c.owned {
		_ = xproto.SetSelectionOwnerChecked(c.conn, xproto.WindowNone, c.a.clipboard, xproto.TimeCurrentTime).Check()
	}
	clear(c.data)
	c.data, c.owned = nil, false
	c.mu.Unlock()
	c.conn.Close()
	<-c.done
	return nil
}

// serve answers the X server's selection events until the connection ends.
func (c *Clipboard) serve() {
	defer close(c.done)
	for {
		ev, err := c.conn.WaitForEvent()
		if ev == nil && err == nil {
			return // closed
		}
		switch e := ev.(type) {
		case xproto.SelectionClearEvent:
			if e.Selection == c.a.clipboard {
				c.mu.Lock()
				clear(c.data)
				c.data, c.owned = nil, false
				c.mu.Unlock()
			}
		case xproto.SelectionRequestEvent:
			c.answer(e)
		}
	}
}

// answer gives a requestor the target it asked for, in the property it
// named, and tells it with a SelectionNotify (property None: refused).
func (c *Clipboard) answer(e xproto.SelectionRequestEvent) {
	prop := e.Property
	if prop == xproto.AtomNone {
		prop = e.Target // an obsolete client
	}
	c.mu.Lock()
	data, owned := c.data, c.owned
	var err error
	switch {
	case !owned || e.Selection != c.a.clipboard:
		prop = xproto.AtomNone
	case e.Target == c.a.targets:
		list := []xproto.Atom{c.a.targets, c.a.timestamp, c.a.utf8, c.a.plainUTF8, c.a.plain, c.a.text, xproto.AtomString, c.a.hint}
		buf := make([]byte, 4*len(list))
		for i, a := range list {
			xgb.Put32(buf[4*i:], uint32(a))
		}
		err = c.put(e.Requestor, prop, c.a.atom, 32, buf)
	case e.Target == c.a.hint:
		err = c.put(e.Requestor, prop, c.a.utf8, 8, []byte(HintValue))
	case e.Target == c.a.utf8, e.Target == c.a.plainUTF8, e.Target == c.a.plain, e.Target == c.a.text, e.Target == xproto.AtomString:
		typ := e.Target
		if typ == c.a.text {
			typ = c.a.utf8
		}
		err = c.put(e.Requestor, prop, typ, 8, data)
	default:
		prop = xproto.AtomNone // MULTIPLE and the rest: not offered
	}
	c.mu.Unlock()
	if err != nil {
		prop = xproto.AtomNone
	}
	notify := xproto.SelectionNotifyEvent{Time: e.Time, Requestor: e.Requestor, Selection: e.Selection, Target: e.Target, Property: prop}
	xproto.SendEvent(c.conn, false, e.Requestor, xproto.EventMaskNoEvent, string(notify.Bytes()))
}

func (c *Clipboard) put(w xproto.Window, prop, typ xproto.Atom, format byte, data []byte) error {
	n := uint32(len(data)) / uint32(format/8)
	return xproto.ChangePropertyChecked(c.conn, xproto.PropModeReplace, w, prop, typ, format, n, data).Check()
}
