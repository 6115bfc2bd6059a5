package gui

import (
	"errors"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"keyshelf/vault"
	"keyshelf/vault/keychain"
)

// noBrowserApp is the test app on a system without a browser launcher.
type noBrowserApp struct{ fyne.App }

func (noBrowserApp) OpenURL(*url.URL) error {
	return errors.New(`exec: "xdg-open": executable file not found in $PATH`)
}

// TestKeyPageWithoutBrowser: Open key page with no browser launcher shows
// the address to copy, not the launcher's error.
func TestKeyPageWithoutBrowser(t *testing.T) {
	path := filepath.Join(t.TempDir(), "vault.keyshelf")
	clock := &fakeClock{now: time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)}
	opts := vault.Options{KDF: testKDF, Keychain: &keychain.Memory{}, Now: clock.Now}
	v, err := vault.Create(path, testPass, opts)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Add(vault.Draft{Name: "GitHub deploy", Secret: githubKey}); err != nil {
		t.Fatal(err)
	}
	v.Close()
	app := noBrowserApp{test.NewTempApp(t)}
	u := New(app, Config{VaultPath: path, Options: opts, Clock: clock, Go: func(f func()) { f() }})
	u.Window().Show()
	h := &harness{t: t, app: app, u: u, clock: clock, path: path}
	h.unlock()
	t.Cleanup(func() { u.v.Close() })
	e, _ := u.v.Find("GitHub deploy")
	u.main.openKeyPage(e)
	m := h.markup()
	if strings.Contains(m, "xdg-open") || !strings.Contains(m, "https://github.com/") {
		t.Fatalf("no address to copy:\n%s", m)
	}
	h.tap("Copy address")
	if got := app.Clipboard().Content(); !strings.HasPrefix(got, "https://github.com/") {
		t.Fatalf("copied %q", got)
	}
}
