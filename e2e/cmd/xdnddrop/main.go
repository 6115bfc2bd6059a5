// Command xdnddrop drops files on an X11 window the way a file manager
// does, speaking the XDND protocol (version 5) as the drag source, for the
// real-window tests of dropping a file on Keyshelf (e2e/drop_test.go).
//
//	xdnddrop [-x X -y Y] [-timeout 10s] WINDOW FILE...
//
// WINDOW is the target's X window ID (decimal or 0x hex, as xdotool prints
// it), X and Y the drop point inside it (default its middle). It announces
// text/uri-list (XdndEnter), moves over the point (XdndPosition), waits
// for the target to accept (XdndStatus), drops (XdndDrop), hands over the
// files' file:// URIs when the target asks for the XdndSelection, and
// waits for XdndFinished. It exits 0 once the target has finished, 1 when
// the target refuses or does not answer in time.
package main

import (
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"
)

func main() {
	px := flag.Int("x", -1, "drop point's `X` inside the window (default: its middle)")
	py := flag.Int("y", -1, "drop point's `Y` inside the window (default: its middle)")
	timeout := flag.Duration("timeout", 10*time.Second, "give up after this long")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: xdnddrop [-x X -y Y] [-timeout D] WINDOW FILE...")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() < 2 {
		flag.Usage()
		os.Exit(2)
	}
	id, err := strconv.ParseUint(flag.Arg(0), 0, 32)
	if err != nil {
		fmt.Fprintln(os.Stderr, "xdnddrop: WINDOW:", err)
		os.Exit(2)
	}
	var uris []string
	for _, f := range flag.Args()[1:] {
		abs, err := filepath.Abs(f)
		if err != nil {
			fmt.Fprintln(os.Stderr, "xdnddrop:", err)
			os.Exit(2)
		}
		uris = append(uris, (&url.URL{Scheme: "file", Path: abs}).String())
	}
	if err := drop(xproto.Window(id), *px, *py, uris, *timeout); err != nil {
		fmt.Fprintln(os.Stderr, "xdnddrop:", err)
		os.Exit(1)
	}
}

func drop(target xproto.Window, px, py int, uris []string, timeout time.Duration) error {
	x, err := xgb.NewConn()
	if err != nil {
		return err
	}
	defer x.Close()
	screen := xproto.Setup(x).DefaultScreen(x)
	atoms := map[string]xproto.Atom{}
	for _, n := range []string{"XdndAware", "XdndEnter", "XdndPosition", "XdndStatus", "XdndDrop", "XdndFinished",
		"XdndSelection", "XdndActionCopy", "text/uri-list"} {
		r, err := xproto.InternAtom(x, false, uint16(len(n)), n).Reply()
		if err != nil {
			return fmt.Errorf("intern %s: %w", n, err)
		}
		atoms[n] = r.Atom
	}
	if aware, err := xproto.GetProperty(x, false, target, atoms["XdndAware"], xproto.AtomAtom, 0, 1).Reply(); err != nil || aware.ValueLen == 0 {
		return errors.New("the window does not take drops (no XdndAware)")
	}

	// The source: an unmapped window that owns the XdndSelection.
	src, err := xproto.NewWindowId(x)
	if err != nil {
		return err
	}
	if err := xproto.CreateWindowChecked(x, 0, src, screen.Root, 0, 0, 1, 1, 0, xproto.WindowClassInputOnly,
		screen.RootVisual, 0, nil).Check(); err != nil {
		return fmt.Errorf("create the source window: %w", err)
	}
	if err := xproto.SetSelectionOwnerChecked(x, src, atoms["XdndSelection"], xproto.TimeCurrentTime).Check(); err != nil {
		return fmt.Errorf("own the XdndSelection: %w", err)
	}

	geo, err := xproto.GetGeometry(x, xproto.Drawable(target)).Reply()
	if err != nil {
		return fmt.Errorf("the window's geometry: %w", err)
	}
	if px < 0 {
		px = int(geo.Width) / 2
	}
	if py < 0 {
		py = int(geo.Height) / 2
	}
	pos, err := xproto.TranslateCoordinates(x, target, screen.Root, int16(px), int16(py)).Reply()
	if err != nil {
		return fmt.Errorf("the drop point: %w", err)
	}

	send := func(typ xproto.Atom, data [5]uint32) error {
		ev := xproto.ClientMessageEvent{Format: 32, Window: target, Type: typ, Data: xproto.ClientMessageDataUnionData32New(data[:])}
		return xproto.SendEventChecked(x, false, target, xproto.EventMaskNoEvent, string(ev.Bytes())).Check()
	}
	if err := send(atoms["XdndEnter"], [5]uint32{uint32(src), 5 << 24, uint32(atoms["text/uri-list"])}); err != nil {
		return fmt.Errorf("XdndEnter: %w", err)
	}
	point := uint32(uint16(pos.DstX))<<16 | uint32(uint16(pos.DstY))
	if err := send(atoms["XdndPosition"], [5]uint32{uint32(src), 0, point, xproto.TimeCurrentTime, uint32(atoms["XdndActionCopy"])}); err != nil {
		return fmt.Errorf("XdndPosition: %w", err)
	}

	type result struct {
		ev  xgb.Event
		err error
	}
	events := make(chan result)
	go func() {
		for {
			ev, err := x.WaitForEvent()
			if ev == nil && err == nil {
				close(events)
				return
			}
			events <- result{ev, err}
		}
	}()
	deadline := time.After(timeout)
	dropped := false
	payload := strings.Join(uris, "\r\n") + "\r\n"
	for {
		select {
		case <-deadline:
			if dropped {
				return errors.New("the target did not finish the drop in time")
			}
			return errors.New("the target did not answer XdndPosition in time")
		case r, ok := <-events:
			if !ok {
				return errors.New("the X connection closed")
			}
			if r.err != nil {
				return fmt.Errorf("the X server reported an error: %w", r.err)
			}
			switch ev := r.ev.(type) {
			case xproto.ClientMessageEvent:
				d := ev.Data.Data32
				switch ev.Type {
				case atoms["XdndStatus"]:
					if dropped {
						continue
					}
					if d[1]&1 == 0 {
						return errors.New("the target refuses the drop (XdndStatus: not accepted)")
					}
					dropped = true
					if err := send(atoms["XdndDrop"], [5]uint32{uint32(src), 0, xproto.TimeCurrentTime}); err != nil {
						return fmt.Errorf("XdndDrop: %w", err)
					}
				case atoms["XdndFinished"]:
					// XDND says bit 0 of data.l[1] is "accepted", but GLFW
					// (x11_window.c, SelectionNotify) puts the number of
					// bytes it read there: an even-length URI list would read
					// as refused. Any non-zero word is taken as accepted.
					if len(d) > 1 && d[1] == 0 {
						return errors.New("the target finished without taking the files")
					}
					return nil
				}
			case xproto.SelectionRequestEvent:
				// The target asks for the files: text/uri-list into its property.
				prop := ev.Property
				if ev.Target == atoms["text/uri-list"] {
					if prop == xproto.AtomNone {
						prop = ev.Target
					}
					xproto.ChangeProperty(x, xproto.PropModeReplace, ev.Requestor, prop, ev.Target, 8, uint32(len(payload)), []byte(payload))
				} else {
					prop = xproto.AtomNone
				}
				n := xproto.SelectionNotifyEvent{Time: ev.Time, Requestor: ev.Requestor, Selection: ev.Selection, Target: ev.Target, Property: prop}
				xproto.SendEvent(x, false, ev.Requestor, xproto.EventMaskNoEvent, string(n.Bytes()))
			}
		}
	}
}
