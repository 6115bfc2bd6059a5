package gui

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"keyshelf/vault"
	"keyshelf/vault/keychain"
)

// openSettings opens the settings with Ctrl+, (Cmd+, on macOS).
func (h *harness) openSettings() *settingsView {
	h.t.Helper()
	h.u.win.Canvas().(fyne.Shortcutable).TypedShortcut(settingsShortcut)
	if h.u.settings == nil {
		h.t.Fatal("Ctrl+, did not open the settings")
	}
	return h.u.settings
}

func TestSettingsClearTimeIsStoredAndUsed(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey)
	h.unlock()
	sv := h.openSettings()
	if sv.clear.Selected != "30 seconds" {
		t.Fatalf("clear time shows %q, want the default 30 seconds", sv.clear.Selected)
	}
	sv.clear.SetSelected("10 seconds")
	if n := h.app.Preferences().Int(prefClearSeconds); n != 10 {
		t.Fatalf("stored %d", n)
	}
	sv.dlg.Hide()
	if h.u.settings != nil {
		t.Fatal("closed settings still recorded as open")
	}
	h.u.win.Canvas().Focus(h.u.main.search)
	h.pressFocused(fyne.KeyReturn)
	if !strings.Contains(h.u.main.status.Text, "clears in 10 s") {
		t.Fatalf("status %q", h.u.main.status.Text)
	}
	h.clock.Advance(10 * time.Second)
	if h.app.Clipboard().Content() != "" {
		t.Fatal("not cleared after the chosen 10 s")
	}
}

func TestSettingsAutoLockAndOddValues(t *testing.T) {
	h := newHarness(t)
	h.app.Preferences().SetInt(prefClearSeconds, 300) // set outside the dialog
	sv := h.openSettings()
	if sv.clear.Selected != "5 minutes" {
		t.Fatalf("a stored 300 s shows as %q", sv.clear.Selected)
	}
	if sv.autoLock.Selected != "5 minutes" {
		t.Fatalf("auto-lock shows %q, want the default", sv.autoLock.Selected)
	}
	sv.autoLock.SetSelected("Never")
	if h.u.prefs.AutoLock() != 0 || h.app.Preferences().IntWithFallback(prefAutoLockMins, -1) != 0 {
		t.Fatal("Never not stored")
	}
	sv.autoLock.SetSelected("1 hour")
	if h.u.prefs.AutoLock() != time.Hour {
		t.Fatalf("auto-lock %v", h.u.prefs.AutoLock())
	}
}

func TestSettingsThemeAppliedAtOnceAndAtStart(t *testing.T) {
	h := newHarness(t)
	sv := h.openSettings()
	bg := func() any {
		return h.app.Settings().Theme().Color(theme.ColorNameBackground, theme.VariantLight)
	}
	dark := theme.DefaultTheme().Color(theme.ColorNameBackground, theme.VariantDark)
	light := theme.DefaultTheme().Color(theme.ColorNameBackground, theme.VariantLight)
	sv.theme.SetSelected("Dark")
	if h.app.Preferences().String(prefTheme) != themeDark || bg() != dark {
		t.Fatal("Dark not applied")
	}
	sv.theme.SetSelected("Light")
	if bg := h.app.Settings().Theme().Color(theme.ColorNameBackground, theme.VariantDark); bg != light {
		t.Fatal("Light not applied")
	}
	sv.theme.SetSelected("System")
	if th := h.app.Settings().Theme(); th.Color(theme.ColorNameBackground, theme.VariantDark) != dark ||
		th.Color(theme.ColorNameBackground, theme.VariantLight) != light || h.app.Preferences().String(prefTheme) != themeSystem {
		t.Fatal("System not applied")
	}

	// A new start applies the stored choice.
	d := newDeskHarness(t, false, func(p fyne.Preferences) { p.SetString(prefTheme, themeDark) })
	if d.app.Settings().Theme().Color(theme.ColorNameBackground, theme.VariantLight) != dark {
		t.Fatal("the stored theme was not applied at start")
	}
}

func TestSettingsStartHiddenNeedsATray(t *testing.T) {
	h := newHarness(t) // the test app has no tray
	sv := h.openSettings()
	if !sv.startHidden.Disabled() {
		t.Fatal("start hidden offered without a tray")
	}
	d := newDeskHarness(t, true, nil)
	sv = d.openSettings()
	if sv.startHidden.Disabled() {
		t.Fatal("start hidden not offered with a tray")
	}
	test.Tap(sv.startHidden)
	if !d.u.prefs.StartHidden() {
		t.Fatal("start hidden not stored")
	}
}

func TestSettingsRememberThisDevice(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey)
	sv := h.openSettings()
	if !sv.remember.Disabled() {
		t.Fatal("remember offered while locked")
	}
	// Unlock under the open dialog.
	test.Type(h.u.unlock.pass, testPass)
	h.u.unlockWithPassphrase(h.u.unlock)
	if sv.remember.Disabled() || sv.remember.Checked {
		t.Fatalf("after unlock: disabled %v, checked %v", sv.remember.Disabled(), sv.remember.Checked)
	}
	test.Tap(sv.remember)
	if !slices.Contains(h.u.v.DeviceLabels(), vault.ThisDeviceLabel()) || !sv.remember.Checked || sv.remember.Disabled() {
		t.Fatal("this device not remembered")
	}
	test.Tap(sv.remember)
	if len(h.u.v.DeviceLabels()) != 0 || sv.remember.Checked {
		t.Fatal("this device not forgotten")
	}
	h.u.Lock()
	if h.u.settings != nil || len(h.u.win.Canvas().Overlays().List()) != 0 {
		t.Fatal("the settings outlived the lock")
	}
	if sv = h.openSettings(); !sv.remember.Disabled() {
		t.Fatal("remember offered after the lock")
	}
}

// Forgetting this device renews the vault's data key, which needs the
// passphrase: after an unlock with the device key the window asks for it.
func TestSettingsForgetAfterDeviceUnlockAsksThePassphrase(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey)
	h.unlock()
	if err := h.u.v.Remember(""); err != nil {
		t.Fatal(err)
	}
	h.u.Lock()
	h.u.unlockWithDevice(h.u.unlock)
	if h.u.v == nil {
		t.Fatal("device unlock failed")
	}
	sv := h.openSettings()
	if !sv.remember.Checked {
		t.Fatal("not shown as remembered")
	}
	test.Tap(sv.remember)
	if !strings.Contains(h.markup(), "Forget this device") {
		t.Fatal("no passphrase asked")
	}
	pass := h.u.win.Canvas().Focused().(*widget.Entry)
	test.Type(pass, "wrong passphrase")
	h.tap("Forget")
	if !strings.Contains(h.markup(), "Wrong passphrase. Try again.") || len(h.u.v.DeviceLabels()) != 1 {
		t.Fatal("a wrong passphrase forgot the device or was not reported")
	}
	pass = h.u.win.Canvas().Focused().(*widget.Entry)
	test.Type(pass, testPass)
	h.tap("Forget")
	if len(h.u.v.DeviceLabels()) != 0 || sv.remember.Checked {
		t.Fatal("this device not forgotten")
	}
	if !strings.Contains(h.markup(), "Device forgotten") {
		t.Fatal("the user is not told what happened")
	}
}

func TestSettingsRememberFailsWithoutKeychain(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey)
	h.unlock()
	kc := h.u.cfg.Options.Keychain.(*keychain.Memory)
	kc.Fail = keychain.ErrUnavailable
	sv := h.openSettings()
	test.Tap(sv.remember)
	if sv.remember.Checked || len(h.u.v.DeviceLabels()) != 0 {
		t.Fatal("shown or stored as remembered although the keychain failed")
	}
	markup := test.RenderToMarkup(h.u.win.Canvas())
	if !strings.Contains(markup, "could not be remembered") {
		t.Fatal("no error shown")
	}
}

func TestSettingsRememberNeedsAKeychain(t *testing.T) {
	app := test.NewTempApp(t)
	// The fake clock: on the real one, the unlocked window's minute timer
	// would fire during a later test, from a timer goroutine.
	u := New(app, Config{VaultPath: filepath.Join(t.TempDir(), "v.keyshelf"), Clock: &fakeClock{}, Go: func(f func()) { f() }})
	path := u.cfg.VaultPath
	v, err := vault.Create(path, testPass, vault.Options{KDF: testKDF})
	if err != nil {
		t.Fatal(err)
	}
	u.unlocked(v)
	defer v.Close()
	u.showSettings()
	if !u.settings.remember.Disabled() {
		t.Fatal("remember offered without a keychain")
	}
}

func TestSettingsChooseVault(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey)
	h.unlock()
	h.openSettings()
	other := filepath.Join(t.TempDir(), "other.keyshelf")
	h.u.openVaultAt(other)
	if h.u.settings != nil {
		t.Fatal("settings still open after switching vaults")
	}
	if h.u.v != nil || h.u.welcome == nil {
		t.Fatal("not on the welcome screen of the new vault")
	}
	if h.app.Preferences().String(PrefVaultPath) != other || h.u.cfg.VaultPath != other {
		t.Fatal("the chosen vault is not remembered")
	}
	if sv := h.openSettings(); sv.path.Text != other {
		t.Fatalf("settings show %q", sv.path.Text)
	}
}

func TestSettingsEscapeCloses(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey)
	h.unlock()
	h.openSettings()
	h.u.win.Canvas().Unfocus()
	h.u.typedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if h.u.settings != nil || h.u.dlg != nil {
		t.Fatal("Escape did not close the settings")
	}
}

func TestSettingsRotationFailedSaveOffersTryAgain(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey)
	h.unlock()
	before := h.u.v.RotationDays()
	sv := h.openSettings()
	// Replace the vault's folder by a file: the save cannot write.
	dir := filepath.Dir(h.path)
	moved := dir + ".moved"
	if err := os.Rename(dir, moved); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	sv.rotation.SetSelected("30 days")
	if h.findButton("Try again") == nil || !strings.Contains(h.markup(), "Could not save") || !strings.Contains(h.markup(), "no longer on disk") {
		t.Fatal("no save-failed dialog with Try again")
	}
	if h.u.v.RotationDays() != before || sv.rotation.Selected != plural(before, "day") {
		t.Fatalf("after the failed save: vault %d days, settings show %q", h.u.v.RotationDays(), sv.rotation.Selected)
	}
	if err := os.Remove(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(moved, dir); err != nil {
		t.Fatal(err)
	}
	h.tap("Try again")
	if h.u.v.RotationDays() != 30 || sv.rotation.Selected != "30 days" {
		t.Fatalf("after Try again: vault %d days, settings show %q", h.u.v.RotationDays(), sv.rotation.Selected)
	}
	h.shortcut(lockShortcut)
	h.unlock()
	if h.u.v.RotationDays() != 30 {
		t.Fatal("the retried change was not saved")
	}
}

// fakeLogin is a LoginItem that records its state and can refuse.
type fakeLogin struct {
	on    bool
	fail  error
	calls []string
}

func (f *fakeLogin) Enabled() (bool, error) { return f.on, nil }
func (f *fakeLogin) Enable() error {
	f.calls = append(f.calls, "enable")
	if f.fail != nil {
		return f.fail
	}
	f.on = true
	return nil
}
func (f *fakeLogin) Disable() error {
	f.calls = append(f.calls, "disable")
	if f.fail != nil {
		return f.fail
	}
	f.on = false
	return nil
}

func TestSettingsStartAtLogin(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey)
	sv := h.openSettings()
	if !sv.login.Disabled() || sv.loginNote.Text != loginNoWords {
		t.Fatalf("offered without a login item: disabled %v, note %q", sv.login.Disabled(), sv.loginNote.Text)
	}
	sv.dlg.Hide()

	login := &fakeLogin{}
	h.u.cfg.LoginItem = login
	sv = h.openSettings()
	if sv.login.Disabled() || sv.login.Checked || sv.loginNote.Text != loginOffWords {
		t.Fatalf("off by default: disabled %v, checked %v, note %q", sv.login.Disabled(), sv.login.Checked, sv.loginNote.Text)
	}
	test.Tap(sv.login)
	if !login.on || sv.loginNote.Text != loginOnWords {
		t.Fatalf("after a tap: on %v, note %q", login.on, sv.loginNote.Text)
	}
	sv.dlg.Hide()
	sv = h.openSettings()
	if !sv.login.Checked {
		t.Fatal("the dialog does not show the login item that is there")
	}
	test.Tap(sv.login)
	if login.on || sv.loginNote.Text != loginOffWords {
		t.Fatalf("after a second tap: on %v, note %q", login.on, sv.loginNote.Text)
	}

	// Refused: the check goes back and the note says why, once.
	login.fail = errors.New("permission denied")
	login.calls = nil
	test.Tap(sv.login)
	if sv.login.Checked || login.on {
		t.Fatal("the check stays on after the system refused")
	}
	if want := "Keyshelf could not add itself to the login items: permission denied"; sv.loginNote.Text != want {
		t.Fatalf("note %q, want %q", sv.loginNote.Text, want)
	}
	if !slices.Equal(login.calls, []string{"enable"}) {
		t.Fatalf("calls %v, want one enable (reverting must not call again)", login.calls)
	}
}
