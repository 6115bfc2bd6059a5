package gui

import (
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"keyshelf/vault"
	"keyshelf/vault/format"
	"keyshelf/vault/keychain"
)

// fakeClock runs timers only when the test advances it. Like a real
// computer's it has two clocks: the wall clock (Now) and the monotonic clock
// that timers run on. Suspend moves only the wall clock, as a laptop's sleep
// does on Linux.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time     // the wall clock
	mono   time.Duration // the monotonic clock, from the start
	timers []*fakeTimer
}

type fakeTimer struct {
	at      time.Duration // on the monotonic clock
	f       func()
	stopped bool
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) AfterFunc(d time.Duration, f func()) func() {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &fakeTimer{at: c.mono + d, f: f}
	c.timers = append(c.timers, t)
	return func() { c.mu.Lock(); t.stopped = true; c.mu.Unlock() }
}

// Advance moves both clocks forward by d, firing due timers in order.
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	end := c.mono + d
	c.mu.Unlock()
	for {
		c.mu.Lock()
		sort.Slice(c.timers, func(i, j int) bool { return c.timers[i].at < c.timers[j].at })
		var next *fakeTimer
		for len(c.timers) > 0 && next == nil {
			t := c.timers[0]
			c.timers = c.timers[1:]
			if !t.stopped {
				next = t
			}
		}
		if next == nil || next.at > end {
			if next != nil {
				c.timers = append(c.timers, next)
			}
			c.now = c.now.Add(end - c.mono)
			c.mono = end
			c.mu.Unlock()
			return
		}
		c.now = c.now.Add(next.at - c.mono)
		c.mono = next.at
		c.mu.Unlock()
		next.f()
	}
}

// pending counts the timers that are neither fired nor stopped.
func (c *fakeClock) pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, t := range c.timers {
		if !t.stopped {
			n++
		}
	}
	return n
}

// Suspend moves the wall clock forward by d and fires no timer: the
// computer slept for d. Go's timers run on the monotonic clock, which does
// not advance during a suspend on Linux, so they fire late by d.
func (c *fakeClock) Suspend(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

const testPass = "correct horse battery staple"

var testKDF = format.Params{MemoryKiB: format.MinMemoryKiB, Time: 1, Threads: 1}

type harness struct {
	t     *testing.T
	app   fyne.App
	u     *UI
	clock *fakeClock
	path  string
}

// newHarness starts the UI on the test driver. With keys, it first makes a
// vault holding them (name, secret pairs).
// newTestVault makes, in a temporary folder, a vault holding keys (pairs of
// name and key; none: no vault file at all) with the test KDF, an in-memory
// keychain and a fake clock, and returns its path, clock and options.
func newTestVault(t *testing.T, keys ...string) (string, *fakeClock, vault.Options) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "vault.keyshelf")
	clock := &fakeClock{now: time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)}
	opts := vault.Options{KDF: testKDF, Keychain: &keychain.Memory{}, Now: clock.Now}
	if len(keys) > 0 {
		v, err := vault.Create(path, testPass, opts)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < len(keys); i += 2 {
			if _, err := v.Add(vault.Draft{Name: keys[i], Secret: keys[i+1]}); err != nil {
				t.Fatal(err)
			}
		}
		v.Close()
	}
	return path, clock, opts
}

func newHarness(t *testing.T, keys ...string) *harness {
	t.Helper()
	path, clock, opts := newTestVault(t, keys...)
	app := test.NewTempApp(t)
	u := New(app, Config{VaultPath: path, Options: opts, Clock: clock, Go: func(f func()) { f() }})
	u.Window().Show()
	t.Cleanup(func() {
		if u.v != nil {
			u.v.Close()
		}
	})
	return &harness{t: t, app: app, u: u, clock: clock, path: path}
}

func (h *harness) typeFocused(s string) {
	h.t.Helper()
	f := h.u.win.Canvas().Focused()
	if f == nil {
		h.t.Fatal("nothing has the focus")
	}
	test.Type(f, s)
}

func (h *harness) pressFocused(k fyne.KeyName) {
	h.t.Helper()
	h.u.win.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: k})
}

func (h *harness) unlock() {
	h.t.Helper()
	if h.u.unlock == nil {
		h.t.Fatal("not on the unlock screen")
	}
	h.typeFocused(testPass)
	h.pressFocused(fyne.KeyReturn)
	if h.u.main == nil {
		h.t.Fatalf("still locked: %q", h.u.unlock.errLabel.Text)
	}
}

const openaiKey = "sk-proj-abcdefghijklmnopT3BlbkFJqrstuvwxyz012345"
const githubKey = "ghp_0123456789abcdefghijABCDEFGHIJ012345"
const stripeKey = "sk_live_0123456789abcdefghijklmn"

func TestWelcomeCreatesVault(t *testing.T) {
	h := newHarness(t)
	w := h.u.welcome
	if w == nil {
		t.Fatal("no welcome screen without a vault")
	}
	if h.u.win.Canvas().Focused() != w.pass1 {
		t.Fatal("first passphrase field not focused")
	}
	test.Type(w.pass1, "tulip anchor marble 1987 quietly")
	test.Type(w.pass2, "tulip anchor marble 1987 quietl")
	if w.problem.Text == "" || !w.create.Disabled() {
		t.Fatal("different passphrases accepted")
	}
	test.Type(w.pass2, "y")
	if !w.create.Disabled() {
		t.Fatal("create enabled before the warning was acknowledged")
	}
	if w.meter.score < 3 {
		t.Fatalf("strong passphrase scored %v", w.meter.score)
	}
	test.Tap(w.understood)
	test.Tap(w.remember)
	if w.create.Disabled() {
		t.Fatal("create still disabled")
	}
	test.Tap(w.create)
	if h.u.main == nil {
		t.Fatal("not unlocked after create")
	}
	if got := h.u.main.empty.Text; !strings.HasPrefix(got, "No keys yet") {
		t.Fatalf("empty state says %q", got)
	}
	if len(h.u.v.DeviceLabels()) != 1 {
		t.Fatal("remember on this device was not applied")
	}
	// The vault is really there and opens with the passphrase.
	h.u.Lock()
	if _, err := vault.Peek(h.path); err != nil {
		t.Fatal(err)
	}
}

func TestWeakPassphraseMeter(t *testing.T) {
	h := newHarness(t)
	test.Type(h.u.welcome.pass1, "password")
	if h.u.welcome.meter.score > 1 {
		t.Fatalf("'password' scored %v", h.u.welcome.meter.score)
	}
}

func TestUnlockWrongThenRight(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey)
	uv := h.u.unlock
	if uv == nil || h.u.win.Canvas().Focused() != uv.pass {
		t.Fatal("unlock screen without a focused passphrase field")
	}
	h.typeFocused("not it")
	h.pressFocused(fyne.KeyReturn)
	if h.u.main != nil || uv.errLabel.Text != "Wrong passphrase" || !uv.errLabel.Visible() {
		t.Fatalf("wrong passphrase: %q", uv.errLabel.Text)
	}
	if uv.pass.Text != "" || h.u.win.Canvas().Focused() != uv.pass {
		t.Fatal("field not cleared and focused for a retry")
	}
	h.unlock()
	if h.u.win.Canvas().Focused() != h.u.main.search {
		t.Fatal("search not focused after unlock")
	}
}

func TestTypeToCopyAndClear(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey, "GitHub deploy", githubKey, "Stripe live", stripeKey)
	h.unlock()
	m := h.u.main
	if m.count.Text != "3 keys" {
		t.Fatalf("count %q", m.count.Text)
	}
	h.typeFocused("git")
	if len(m.shown) != 1 || m.selected != 0 || m.count.Text != "1 of 3 keys" {
		t.Fatalf("filter: %d shown, selected %d, %q", len(m.shown), m.selected, m.count.Text)
	}
	h.pressFocused(fyne.KeyReturn)
	cb := h.app.Clipboard()
	if cb.Content() != githubKey {
		t.Fatal("Enter did not copy the key")
	}
	if !strings.Contains(m.status.Text, "clears in 30 s") || strings.Contains(m.status.Text, githubKey) {
		t.Fatalf("status %q", m.status.Text)
	}
	h.clock.Advance(10 * time.Second)
	if !strings.Contains(m.status.Text, "clears in 20 s") {
		t.Fatalf("countdown %q", m.status.Text)
	}
	h.clock.Advance(19 * time.Second)
	if cb.Content() != githubKey {
		t.Fatal("cleared early")
	}
	h.clock.Advance(time.Second)
	if cb.Content() != "" || m.status.Text != "Clipboard cleared" {
		t.Fatalf("not cleared after 30 s: status %q", m.status.Text)
	}
}

func TestClearSparesWhatTheUserCopiedSince(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey)
	h.unlock()
	h.typeFocused("open")
	h.pressFocused(fyne.KeyReturn)
	cb := h.app.Clipboard()
	if cb.Content() != openaiKey {
		t.Fatal("not copied")
	}
	h.clock.Advance(5 * time.Second)
	cb.SetContent("my own text")
	h.clock.Advance(60 * time.Second)
	if cb.Content() != "my own text" {
		t.Fatalf("the user's clipboard was wiped: %q", cb.Content())
	}
	if got := h.u.main.status.Text; got != "Clipboard left alone (you copied something else)" {
		t.Fatalf("status %q", got)
	}
	h.u.Lock()
	if cb.Content() != "my own text" {
		t.Fatal("lock wiped the user's clipboard")
	}
}

func TestUpDownEnterEscape(t *testing.T) {
	h := newHarness(t, "a one", "secret-one-000000001", "a two", "secret-two-000000002", "a three", "secret-three-0000003")
	h.unlock()
	m := h.u.main
	h.pressFocused(fyne.KeyDown) // nothing selected: first row
	h.pressFocused(fyne.KeyDown)
	h.pressFocused(fyne.KeyDown)
	h.pressFocused(fyne.KeyDown) // stays on the last row
	h.pressFocused(fyne.KeyUp)
	if m.selected != 1 || m.shown[1].Name != "a three" {
		t.Fatalf("selected %d", m.selected)
	}
	h.pressFocused(fyne.KeyReturn)
	if h.app.Clipboard().Content() != "secret-three-0000003" {
		t.Fatal("Enter did not copy the selected key")
	}
	h.typeFocused("two")
	if len(m.shown) != 1 {
		t.Fatal("not filtered")
	}
	h.pressFocused(fyne.KeyEscape)
	if m.search.Text != "" || len(m.shown) != 3 {
		t.Fatal("Escape did not clear the search")
	}
	h.typeFocused("zzz")
	if m.empty.Text != `No key matches "zzz"` || !m.empty.Visible() {
		t.Fatalf("empty state %q", m.empty.Text)
	}
}

func TestLockDropsSecretsAndClearsClipboard(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey)
	h.unlock()
	h.pressFocused(fyne.KeyReturn)
	if h.app.Clipboard().Content() != openaiKey {
		t.Fatal("not copied")
	}
	v := h.u.v
	// Ctrl+L (Cmd+L on macOS).
	shortcutLock(h)
	if h.u.v != nil || h.u.unlock == nil || h.u.main != nil {
		t.Fatal("not locked")
	}
	if v.Len() != 0 {
		t.Fatal("decrypted entries still in memory")
	}
	if h.app.Clipboard().Content() != "" {
		t.Fatal("lock left the key on the clipboard")
	}
	markup := test.RenderToMarkup(h.u.win.Canvas())
	if strings.Contains(markup, "OpenAI prod") || strings.Contains(markup, "Xb3Q") {
		t.Fatal("the locked window still shows a key")
	}
}

func shortcutLock(h *harness) {
	h.u.win.Canvas().(fyne.Shortcutable).TypedShortcut(lockShortcut)
}
