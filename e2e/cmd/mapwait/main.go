// Command mapwait starts a program and prints how long it took until the X
// server mapped a top-level window of it whose title matches a pattern, for
// start-up measurements (scripts/measure-peer.sh, scripts/measure-startup.sh).
//
//	mapwait [-name REGEXP] [-timeout 30s] [-keep] -- PROGRAM ARGS...
//
// It listens for the map itself (a MapNotify on the root window, with
// SubstructureNotify selected before the program starts), so the figure
// carries no polling interval and no cost of starting a probe process; the
// clock starts just before the program is executed. "Mapped" is what a
// window manager and xdotool --onlyvisible see; the first frame may follow
// a few milliseconds later. Without a window manager the program's
// top-level windows are the root's children.
//
// It prints the milliseconds on standard output, then stops the program
// (SIGTERM) unless -keep is given, in which case it prints the program's
// process ID on a second line and leaves it running. The program's own
// standard input is mapwait's, and its output goes to mapwait's standard error.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"syscall"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"
)

func main() {
	name := flag.String("name", ".", "`regexp` the window's title must match")
	timeout := flag.Duration("timeout", 30*time.Second, "give up after this long")
	keep := flag.Bool("keep", false, "leave the program running and print its process ID")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: mapwait [-name REGEXP] [-timeout D] [-keep] -- PROGRAM ARGS...")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() < 1 {
		flag.Usage()
		os.Exit(2)
	}
	re, err := regexp.Compile(*name)
	if err != nil {
		fmt.Fprintln(os.Stderr, "mapwait: -name:", err)
		os.Exit(2)
	}
	if err := run(re, *timeout, *keep, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "mapwait:", err)
		os.Exit(1)
	}
}

func run(re *regexp.Regexp, timeout time.Duration, keep bool, argv []string) error {
	x, err := xgb.NewConn()
	if err != nil {
		return fmt.Errorf("connect to the X server: %w", err)
	}
	defer x.Close()
	root := xproto.Setup(x).DefaultScreen(x).Root
	mask := []uint32{xproto.EventMaskSubstructureNotify}
	if err := xproto.ChangeWindowAttributesChecked(x, root, xproto.CwEventMask, mask).Check(); err != nil {
		return fmt.Errorf("watch the root window: %w", err)
	}
	netName, err := atom(x, "_NET_WM_NAME")
	if err != nil {
		return err
	}
	utf8, err := atom(x, "UTF8_STRING")
	if err != nil {
		return err
	}
	title := func(w xproto.Window) string {
		if r, err := xproto.GetProperty(x, false, w, netName, utf8, 0, 1024).Reply(); err == nil && r.ValueLen > 0 {
			return string(r.Value)
		}
		if r, err := xproto.GetProperty(x, false, w, xproto.AtomWmName, xproto.GetPropertyTypeAny, 0, 1024).Reply(); err == nil {
			return string(r.Value)
		}
		return ""
	}

	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stderr, os.Stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stop := func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
	}

	type found struct {
		at  time.Duration
		err error
	}
	events := make(chan found, 1)
	go func() {
		mapped := map[xproto.Window]bool{}
		for {
			ev, xerr := x.WaitForEvent()
			if ev == nil && xerr == nil {
				events <- found{err: errors.New("the X connection closed")}
				return
			}
			at := time.Since(start)
			var w xproto.Window
			switch e := ev.(type) {
			case xproto.MapNotifyEvent:
				w = e.Window
				mapped[w] = true
				// A title set after the map arrives as a property change.
				xproto.ChangeWindowAttributes(x, w, xproto.CwEventMask,
					[]uint32{xproto.EventMaskPropertyChange})
			case xproto.UnmapNotifyEvent:
				delete(mapped, e.Window)
				continue
			case xproto.PropertyNotifyEvent:
				if !mapped[e.Window] {
					continue
				}
				w = e.Window
			default:
				continue
			}
			if re.MatchString(title(w)) {
				events <- found{at: at}
				return
			}
		}
	}()

	select {
	case f := <-events:
		if f.err != nil {
			stop()
			return f.err
		}
		fmt.Println(f.at.Milliseconds())
		if keep {
			fmt.Println(cmd.Process.Pid)
			return nil
		}
		stop()
		return nil
	case err := <-exited:
		return fmt.Errorf("the program ended before it showed a window: %v", err)
	case <-time.After(timeout):
		stop()
		return fmt.Errorf("no window titled %q within %v", re, timeout)
	}
}

func atom(x *xgb.Conn, name string) (xproto.Atom, error) {
	r, err := xproto.InternAtom(x, false, uint16(len(name)), name).Reply()
	if err != nil {
		return 0, fmt.Errorf("intern %s: %w", name, err)
	}
	return r.Atom, nil
}
