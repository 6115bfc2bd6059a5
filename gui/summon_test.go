package gui

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"keyshelf/gui/hotkey"
)

// fakeHotkey stands in for hotkey.Register: it records what is registered
// and stopped, refuses the combinations in fail, and presses the
// registered one on fire.
type fakeHotkey struct {
	registered []string // every Register call, in order
	stopped    []string // every stop call, in order
	fail       map[string]error
	active     string // the combination registered now, or ""
	fire       func()
}

func (f *fakeHotkey) register(c hotkey.Combo, fire func()) (func() error, error) {
	s := c.String()
	f.registered = append(f.registered, s)
	if err := f.fail[s]; err != nil {
		return nil, err
	}
	if f.active != "" {
		return nil, errors.New("fake: two registrations at once")
	}
	f.active, f.fire = s, fire
	return func() error {
		f.stopped = append(f.stopped, s)
		if f.active == s {
			f.active, f.fire = "", nil
		}
		return nil
	}, nil
}

// press is the user pressing the global shortcut in another program.
func (f *fakeHotkey) press(t *testing.T) {
	t.Helper()
	if f.fire == nil {
		t.Fatal("no hotkey registered to press")
	}
	f.fire()
}

// newSummonHarness is newDeskHarness with a fake hotkey (nil: Config.Hotkey
// is left nil).
func newSummonHarness(t *testing.T, tray bool, hk *fakeHotkey, prefs func(fyne.Preferences), keys ...string) *deskHarness {
	t.Helper()
	return newSummonHarnessWith(t, tray, hk, prefs, nil, keys...)
}

// newSummonHarnessWith is newSummonHarness with goFn as Config.Go (nil: run
// at once).
func newSummonHarnessWith(t *testing.T, tray bool, hk *fakeHotkey, prefs func(fyne.Preferences), goFn func(func()), keys ...string) *deskHarness {
	t.Helper()
	h := newDeskHarnessConfig(t, tray, prefs, func(cfg *Config) {
		if hk != nil {
			cfg.Hotkey = hk.register
		}
		if goFn != nil {
			cfg.Go = goFn
		}
	}, keys...)
	h.win.Show()
	return h
}

func TestHotkeySummonsSearchCopiesAndHides(t *testing.T) {
	hk := &fakeHotkey{}
	h := newSummonHarness(t, true, hk, nil, "OpenAI prod", openaiKey, "GitHub deploy", githubKey)
	if hk.active != "Ctrl+Alt+K" {
		t.Fatalf("registered %q at start, want the default Ctrl+Alt+K", hk.registered)
	}
	h.unlock()
	h.typeFocused("open")
	h.u.hideWindow()
	if got := strings.Join(h.desk.labels(), "|"); !strings.HasPrefix(got, "Show Keyshelf (Ctrl+Alt+K)|") {
		t.Fatalf("tray menu %q does not name the shortcut", got)
	}
	h.u.win.Canvas().Unfocus() // the user is in another program

	hk.press(t)
	if !h.win.shown || h.u.hidden() {
		t.Fatal("the shortcut did not bring the window up")
	}
	m := h.u.main
	if h.u.win.Canvas().Focused() != m.search {
		t.Fatal("the search is not focused")
	}
	if m.search.SelectedText() != "open" {
		t.Fatalf("the last search is not selected (%q), so typing would not replace it", m.search.SelectedText())
	}
	h.typeFocused("git")
	if m.search.Text != "git" || len(m.shown) != 1 {
		t.Fatalf("typing did not replace the search: %q, %d shown", m.search.Text, len(m.shown))
	}
	h.pressFocused(fyne.KeyReturn)
	cb := h.app.Clipboard()
	if cb.Content() != githubKey {
		t.Fatal("Enter did not copy the key")
	}
	if h.win.shown || !h.u.hidden() {
		t.Fatal("the window did not go away after the copy")
	}
	// The auto-clear runs as usual while hidden.
	h.clock.Advance(30 * time.Second)
	if cb.Content() != "" {
		t.Fatal("the key was not cleared 30 s after a summoned copy")
	}

	// Shown some other way (the tray), Enter copies and the window stays.
	h.desk.tap(t, "Show Keyshelf (Ctrl+Alt+K)")
	h.u.main.focus()
	h.pressFocused(fyne.KeyReturn)
	if cb.Content() != githubKey || !h.win.shown {
		t.Fatalf("shown from the tray: copied %v, shown %v", cb.Content() == githubKey, h.win.shown)
	}
}

func TestHotkeyEscapeOnEmptySearchHides(t *testing.T) {
	hk := &fakeHotkey{}
	h := newSummonHarness(t, true, hk, nil, "OpenAI prod", openaiKey)
	h.unlock()
	// Not summoned: Escape on an empty search does nothing.
	h.pressFocused(fyne.KeyEscape)
	if !h.win.shown {
		t.Fatal("Escape hid a window the shortcut did not bring up")
	}
	h.u.hideWindow()
	hk.press(t)
	h.typeFocused("zz")
	h.pressFocused(fyne.KeyEscape)
	if !h.win.shown || h.u.main.search.Text != "" {
		t.Fatal("the first Escape should clear the search and keep the window")
	}
	h.pressFocused(fyne.KeyEscape)
	if h.win.shown {
		t.Fatal("Escape on an empty search did not put the summoned window away")
	}
	if h.app.Clipboard().Content() != "" {
		t.Fatal("Escape copied something")
	}
}

func TestHotkeyWhileLockedAsksPassphraseFirst(t *testing.T) {
	hk := &fakeHotkey{}
	h := newSummonHarness(t, true, hk, nil, "OpenAI prod", openaiKey)
	h.u.hideWindow()
	hk.press(t)
	if !h.win.shown || h.u.unlock == nil || h.u.win.Canvas().Focused() != h.u.unlock.pass {
		t.Fatal("locked: the shortcut did not bring up a focused passphrase field")
	}
	h.unlock()
	if h.u.win.Canvas().Focused() != h.u.main.search {
		t.Fatal("after the unlock the search is not focused")
	}
	h.typeFocused("open")
	h.pressFocused(fyne.KeyReturn)
	if h.app.Clipboard().Content() != openaiKey || h.win.shown {
		t.Fatal("after a summoned unlock, Enter should copy and put the window away")
	}
}

func TestHotkeyWithoutTrayKeepsWindow(t *testing.T) {
	hk := &fakeHotkey{}
	h := newSummonHarness(t, false, hk, nil, "OpenAI prod", openaiKey)
	h.unlock()
	hk.press(t)
	if h.u.win.Canvas().Focused() != h.u.main.search {
		t.Fatal("the search is not focused")
	}
	h.pressFocused(fyne.KeyReturn)
	if h.app.Clipboard().Content() != openaiKey {
		t.Fatal("not copied")
	}
	if !h.win.shown {
		t.Fatal("without a tray the window must stay: it could not be found again")
	}
	h.pressFocused(fyne.KeyEscape)
	if !h.win.shown {
		t.Fatal("without a tray Escape must not hide the window")
	}
}

func TestHotkeySettingReregisters(t *testing.T) {
	hk := &fakeHotkey{}
	h := newSummonHarness(t, true, hk, nil, "OpenAI prod", openaiKey)
	h.u.showSettings()
	sv := h.u.settings
	if sv.hotkey.Selected != "Ctrl+Alt+K" {
		t.Fatalf("Settings shows %q, want the default", sv.hotkey.Selected)
	}
	if want := "Press Ctrl+Alt+K in any program"; !strings.HasPrefix(sv.hotkeyNote.Text, want) {
		t.Fatalf("note %q", sv.hotkeyNote.Text)
	}
	sv.hotkey.SetSelected("Ctrl+Alt+Space")
	if hk.active != "Ctrl+Alt+Space" || strings.Join(hk.stopped, ",") != "Ctrl+Alt+K" {
		t.Fatalf("registered %q, stopped %q", hk.registered, hk.stopped)
	}
	if got := h.app.Preferences().String(prefHotkey); got != "Ctrl+Alt+Space" {
		t.Fatalf("preference %q", got)
	}
	if !strings.HasPrefix(sv.hotkeyNote.Text, "Press Ctrl+Alt+Space") {
		t.Fatalf("note %q", sv.hotkeyNote.Text)
	}
	h.u.hideWindow()
	if !h.desk.hasItem("Show Keyshelf (Ctrl+Alt+Space)") {
		t.Fatalf("tray menu %q", h.desk.labels())
	}
	h.u.showWindow()

	sv.hotkey.SetSelected("Off")
	if hk.active != "" || len(hk.registered) != 2 {
		t.Fatalf("Off left %q registered (calls %q)", hk.active, hk.registered)
	}
	if got, ok := h.app.Preferences().String(prefHotkey), true; got != "" || !ok {
		t.Fatalf("preference %q after Off", got)
	}
	if !strings.HasPrefix(sv.hotkeyNote.Text, "Off.") {
		t.Fatalf("note %q", sv.hotkeyNote.Text)
	}
	h.u.hideWindow()
	if !h.desk.hasItem("Show Keyshelf") {
		t.Fatalf("tray menu %q", h.desk.labels())
	}

	// The choice holds at the next start; Quit releases the shortcut.
	hk2 := &fakeHotkey{}
	h2 := newSummonHarness(t, true, hk2, func(p fyne.Preferences) { p.SetString(prefHotkey, "Super+K") })
	if hk2.active != "Super+K" {
		t.Fatalf("start registered %q", hk2.registered)
	}
	h2.u.Quit()
	if hk2.active != "" {
		t.Fatal("Quit left the shortcut registered")
	}
}

func TestHotkeyStatesInPlainWords(t *testing.T) {
	cases := []struct {
		name string
		hk   *fakeHotkey
		want string
	}{
		{"taken", &fakeHotkey{fail: map[string]error{"Ctrl+Alt+K": &hotkey.ErrTaken{Combo: hotkey.Combo{Mods: hotkey.Ctrl | hotkey.Alt, Key: "K"}}}},
			"Another program already uses Ctrl+Alt+K: pick another."},
		{"wayland", &fakeHotkey{fail: map[string]error{"Ctrl+Alt+K": hotkey.ErrWayland}},
			"This desktop does not let programs set global shortcuts: add a shortcut in your system settings that runs `keyshelf show`."},
		{"none", nil,
			"Keyshelf cannot set global shortcuts on this system yet: add a shortcut in your system settings that runs `keyshelf show`."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newSummonHarness(t, true, c.hk, nil)
			h.u.showSettings()
			if got := h.u.settings.hotkeyNote.Text; got != c.want {
				t.Fatalf("note %q, want %q", got, c.want)
			}
			h.u.hideWindow()
			if !h.desk.hasItem("Show Keyshelf") {
				t.Fatalf("an inactive shortcut is named in the tray: %q", h.desk.labels())
			}
		})
	}

	// A taken shortcut, then another one that is free.
	hk := &fakeHotkey{fail: map[string]error{"Ctrl+Alt+K": &hotkey.ErrTaken{Combo: hotkey.Combo{Mods: hotkey.Ctrl | hotkey.Alt, Key: "K"}}}}
	h := newSummonHarness(t, true, hk, nil)
	h.u.showSettings()
	h.u.settings.hotkey.SetSelected("Ctrl+Alt+J")
	if hk.active != "Ctrl+Alt+J" || !strings.HasPrefix(h.u.settings.hotkeyNote.Text, "Press Ctrl+Alt+J") {
		t.Fatalf("registered %q, note %q", hk.registered, h.u.settings.hotkeyNote.Text)
	}
}

func TestHotkeyRegistersOffTheUIGoroutine(t *testing.T) {
	hk := &fakeHotkey{}
	var work []func()
	goLater := func(f func()) { work = append(work, f) }
	runWork := func() {
		for len(work) > 0 {
			f := work[0]
			work = work[1:]
			f()
		}
	}
	h := newSummonHarnessWith(t, true, hk, nil, goLater)
	if len(hk.registered) != 0 {
		t.Fatal("New registered the shortcut on the UI goroutine")
	}
	h.u.showSettings()
	if got := h.u.settings.hotkeyNote.Text; got != "Setting Ctrl+Alt+K…" {
		t.Fatalf("note while registering %q", got)
	}
	runWork()
	if hk.active != "Ctrl+Alt+K" || !strings.HasPrefix(h.u.settings.hotkeyNote.Text, "Press Ctrl+Alt+K") {
		t.Fatalf("after the registration: %q, note %q", hk.active, h.u.settings.hotkeyNote.Text)
	}

	// Changed twice before the first registration ends: the overtaken one
	// is released, the last one stays.
	h.u.settings.hotkey.SetSelected("Ctrl+Alt+J")
	h.u.settings.hotkey.SetSelected("Super+K")
	work[0]() // Ctrl+Alt+J's registration ends now, overtaken
	if hk.active != "" || !slices.Contains(hk.stopped, "Ctrl+Alt+J") {
		t.Fatalf("the overtaken Ctrl+Alt+J was not released: active %q, stopped %q", hk.active, hk.stopped)
	}
	work = work[1:]
	runWork()
	if hk.active != "Super+K" || !strings.HasPrefix(h.u.settings.hotkeyNote.Text, "Press Super+K") {
		t.Fatalf("active %q, note %q", hk.active, h.u.settings.hotkeyNote.Text)
	}

	// A registration still under way at Quit is released when it ends.
	h.u.settings.hotkey.SetSelected("Ctrl+Alt+Space")
	h.u.Quit()
	runWork()
	if hk.active != "" {
		t.Fatalf("%q stayed registered after Quit", hk.active)
	}
}

func TestShortcutsDialogNamesTheGlobalShortcut(t *testing.T) {
	hk := &fakeHotkey{}
	h := newSummonHarness(t, true, hk, func(p fyne.Preferences) { p.SetString(prefHotkey, "Ctrl+Alt+J") })
	h.u.showShortcuts()
	if !strings.Contains(h.markup(), ">Ctrl+Alt+J<") {
		t.Fatal("the active global shortcut is not listed")
	}
	h.u.closeDialogs()
	h.u.showSettings()
	h.u.settings.hotkey.SetSelected("Off")
	h.u.closeDialogs()
	h.u.showShortcuts()
	if strings.Contains(h.markup(), ">Ctrl+Alt+J<") {
		t.Fatal("a shortcut turned off is still listed")
	}
}

func TestHotkeyFlowEndsWhenTheUserLeaves(t *testing.T) {
	hk := &fakeHotkey{}
	h := newSummonHarness(t, true, hk, nil, "OpenAI prod", openaiKey)
	h.unlock()
	hk.press(t)
	// The user goes to another program by themselves, then comes back.
	lc, ok := h.app.Lifecycle().(interface{ OnExitedForeground() func() })
	if !ok || lc.OnExitedForeground() == nil {
		t.Fatal("the app does not watch for losing the focus")
	}
	lc.OnExitedForeground()()
	h.u.main.focus()
	h.pressFocused(fyne.KeyReturn)
	if h.app.Clipboard().Content() != openaiKey {
		t.Fatal("not copied")
	}
	if !h.win.shown {
		t.Fatal("Enter hid a window the user had come back to by themselves")
	}
}
