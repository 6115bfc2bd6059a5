package gui

import (
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// desktopApp is the test app with what a desktop app adds: it records the
// tray menu and icon, notifications, Run and Quit, and hands out windows
// that remember whether they are shown.
type desktopApp struct {
	fyne.App
	menu    *fyne.Menu
	icon    fyne.Resource
	notes   []*fyne.Notification
	runs    int
	quits   int
	windows []*recWindow
}

func (a *desktopApp) SetSystemTrayMenu(m *fyne.Menu)        { a.menu = m }
func (a *desktopApp) SetSystemTrayIcon(r fyne.Resource)     { a.icon = r }
func (a *desktopApp) SetSystemTrayWindow(fyne.Window)       {}
func (a *desktopApp) SendNotification(n *fyne.Notification) { a.notes = append(a.notes, n) }
func (a *desktopApp) Run()                                  { a.runs++ }
func (a *desktopApp) Quit()                                 { a.quits++ }

func (a *desktopApp) NewWindow(title string) fyne.Window {
	w := &recWindow{Window: a.App.NewWindow(title)}
	a.windows = append(a.windows, w)
	return w
}

// lastNote is the text of the last notification, or "".
func (a *desktopApp) lastNote() string {
	if len(a.notes) == 0 {
		return ""
	}
	return a.notes[len(a.notes)-1].Content
}

func (a *desktopApp) labels() []string               { return menuLabels(a.menu) }
func (a *desktopApp) hasItem(label string) bool      { return menuItem(a.menu, label) != nil }
func (a *desktopApp) tap(t *testing.T, label string) { t.Helper(); mustItem(t, a.menu, label).Action() }

// recWindow is a test window that knows whether it is shown and lets a test
// press its close button.
type recWindow struct {
	fyne.Window
	shown     bool
	intercept func()
}

func (w *recWindow) SetCloseIntercept(f func()) { w.intercept = f; w.Window.SetCloseIntercept(f) }
func (w *recWindow) Show()                      { w.shown = true; w.Window.Show() }
func (w *recWindow) Hide()                      { w.shown = false; w.Window.Hide() }
func (w *recWindow) ShowAndRun()                { w.Show() }
func (w *recWindow) closeButton()               { w.intercept() }

func mustItem(t *testing.T, m *fyne.Menu, l string) *fyne.MenuItem {
	t.Helper()
	i := menuItem(m, l)
	if i == nil {
		t.Fatalf("no %q in the tray menu %q", l, menuLabels(m))
	}
	return i
}

func menuLabels(m *fyne.Menu) []string {
	var out []string
	for _, i := range m.Items {
		if i.IsSeparator {
			out = append(out, "-")
			continue
		}
		out = append(out, i.Label)
	}
	return out
}

func menuItem(m *fyne.Menu, label string) *fyne.MenuItem {
	for _, i := range m.Items {
		if !i.IsSeparator && i.Label == label {
			return i
		}
	}
	return nil
}

type deskHarness struct {
	*harness
	desk *desktopApp
	win  *recWindow
}

// newDeskHarness is newHarness on a desktop app; tray says whether the
// desktop shows tray icons; prefs, if set, runs before the UI is built.
func newDeskHarness(t *testing.T, tray bool, prefs func(fyne.Preferences), keys ...string) *deskHarness {
	t.Helper()
	return newDeskHarnessConfig(t, tray, prefs, nil, keys...)
}

// newDeskHarnessConfig is newDeskHarness with edit, if set, changing the
// Config before the UI is built.
func newDeskHarnessConfig(t *testing.T, tray bool, prefs func(fyne.Preferences), edit func(*Config), keys ...string) *deskHarness {
	t.Helper()
	path, clock, opts := newTestVault(t, keys...)
	app := &desktopApp{App: test.NewTempApp(t)}
	if prefs != nil {
		prefs(app.Preferences())
	}
	cfg := Config{VaultPath: path, Options: opts, Clock: clock, Go: func(f func()) { f() },
		TrayAvailable: func() bool { return tray }}
	if edit != nil {
		edit(&cfg)
	}
	u := New(app, cfg)
	t.Cleanup(func() {
		if u.v != nil {
			u.v.Close()
		}
	})
	return &deskHarness{
		harness: &harness{t: t, app: app, u: u, clock: clock, path: path},
		desk:    app, win: app.windows[0],
	}
}

// star makes the named entries favourites, as the star on a row does.
func (h *deskHarness) star(names ...string) {
	h.t.Helper()
	for _, n := range names {
		e, ok := h.u.v.Find(n)
		if !ok {
			h.t.Fatalf("no %q", n)
		}
		if _, err := h.u.v.SetFavorite(e.ID, true); err != nil {
			h.t.Fatal(err)
		}
	}
	h.u.refreshTray()
}

func TestTrayMenuFollowsLockAndFavourites(t *testing.T) {
	h := newDeskHarness(t, true, nil, "OpenAI prod", openaiKey, "GH_deploy", githubKey, "Stripe live", stripeKey)
	h.win.Show()
	h.u.refreshTray()
	if got := strings.Join(h.desk.labels(), "|"); got != "Hide Keyshelf|Unlock…|-|Quit" {
		t.Fatalf("locked tray menu %q", got)
	}
	if h.desk.icon != trayLockedIcon {
		t.Fatal("locked, but not the locked tray icon")
	}
	h.unlock()
	if h.desk.icon != trayIcon || !h.desk.hasItem("Lock") || h.desk.hasItem("Unlock…") {
		t.Fatalf("unlocked: icon %v, menu %q", h.desk.icon.Name(), h.desk.labels())
	}
	h.star("Stripe live", "GH_deploy")
	want := "Hide Keyshelf|Lock|-|Copy " + trayLabel("GH_deploy") + "|Copy Stripe live|-|Quit"
	if got := strings.Join(h.desk.labels(), "|"); got != want {
		t.Fatalf("tray menu %q, want %q", got, want)
	}
	if !h.desk.menu.Items[len(h.desk.menu.Items)-1].IsQuit {
		t.Fatal("Quit is not marked as the quit item")
	}

	h.desk.tap(t, "Lock")
	if h.u.v != nil || h.u.unlock == nil {
		t.Fatal("tray Lock did not lock")
	}
	if h.desk.icon != trayLockedIcon {
		t.Fatal("locked, but not the locked tray icon")
	}
	// Locked, the favourites stay on offer (ux.md); copying one asks for an
	// unlock first (TestTrayCopyWhileLockedIsRefused).
	want = "Hide Keyshelf|Unlock…|-|Copy " + trayLabel("GH_deploy") + "|Copy Stripe live|-|Quit"
	if got := strings.Join(h.desk.labels(), "|"); got != want {
		t.Fatalf("locked tray menu %q, want %q", got, want)
	}
	h.desk.tap(t, "Quit")
	if h.desk.quits != 1 {
		t.Fatal("tray Quit did not quit")
	}
}

func TestTrayLabelEscapesAccelerators(t *testing.T) {
	want := map[string]string{"windows": "Copy A_B && C", "darwin": "Copy A_B & C"}[runtime.GOOS]
	if want == "" {
		want = "Copy A__B & C" // D-Bus menus
	}
	if got := trayLabel("Copy A_B & C"); got != want {
		t.Fatalf("trayLabel = %q, want %q", got, want)
	}
}

func TestTrayCopyClearsAfterTheSetting(t *testing.T) {
	h := newDeskHarness(t, true, func(p fyne.Preferences) { p.SetInt(prefClearSeconds, 20) },
		"OpenAI prod", openaiKey, "GitHub deploy", githubKey)
	h.win.Show()
	h.unlock()
	h.star("GitHub deploy")
	h.win.closeButton()
	if h.win.shown || h.desk.quits != 0 {
		t.Fatal("close with a tray did not just hide the window")
	}
	h.desk.tap(t, "Copy GitHub deploy")
	cb := h.app.Clipboard()
	if cb.Content() != githubKey {
		t.Fatal("tray Copy did not copy the key")
	}
	if n := h.desk.lastNote(); !strings.Contains(n, "GitHub deploy") || !strings.Contains(n, "20 s") || strings.Contains(n, githubKey) {
		t.Fatalf("notification %q", n)
	}
	h.clock.Advance(19 * time.Second)
	if cb.Content() != githubKey {
		t.Fatal("cleared early")
	}
	h.clock.Advance(time.Second)
	if cb.Content() != "" {
		t.Fatal("not cleared after the configured 20 s")
	}
}

func TestTrayCopyWhileLockedIsRefused(t *testing.T) {
	h := newDeskHarness(t, true, nil, "OpenAI prod", openaiKey)
	h.win.Show()
	h.unlock()
	h.star("OpenAI prod")
	h.win.closeButton()
	h.u.Lock()
	mustItem(t, h.desk.menu, "Copy OpenAI prod").Action() // still offered while locked
	if got := h.app.Clipboard().Content(); got != "" {
		t.Fatal("copied while locked")
	}
	if n := h.desk.lastNote(); n != "Unlock Keyshelf to copy OpenAI prod" {
		t.Fatalf("notification %q", n)
	}
	if !h.win.shown || h.u.unlock == nil {
		t.Fatal("the unlock screen was not brought up")
	}
	// Unlocking then completes the copy the user asked for.
	h.unlock()
	if h.app.Clipboard().Content() != openaiKey {
		t.Fatal("the copy asked for while locked did not follow the unlock")
	}
	if !strings.Contains(h.u.main.status.Text, "clears in 30 s") {
		t.Fatalf("status %q", h.u.main.status.Text)
	}
}

func TestRefusedCopyIsDroppedWhenHiddenAgain(t *testing.T) {
	h := newDeskHarness(t, true, nil, "OpenAI prod", openaiKey)
	h.win.Show()
	h.unlock()
	h.star("OpenAI prod")
	stale := mustItem(t, h.desk.menu, "Copy OpenAI prod").Action
	h.u.Lock()
	stale()
	h.win.closeButton() // the user turned the offer down
	h.desk.tap(t, "Show Keyshelf")
	h.unlock()
	if h.app.Clipboard().Content() != "" {
		t.Fatal("a copy the user gave up happened at the next unlock")
	}
}

func TestCloseHidesToTrayAndShowBringsBack(t *testing.T) {
	h := newDeskHarness(t, true, nil, "OpenAI prod", openaiKey)
	h.win.Show()
	h.win.closeButton()
	if h.win.shown || h.desk.quits != 0 {
		t.Fatalf("shown %v, quits %d", h.win.shown, h.desk.quits)
	}
	h.desk.tap(t, "Show Keyshelf")
	if !h.win.shown || !h.desk.hasItem("Hide Keyshelf") {
		t.Fatal("Show did not bring the window back")
	}
	h.desk.tap(t, "Hide Keyshelf")
	if h.win.shown {
		t.Fatal("Hide did not hide")
	}
	h.desk.tap(t, "Unlock…")
	if !h.win.shown || h.u.unlock == nil {
		t.Fatal("Unlock… did not show the unlock screen")
	}
}

func TestCloseQuitsWithoutTray(t *testing.T) {
	h := newDeskHarness(t, false, nil, "OpenAI prod", openaiKey)
	h.win.Show()
	h.unlock()
	h.pressFocused(fyne.KeyReturn)
	if h.u.tray != nil || h.desk.menu != nil {
		t.Fatal("a tray menu without a tray")
	}
	h.win.closeButton()
	if h.desk.quits != 1 {
		t.Fatal("close without a tray did not quit")
	}
	if h.app.Clipboard().Content() != "" {
		t.Fatal("quit left the key on the clipboard")
	}
}

func TestNoTrayOnANonDesktopApp(t *testing.T) {
	app := test.NewTempApp(t)
	asked := false
	u := New(app, Config{VaultPath: filepath.Join(t.TempDir(), "v.keyshelf"), Clock: &fakeClock{}, TrayAvailable: func() bool { asked = true; return true }})
	if u.tray != nil || asked {
		t.Fatal("a tray on an app that cannot show one")
	}
}

func TestStartHidden(t *testing.T) {
	hidden := func(p fyne.Preferences) { p.SetBool(prefStartHidden, true) }
	for _, c := range []struct {
		name        string
		tray, prefs bool
		keys        []string
		shown       bool
	}{
		{"tray", true, true, []string{"a", "secret-a-0000000001"}, false},
		{"no tray", false, true, []string{"a", "secret-a-0000000001"}, true},
		{"not asked", true, false, []string{"a", "secret-a-0000000001"}, true},
		{"no vault yet", true, true, nil, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			var p func(fyne.Preferences)
			if c.prefs {
				p = hidden
			}
			h := newDeskHarness(t, c.tray, p, c.keys...)
			h.u.Run()
			if h.win.shown != c.shown {
				t.Fatalf("window shown %v, want %v", h.win.shown, c.shown)
			}
			if !c.shown && (h.desk.runs != 1 || !h.desk.hasItem("Show Keyshelf")) {
				t.Fatalf("hidden start: runs %d, menu %q", h.desk.runs, h.desk.labels())
			}
		})
	}
}

func TestTrayMenuSkipsDeletedFavourite(t *testing.T) {
	h := newDeskHarness(t, true, nil, "OpenAI prod", openaiKey, "b", "secret-b-0000000001")
	h.win.Show()
	h.unlock()
	h.star("OpenAI prod")
	copyItem := mustItem(t, h.desk.menu, "Copy OpenAI prod").Action
	e, _ := h.u.v.Find("OpenAI prod")
	if _, err := h.u.v.Delete(e.ID); err != nil {
		t.Fatal(err)
	}
	copyItem()
	if h.app.Clipboard().Content() != "" || slices.Contains(h.desk.labels(), "Copy OpenAI prod") {
		t.Fatal("a deleted favourite was copied or is still listed")
	}
}
