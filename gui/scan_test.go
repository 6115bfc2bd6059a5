package gui

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"keyshelf/vault/check"
	"keyshelf/vault/leakscan"
	"keyshelf/vault/lifecycle"
)

func TestScanAFolder(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey, "GitHub", githubKey)
	h.unlock()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "app.py"), []byte("import os\nclient = OpenAI(api_key='"+openaiKey+"')\n"), 0o600)
	os.WriteFile(filepath.Join(dir, ".env"), []byte("STRIPE_API_KEY=sk_live_abcdefghijklmnopqrstuvwx0123\n"), 0o600)
	h.u.folderPicker = func(done func(string)) { done(dir) }
	runMenu(t, h, "File", "Scan a folder for keys…")
	sv := h.u.scan
	if sv == nil || !sv.done {
		t.Fatal("no finished scan")
	}
	text := allText(h.u.win.Canvas().Overlays().Top())
	for _, want := range []string{"2 files read", "2 keys found where they should not be", "marked exposed",
		".env:1", "Stripe key sk_live_", "app.py:2", "your key “OpenAI prod”"} {
		if !strings.Contains(text, want) {
			t.Errorf("the scan says:\n%s\nwithout %q", text, want)
		}
	}
	if strings.Contains(text, openaiKey) {
		t.Fatal("the scan shows a full key")
	}
	e, _ := h.u.v.Find("OpenAI prod")
	if e.Attention(90, h.clock.Now(), loc) != lifecycle.Exposed || e.Exposed[0].Where != filepath.Join(dir, "app.py")+":2" {
		t.Fatalf("the key is not marked exposed: %+v", e.Exposed)
	}
	// Accept the Stripe find: it goes to the folder's ignore file.
	accept, ok := findVisible(h.u.win.Canvas().Overlays().Top(), func(b *widget.Button) bool { return b.Text == "Accept" })
	if !ok {
		t.Fatal("no Accept button")
	}
	test.Tap(accept)
	if accept.Text != "Accepted" {
		t.Error("Accept did not say so")
	}
	ign, err := leakscan.LoadIgnore([]string{dir})
	if err != nil || !ign.Has(sv.res.Finds[0].Root, strings.SplitN(sv.res.Finds[0].Fingerprint, ":", 2)[1], ".env") {
		t.Errorf("the find is not in %s: %v", leakscan.IgnoreFile, err)
	}
	// Rotate… of the vault's key opens the rotation.
	rot, ok := findVisible(h.u.win.Canvas().Overlays().Top(), func(b *widget.Button) bool { return b.Text == "Rotate…" })
	if !ok {
		t.Fatal("no Rotate… for the vault's key")
	}
	test.Tap(rot)
	if h.u.scan != nil || !strings.Contains(h.dialogText(), "OpenAI prod") {
		t.Errorf("Rotate… did not open the rotation:\n%s", h.dialogText())
	}
	// The row's age column says it.
	h.escape()
	if !strings.Contains(h.markup(), ">exposed<") {
		t.Error("the list does not show the key as exposed")
	}
}

func TestMarkExposedByHand(t *testing.T) {
	h := newHarness(t, "GitHub", githubKey)
	h.unlock()
	e, _ := h.u.v.Find("GitHub")
	it := h.u.main.exposedMenuItem(e)
	if it.Label != "Mark as exposed…" {
		t.Fatalf("menu item %q", it.Label)
	}
	it.Action()
	h.pressFocused(fyne.KeyReturn) // nothing typed: refused
	if !strings.Contains(h.dialogText(), "Say where the key was exposed") {
		t.Fatalf("an empty place:\n%s", h.dialogText())
	}
	h.typeFocused("pasted in a chat")
	h.pressFocused(fyne.KeyReturn)
	if e, _ = h.u.v.Find("GitHub"); len(e.Exposed) != 1 || e.Exposed[0].Where != "pasted in a chat" {
		t.Fatalf("not marked: %+v", e.Exposed)
	}
	if !strings.Contains(h.markup(), ">exposed<") {
		t.Error("the list does not show it")
	}
	it = h.u.main.exposedMenuItem(e)
	it.Action()
	if e, _ = h.u.v.Find("GitHub"); len(e.Exposed) != 0 {
		t.Error("the mark stayed")
	}
}

func TestScanCheckIt(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") == "token "+githubKey {
			w.Write([]byte(`{"login":"octocat"}`))
			return
		}
		w.WriteHeader(401)
	}))
	t.Cleanup(srv.Close)
	h.u.checker = &check.Checker{Client: srv.Client(), Now: h.clock.Now, Bases: map[string]string{"github": srv.URL}}
	h.unlock()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "ci.yml"), []byte("token: "+githubKey+"\n"), 0o600)
	h.u.folderPicker = func(done func(string)) { done(dir) }
	runMenu(t, h, "File", "Scan a folder for keys…")
	b, ok := findVisible(h.u.win.Canvas().Overlays().Top(), func(b *widget.Button) bool { return b.Text == "Check it" })
	if !ok {
		t.Fatal("no Check it for a key the vault does not hold")
	}
	test.Tap(b)
	if text := h.dialogText(); !strings.Contains(text, "LIVE (valid): whoever owns it must revoke it") || strings.Contains(text, githubKey) {
		t.Errorf("after Check it:\n%s", text)
	}
}
