package syncfolder

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"
)

// deadline bounds every wait on the watcher's goroutine; nothing here
// sleeps.
const deadline = 10 * time.Second

// clock drives a watcher's polling and settle waits: poll makes it poll,
// and every settle wait it starts is handed to the test on asked, to fire
// when the test says.
type clock struct {
	ticks chan time.Time
	asked chan chan time.Time
}

func newClock() *clock {
	return &clock{ticks: make(chan time.Time), asked: make(chan chan time.Time, 64)}
}

// after is the watcher's time.After. The channel is unbuffered, so that
// firing it returns only once the watcher has taken it.
func (c *clock) after(time.Duration) <-chan time.Time {
	ch := make(chan time.Time)
	c.asked <- ch
	return ch
}

// poll makes the watcher poll, and returns once it has compared: the
// second tick is taken only after the first is handled.
func (c *clock) poll(t *testing.T) {
	t.Helper()
	for range 2 {
		select {
		case c.ticks <- time.Now():
		case <-time.After(deadline):
			t.Fatal("the watcher does not poll")
		}
	}
}

// settleAsked waits for the watcher to start a settle wait.
func (c *clock) settleAsked(t *testing.T) chan time.Time {
	t.Helper()
	select {
	case ch := <-c.asked:
		return ch
	case <-time.After(deadline):
		t.Fatal("no change was seen")
		return nil
	}
}

// noSettleAsked checks that the watcher started no settle wait.
func (c *clock) noSettleAsked(t *testing.T) {
	t.Helper()
	select {
	case <-c.asked:
		t.Error("a change was seen")
	default:
	}
}

// fire ends a settle wait.
func fire(t *testing.T, settle chan time.Time) {
	t.Helper()
	select {
	case settle <- time.Now():
	case <-time.After(deadline):
		t.Fatal("the watcher does not take its settle wait's end")
	}
}

func changeReported(t *testing.T, w *Watcher) {
	t.Helper()
	select {
	case _, ok := <-w.Changes():
		if !ok {
			t.Fatal("Changes was closed")
		}
	case <-time.After(deadline):
		t.Fatal("no change was reported")
	}
}

func noChangePending(t *testing.T, w *Watcher) {
	t.Helper()
	select {
	case <-w.Changes():
		t.Error("a change was reported")
	default:
	}
}

// noFSNotify makes the watchers started in t find no fsnotify.
func noFSNotify(t *testing.T) {
	newFSWatcher = func() (*fsnotify.Watcher, error) { return nil, errors.New("no inotify here") }
	t.Cleanup(func() { newFSWatcher = fsnotify.NewWatcher })
}

// traceEvents records the fsnotify events that watchers started in t read.
func traceEvents(t *testing.T) <-chan traced {
	seen := make(chan traced, 1024)
	eventSeen = func(name string, relevant bool) { seen <- traced{name, relevant} }
	t.Cleanup(func() { eventSeen = nil })
	return seen
}

type traced struct {
	name     string
	relevant bool
}

// waitTraced returns the events traced up to and including the first one
// for name.
func waitTraced(t *testing.T, seen <-chan traced, name string) []traced {
	t.Helper()
	var got []traced
	for {
		select {
		case ev := <-seen:
			got = append(got, ev)
			if ev.name == name {
				return got
			}
		case <-time.After(deadline):
			t.Fatalf("no event for %s; saw %v", name, got)
		}
	}
}

// start watches path on clock c; Close runs at the end of the test.
func start(t *testing.T, path string, c *clock) *Watcher {
	t.Helper()
	w, err := Watch(path, WatchOptions{After: c.after, Ticks: c.ticks})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := w.Close(); err != nil {
			t.Error(err)
		}
	})
	return w
}

// vaultIn makes a folder holding vault.keyshelf and returns the vault's
// path.
func vaultIn(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "vault.keyshelf")
	writeFile(t, path, "version 1", 0o600)
	return path
}

// changes are what a watcher reports, each made to the vault at path.
var changes = []struct {
	name   string
	change func(t *testing.T, path string)
}{
	{"rename over the file", func(t *testing.T, path string) {
		// Same size and time: only the file's identity tells.
		info, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		tmp := filepath.Join(filepath.Dir(path), ".vault.keyshelf.tmp-1")
		writeFile(t, tmp, "version 2", 0o600)
		if err := os.Chtimes(tmp, info.ModTime(), info.ModTime()); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, path); err != nil {
			t.Fatal(err)
		}
	}},
	{"write in place", func(t *testing.T, path string) {
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.WriteAt([]byte("version 2, longer"), 0); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
	}},
	{"remove and re-create", func(t *testing.T, path string) {
		if err := os.Remove(path); err != nil {
			t.Fatal(err)
		}
		writeFile(t, path, "version 2, re-made", 0o600)
	}},
	{"removed", func(t *testing.T, path string) {
		if err := os.Remove(path); err != nil {
			t.Fatal(err)
		}
	}},
	{"a new Syncthing conflict copy", func(t *testing.T, path string) {
		name := "vault.sync-conflict-20261203-101010-ABCDEF7.keyshelf"
		writeFile(t, filepath.Join(filepath.Dir(path), name), "theirs", 0o600)
	}},
	{"a conflict copy replaced", func(t *testing.T, path string) {
		copyPath := filepath.Join(filepath.Dir(path), "vault (1).keyshelf")
		tmp := copyPath + ".part"
		writeFile(t, tmp, "theirs, again", 0o600)
		if err := os.Rename(tmp, copyPath); err != nil {
			t.Fatal(err)
		}
	}},
}

// withCopy puts a Google Drive conflict copy beside the vault at path.
func withCopy(t *testing.T, path string) {
	t.Helper()
	writeFile(t, filepath.Join(filepath.Dir(path), "vault (1).keyshelf"), "theirs", 0o600)
}

func TestWatchPollingReportsChanges(t *testing.T) {
	for _, tt := range changes {
		t.Run(tt.name, func(t *testing.T) {
			noFSNotify(t)
			path := vaultIn(t)
			withCopy(t, path)
			c := newClock()
			w := start(t, path, c)
			if !w.Polling() {
				t.Error("Polling is false without fsnotify")
			}
			c.poll(t)
			c.noSettleAsked(t)

			tt.change(t, path)
			c.poll(t)
			settle := c.settleAsked(t)
			noChangePending(t, w)
			fire(t, settle)
			changeReported(t, w)

			c.poll(t)
			c.noSettleAsked(t)
			noChangePending(t, w)
		})
	}
}

func TestWatchEventsReportChanges(t *testing.T) {
	for _, tt := range changes {
		t.Run(tt.name, func(t *testing.T) {
			seen := traceEvents(t)
			path := vaultIn(t)
			withCopy(t, path)
			c := newClock()
			w := start(t, path, c)
			if w.Polling() {
				t.Skip("fsnotify cannot watch the folder here")
			}
			tt.change(t, path)
			// Events come in order: once the sentinel's is read, all the
			// change's were.
			sentinel := filepath.Join(filepath.Dir(path), "sentinel.txt")
			writeFile(t, sentinel, "", 0o600)
			waitTraced(t, seen, sentinel)
			settle := c.settleAsked(t)
			c.noSettleAsked(t)
			fire(t, settle)
			changeReported(t, w)

			// What was reported is not reported again by a poll.
			c.poll(t)
			c.noSettleAsked(t)
			noChangePending(t, w)
		})
	}
}

// unrelated makes files beside the vault at path that are no change to it,
// and returns their paths.
func unrelated(t *testing.T, path string) []string {
	t.Helper()
	dir := filepath.Dir(path)
	var made []string
	for _, name := range []string{
		"notes.txt", "vault.keyshelf.bak", "vault.keyshelf.lock", "vault.keyshelf.bak.tmp",
		".vault.keyshelf.tmp-7", "other (1).keyshelf", "vault (1).txt", "vault-.keyshelf",
	} {
		writeFile(t, filepath.Join(dir, name), "x", 0o600)
		made = append(made, filepath.Join(dir, name))
	}
	sub := filepath.Join(dir, "vault (2).keyshelf")
	if err := os.Mkdir(sub, 0o700); err != nil {
		t.Fatal(err)
	}
	made = append(made, sub)
	if runtime.GOOS != "windows" {
		link := filepath.Join(dir, "vault (3).keyshelf")
		if err := os.Symlink(path, link); err != nil {
			t.Fatal(err)
		}
		made = append(made, link)
	}
	// A conflict copy that goes (moved aside) is no change either.
	if err := os.Remove(filepath.Join(dir, "vault (1).keyshelf")); err != nil {
		t.Fatal(err)
	}
	return made
}

func TestWatchPollingIgnoresUnrelatedFiles(t *testing.T) {
	noFSNotify(t)
	path := vaultIn(t)
	withCopy(t, path)
	c := newClock()
	w := start(t, path, c)
	unrelated(t, path)
	c.poll(t)
	c.noSettleAsked(t)
	noChangePending(t, w)
}

func TestWatchEventsIgnoreUnrelatedFiles(t *testing.T) {
	seen := traceEvents(t)
	path := vaultIn(t)
	withCopy(t, path)
	c := newClock()
	w := start(t, path, c)
	if w.Polling() {
		t.Skip("fsnotify cannot watch the folder here")
	}
	unrelated(t, path)
	// Events come in order: once the vault's is read, all the others were.
	writeFile(t, path, "version 2", 0o600)
	got := waitTraced(t, seen, path)
	for _, ev := range got[:len(got)-1] {
		if ev.relevant {
			t.Errorf("%s counted as a change", ev.name)
		}
	}
	if !got[len(got)-1].relevant {
		t.Error("the vault's change did not count")
	}
	if len(got) < 2 {
		t.Errorf("the unrelated files made no events: %v", got)
	}
	c.settleAsked(t)
	c.noSettleAsked(t)
}

func TestWatchBurstIsOneChange(t *testing.T) {
	t.Run("polling", func(t *testing.T) {
		noFSNotify(t)
		path := vaultIn(t)
		c := newClock()
		w := start(t, path, c)
		changes[0].change(t, path)
		c.poll(t)
		settle := c.settleAsked(t)
		for _, tt := range changes[1:5] {
			tt.change(t, path)
			c.poll(t)
			c.noSettleAsked(t)
		}
		fire(t, settle)
		changeReported(t, w)
		c.poll(t)
		c.noSettleAsked(t)
		noChangePending(t, w)
	})
	t.Run("events", func(t *testing.T) {
		path := vaultIn(t)
		c := newClock()
		w := start(t, path, c)
		if w.Polling() {
			t.Skip("fsnotify cannot watch the folder here")
		}
		changes[0].change(t, path)
		settle := c.settleAsked(t)
		for _, tt := range changes[1:5] {
			tt.change(t, path)
		}
		fire(t, settle)
		changeReported(t, w)
		// Late events may start another wait, but it never ends.
		noChangePending(t, w)
	})
}

func TestWatchUnreadChangesCoalesce(t *testing.T) {
	noFSNotify(t)
	path := vaultIn(t)
	c := newClock()
	w := start(t, path, c)
	for i := range 3 {
		// A new size each time: a poll may see no new time so soon.
		writeFile(t, path, "version 1"+strings.Repeat("!", i+1), 0o600)
		c.poll(t)
		fire(t, c.settleAsked(t))
	}
	c.poll(t) // the watcher still runs: its sends did not block
	changeReported(t, w)
	noChangePending(t, w)
}

func TestWatchCloseStopsAndClosesChanges(t *testing.T) {
	path := vaultIn(t)
	c := newClock()
	w, err := Watch(path, WatchOptions{After: c.after, Ticks: c.ticks})
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, path, "version 2, pending", 0o600)
	c.poll(t)
	c.settleAsked(t) // never fired: Close ends the wait
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if _, ok := <-w.Changes(); ok {
		t.Error("Changes is open after Close")
	}
	select {
	case c.ticks <- time.Now():
		t.Error("the watcher polls after Close")
	default:
	}
	if err := w.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestWatchWithDefaults(t *testing.T) {
	path := vaultIn(t)
	w, err := Watch(path, WatchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if w.opts.Poll != DefaultPoll || w.opts.Settle != DefaultSettle || w.opts.After == nil || w.ticker == nil {
		t.Errorf("options %+v", w.opts)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if _, ok := <-w.Changes(); ok {
		t.Error("Changes is open after Close")
	}
}

func TestWatchRefusesAFolder(t *testing.T) {
	if _, err := Watch(t.TempDir(), WatchOptions{}); err == nil {
		t.Error("a folder was watched")
	}
}

func TestWatchMissingFolderPollsUntilItComes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "later")
	path := filepath.Join(dir, "vault.keyshelf")
	seen := traceEvents(t)
	c := newClock()
	w := start(t, path, c)
	if !w.Polling() {
		t.Fatal("a missing folder is watched for events")
	}
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	c.poll(t)
	c.noSettleAsked(t)
	if w.Polling() {
		t.Fatal("the folder is still not watched for events once it is there")
	}
	writeFile(t, path, "version 1", 0o600)
	if got := waitTraced(t, seen, path); !got[len(got)-1].relevant {
		t.Error("the new file did not count")
	}
	fire(t, c.settleAsked(t))
	changeReported(t, w)
}

func TestWatchLostFolderIsWatchedAgain(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows does not remove a watched folder")
	}
	seen := traceEvents(t)
	path := vaultIn(t)
	dir := filepath.Dir(path)
	c := newClock()
	w := start(t, path, c)
	if w.Polling() {
		t.Skip("fsnotify cannot watch the folder here")
	}
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	waitTraced(t, seen, dir)
	if !w.Polling() {
		t.Error("Polling is false with the folder gone")
	}
	settle := c.settleAsked(t) // the vault went with it
	fire(t, settle)
	changeReported(t, w)

	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	c.poll(t)
	if w.Polling() {
		t.Fatal("the folder back is not watched for events again")
	}
	writeFile(t, path, "version 2", 0o600)
	if got := waitTraced(t, seen, path); !got[len(got)-1].relevant {
		t.Error("the vault back did not count")
	}
	fire(t, c.settleAsked(t))
	changeReported(t, w)
}
