package gui

import (
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"keyshelf/vault"
	"keyshelf/vault/keychain"
)

// frameCounter is a fyne.App whose driver notes what would make a real
// window draw a frame. Fyne's GL driver paints a window on its next tick
// when something on it was refreshed (canvas.Refresh, which every widget's
// Refresh ends in) or while an animation runs; the test driver paints
// nothing, so the counter stands in for the frames: each refresh is at
// most one frame, and an endless animation is a frame every tick.
type frameCounter struct {
	fyne.App
	drv *countingDriver
}

func newFrameCounter(t *testing.T) *frameCounter {
	inner := test.NewTempApp(t)
	a := &frameCounter{App: inner, drv: &countingDriver{Driver: inner.Driver(), running: map[*fyne.Animation]bool{}}}
	// Widgets find their canvas, and start their animations, through the
	// current app's driver.
	fyne.SetCurrentApp(a)
	t.Cleanup(func() { fyne.SetCurrentApp(inner) })
	return a
}

func (a *frameCounter) Driver() fyne.Driver     { return a.drv }
func (a *frameCounter) Settings() fyne.Settings { return builtSettings{a.App.Settings()} }

// builtSettings are the test app's settings with animations as the built
// app has them: off in builds with the no_animations tag (what make build
// and the real-window tests build), on otherwise. The test app's own
// settings always say on.
type builtSettings struct{ fyne.Settings }

func (builtSettings) ShowAnimations() bool { return !noAnimations }

type countingDriver struct {
	fyne.Driver
	now       func() time.Duration // the test's clock, to tell frames apart
	mu        sync.Mutex
	refreshed []refresh
	running   map[*fyne.Animation]bool
}

// refresh is one canvas.Refresh: when, and of what.
type refresh struct {
	at   time.Duration
	what string
}

func (d *countingDriver) CanvasForObject(o fyne.CanvasObject) fyne.Canvas {
	c := d.Driver.CanvasForObject(o)
	if c == nil {
		return nil
	}
	return countingCanvas{Canvas: c, d: d}
}

// StartAnimation records the endless animations (a blinking cursor, a
// spinner): they redraw the window on every tick for as long as they run.
func (d *countingDriver) StartAnimation(a *fyne.Animation) {
	if a.RepeatCount == fyne.AnimationRepeatForever {
		d.mu.Lock()
		d.running[a] = true
		d.mu.Unlock()
	}
	d.Driver.StartAnimation(a)
}

func (d *countingDriver) StopAnimation(a *fyne.Animation) {
	d.mu.Lock()
	delete(d.running, a)
	d.mu.Unlock()
	d.Driver.StopAnimation(a)
}

// take returns the frames drawn since the last take, what was refreshed in
// them, and how many endless animations run now. Refreshes at one moment
// are one frame: the driver paints what changed on its next tick.
func (d *countingDriver) take() (frames int, refreshed []string, animations int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for i, r := range d.refreshed {
		if i == 0 || r.at != d.refreshed[i-1].at {
			frames++
		}
		refreshed = append(refreshed, r.what)
	}
	d.refreshed = nil
	return frames, refreshed, len(d.running)
}

type countingCanvas struct {
	fyne.Canvas
	d *countingDriver
}

func (c countingCanvas) Refresh(o fyne.CanvasObject) {
	c.d.mu.Lock()
	var at time.Duration
	if c.d.now != nil {
		at = c.d.now()
	}
	c.d.refreshed = append(c.d.refreshed, refresh{at, refreshedName(o)})
	c.d.mu.Unlock()
	c.Canvas.Refresh(o)
}

// refreshedName names a refreshed object for a failure message: its type, and
// its text for the text objects.
func refreshedName(o fyne.CanvasObject) string {
	switch o := o.(type) {
	case *canvas.Text:
		return fmt.Sprintf("text %q", o.Text)
	case *widget.Label:
		return fmt.Sprintf("label %q", o.Text)
	case *widget.RichText:
		return fmt.Sprintf("rich text %q", o.String())
	}
	return fmt.Sprintf("%T", o)
}

// redrawHarness is the desktop harness (a tray, windows that know whether
// they show) on the frame counter, with n keys in the vault.
func newRedrawHarness(t *testing.T, n int) *deskHarness {
	t.Helper()
	path := filepath.Join(t.TempDir(), "vault.keyshelf")
	clock := &fakeClock{now: time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)}
	opts := vault.Options{KDF: testKDF, Keychain: &keychain.Memory{}, Now: clock.Now}
	v, err := vault.Create(path, testPass, opts)
	if err != nil {
		t.Fatal(err)
	}
	ds := make([]vault.Draft, n)
	for i := range ds {
		ds[i] = vault.Draft{Name: fmt.Sprintf("Key %05d production", i), Secret: fmt.Sprintf("sk-proj-%040dT3BlbkFJ", i)}
	}
	if _, err := v.AddAll(ds); err != nil {
		t.Fatal(err)
	}
	v.Close()
	app := &desktopApp{App: newFrameCounter(t)}
	u := New(app, Config{VaultPath: path, Options: opts, Clock: clock, Go: func(f func()) { f() },
		TrayAvailable: func() bool { return true }})
	t.Cleanup(func() {
		if u.v != nil {
			u.v.Close()
		}
	})
	app.App.(*frameCounter).drv.now = func() time.Duration {
		clock.mu.Lock()
		defer clock.mu.Unlock()
		return clock.mono
	}
	h := &deskHarness{harness: &harness{t: t, app: app, u: u, clock: clock, path: path}, desk: app, win: app.windows[0]}
	h.win.Show()
	return h
}

// frames advances the clock by d in steps of a tenth of a second and
// returns the frames drawn meanwhile, what was refreshed in them, and the
// endless animations running at the end.
func (h *deskHarness) frames(d time.Duration) (int, []string, int) {
	drv := h.desk.App.(*frameCounter).drv
	drv.take()
	for end := h.clock.mono + d; h.clock.mono < end; {
		h.clock.Advance(100 * time.Millisecond)
	}
	return drv.take()
}

// maxFramesPerSecond is "a handful of redraws a second" (issue #11): a
// window at rest may redraw for a clock or a countdown, not continuously.
const maxFramesPerSecond = 3

// TestIdleWindowDoesNotRedraw counts what the window would redraw in ten
// seconds without use: unlocked with the search focused, counting down a
// copied key, and hidden in the tray while counting down. The text cursor
// must not blink by animation (a frame every tick), the countdown must
// refresh its status text and nothing else, and a hidden window must not
// be refreshed at all.
func TestIdleWindowDoesNotRedraw(t *testing.T) {
	for _, n := range []int{1, 10000} {
		t.Run(fmt.Sprintf("keys=%d", n), func(t *testing.T) {
			h := newRedrawHarness(t, n)
			h.unlock()
			if h.u.win.Canvas().Focused() != h.u.main.search {
				t.Fatal("the search does not have the focus after the unlock")
			}
			const span = 10 * time.Second

			limit := int(span/time.Second) * maxFramesPerSecond
			n, got, anims := h.frames(span)
			if noAnimations && anims > 0 {
				t.Errorf("idle with the search focused: %d endless animations run (a redraw every frame)", anims)
			}
			if n > limit {
				t.Errorf("idle with the search focused: %d frames in %v: %v", n, span, got)
			}

			h.pressFocused(fyne.KeyReturn) // copies the first key; the countdown starts
			if !h.u.clip.Active() {
				t.Fatal("nothing was copied")
			}
			n, got, _ = h.frames(span)
			if n > limit {
				t.Errorf("counting down: %d frames in %v: %v", n, span, got)
			}
			for _, r := range got {
				if !strings.Contains(r, "clears in") {
					t.Errorf("counting down refreshed %s, not only the status text", r)
				}
			}
			if n < int(span/time.Second)-1 {
				t.Errorf("the countdown drew %d frames in %v: it should count every second: %v", n, span, got)
			}

			h.reveal("Key 00000 production") // a key shown in full counts down too
			h.u.hideWindow()
			if h.u.main.reveal.id != "" {
				t.Error("hidden in the tray, the window still shows a key in full")
			}
			n, got, anims = h.frames(span)
			if n > 0 || (noAnimations && anims > 0) {
				t.Errorf("hidden: %d frames and %d animations in %v: %v", n, anims, span, got)
			}
			if !h.u.clip.Active() {
				t.Fatal("the countdown stopped while hidden")
			}
			h.u.showWindow()
			if s := h.u.main.status.Text; !strings.Contains(s, "clears in") {
				t.Errorf("shown again, the status says %q, not the time left", s)
			}
			// The clipboard is still cleared on time while hidden.
			h.u.hideWindow()
			h.clock.Advance(time.Minute)
			if h.app.Clipboard().Content() != "" || h.u.clip.Active() {
				t.Error("the clipboard was not cleared while the window was hidden")
			}
		})
	}
}
