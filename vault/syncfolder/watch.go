package syncfolder

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fsnotify/fsnotify"
)

// newFSWatcher is fsnotify.NewWatcher; tests replace it to watch a folder
// where the system delivers no events.
var newFSWatcher = fsnotify.NewWatcher

// eventSeen, when a test sets it, is told of every event the watcher reads
// from fsnotify and whether it counted as a change.
var eventSeen func(name string, relevant bool)

// The defaults of WatchOptions.
const (
	// DefaultPoll is how often a Watcher polls unless told otherwise.
	DefaultPoll = 3 * time.Second
	// DefaultSettle is how long a Watcher waits for a change to settle
	// unless told otherwise.
	DefaultSettle = 500 * time.Millisecond
)

// WatchOptions tunes a Watcher. The zero value is the defaults.
type WatchOptions struct {
	// Poll is how often the watcher compares the file and its folder with
	// what it saw last (DefaultPoll when zero or less). Polling always
	// runs, because network and FUSE file systems deliver no events.
	Poll time.Duration
	// Settle is how long the watcher waits after a change for more before
	// it reports them as one (DefaultSettle when zero or less).
	Settle time.Duration
	// After, when set, replaces time.After for the settle wait (for tests).
	After func(time.Duration) <-chan time.Time
	// Ticks, when set, replaces a time.Ticker at Poll: each value received
	// on it makes the watcher poll (for tests).
	Ticks <-chan time.Time
}

// Watcher reports changes made from outside to a file in a synced folder:
// its content replaced by a rename, written in place, or the file removed
// and re-created; and a conflict copy of it (see Conflicts) appearing or
// being replaced. Our own companion files and unrelated files in the folder
// are not reported.
type Watcher struct {
	path, dir, base string
	opts            WatchOptions

	changes chan struct{}
	done    chan struct{}
	exited  chan struct{}
	ticker  *time.Ticker      // nil when opts.Ticks drives polling
	fsw     *fsnotify.Watcher // nil when fsnotify could not start
	// watching is whether fsw watches dir; only the loop touches it once
	// Watch has returned.
	watching bool
	polling  atomic.Bool

	closeOnce sync.Once
	closeErr  error
}

// Watch starts watching the file path: it watches the file's folder for
// events (renames replace the file, so a watch on the file itself would
// lose it) and polls the file and the folder every o.Poll. Changes are
// reported on Changes once they settle. When the folder cannot be watched
// for events, polling alone carries on and Polling reports it. The file
// need not exist yet; path must not be a folder. What Watch sees when it
// returns is the state it compares with, so a change right after is
// reported. Close stops it.
func Watch(path string, o WatchOptions) (*Watcher, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("watch %s: %w", path, err)
	}
	if info, err := os.Stat(abs); err == nil && info.IsDir() {
		return nil, fmt.Errorf("watch %s: it is a folder", path)
	}
	if o.Poll <= 0 {
		o.Poll = DefaultPoll
	}
	if o.Settle <= 0 {
		o.Settle = DefaultSettle
	}
	if o.After == nil {
		o.After = time.After
	}
	w := &Watcher{
		path:    abs,
		dir:     filepath.Dir(abs),
		base:    filepath.Base(abs),
		opts:    o,
		changes: make(chan struct{}, 1),
		done:    make(chan struct{}),
		exited:  make(chan struct{}),
	}
	if fsw, err := newFSWatcher(); err == nil {
		w.fsw = fsw
		w.watching = fsw.Add(w.dir) == nil
	}
	w.polling.Store(!w.watching)
	ticks := o.Ticks
	if ticks == nil {
		w.ticker = time.NewTicker(o.Poll)
		ticks = w.ticker.C
	}
	// After the folder watch is set up, so that a change after this
	// snapshot is seen by one or the other.
	last := w.snapshot(snapshot{})
	go w.loop(ticks, last)
	return w, nil
}

// Changes delivers one value after a change settles. It holds at most one:
// changes made before the value is received are reported by that value.
// Close closes it.
func (w *Watcher) Changes() <-chan struct{} { return w.changes }

// Polling reports whether the watcher relies on polling alone, because the
// folder cannot be watched for events (or its watch was lost with the
// folder): a change is then seen only at the next poll.
func (w *Watcher) Polling() bool { return w.polling.Load() }

// Close stops the watcher and its goroutines and closes Changes. Calling it
// again does nothing and returns the same error.
func (w *Watcher) Close() error {
	w.closeOnce.Do(func() {
		close(w.done)
		<-w.exited
		if w.fsw != nil {
			if err := w.fsw.Close(); err != nil {
				w.closeErr = fmt.Errorf("stop watching %s: %w", w.dir, err)
			}
		}
	})
	return w.closeErr
}

// loop is the watcher's one goroutine: it owns last, the settle wait and
// the folder watch's state.
func (w *Watcher) loop(ticks <-chan time.Time, last snapshot) {
	defer close(w.exited)
	defer close(w.changes)
	if w.ticker != nil {
		defer w.ticker.Stop()
	}
	var (
		events <-chan fsnotify.Event
		errs   <-chan error
		settle <-chan time.Time
	)
	if w.fsw != nil {
		events, errs = w.fsw.Events, w.fsw.Errors
	}
	changed := func() {
		if settle == nil {
			settle = w.opts.After(w.opts.Settle)
		}
	}
	for {
		select {
		case <-w.done:
			return
		case ev, ok := <-events:
			if !ok {
				events = nil
				continue
			}
			if ev.Name == w.dir && ev.Op.Has(fsnotify.Remove|fsnotify.Rename) {
				// The folder went away and its watch with it.
				w.watching = false
				w.polling.Store(true)
			}
			relevant := w.relevant(ev)
			if eventSeen != nil {
				eventSeen(ev.Name, relevant)
			}
			if relevant {
				changed()
			}
		case err, ok := <-errs:
			if !ok {
				errs = nil
				continue
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				// Events were lost; one of them may have been ours.
				changed()
			}
		case _, ok := <-ticks:
			if !ok {
				ticks = nil
				continue
			}
			w.rewatch()
			next := w.snapshot(last)
			if next.changedFrom(last) {
				changed()
			}
			last = next
		case <-settle:
			settle = nil
			// What is reported now need not be reported again by a poll.
			last = w.snapshot(last)
			select {
			case w.changes <- struct{}{}:
			default:
			}
		}
	}
}

// rewatch sets the folder watch up again when it was lost or never made
// while fsnotify itself works, for a folder that is back.
func (w *Watcher) rewatch() {
	if w.fsw == nil || w.watching {
		return
	}
	_ = w.fsw.Remove(w.dir)
	if w.fsw.Add(w.dir) == nil {
		w.watching = true
		w.polling.Store(false)
	}
}

// relevant reports whether ev is a change to report: any but a mere chmod
// of the file itself, or a conflict copy that is made or written.
func (w *Watcher) relevant(ev fsnotify.Event) bool {
	if filepath.Dir(ev.Name) != w.dir {
		return false
	}
	name := filepath.Base(ev.Name)
	if name == w.base {
		return ev.Op&^fsnotify.Chmod != 0
	}
	if conflictService(w.base, name) == "" || !ev.Op.Has(fsnotify.Create|fsnotify.Write) {
		return false
	}
	info, err := os.Lstat(ev.Name)
	return err == nil && info.Mode().IsRegular()
}

// stamp is what a poll compares of a conflict copy.
type stamp struct {
	size int64
	mod  time.Time
}

// snapshot is what a poll compares: the file (nil when it is missing) and
// the conflict copies beside it by name.
type snapshot struct {
	file   fs.FileInfo
	copies map[string]stamp
}

// snapshot takes the file's and the folder's state now; when the folder
// cannot be read, it keeps prev's copies.
func (w *Watcher) snapshot(prev snapshot) snapshot {
	var s snapshot
	if info, err := os.Stat(w.path); err == nil {
		// On Windows a FileInfo's identity is read on first use, from
		// the path; read it now, while it still names this file.
		_ = os.SameFile(info, info)
		s.file = info
	}
	entries, err := os.ReadDir(w.dir)
	if err != nil {
		s.copies = prev.copies
		return s
	}
	s.copies = make(map[string]stamp)
	for _, e := range entries {
		if !e.Type().IsRegular() || conflictService(w.base, e.Name()) == "" {
			continue
		}
		if info, err := e.Info(); err == nil {
			s.copies[e.Name()] = stamp{info.Size(), info.ModTime()}
		}
	}
	return s
}

// changedFrom reports whether s differs from old in a way to report: the
// file appeared, went, or was written or replaced; or a conflict copy
// appeared or was written. A copy that went (moved aside) is no change.
func (s snapshot) changedFrom(old snapshot) bool {
	if (s.file == nil) != (old.file == nil) {
		return true
	}
	if s.file != nil && (s.file.Size() != old.file.Size() ||
		!s.file.ModTime().Equal(old.file.ModTime()) || !os.SameFile(s.file, old.file)) {
		return true
	}
	for name, st := range s.copies {
		o, ok := old.copies[name]
		if !ok || o.size != st.size || !o.mod.Equal(st.mod) {
			return true
		}
	}
	return false
}
