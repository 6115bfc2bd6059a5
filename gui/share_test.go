package gui

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	agecrypt "filippo.io/age"
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"keyshelf/vault/share"
)

func TestShareAndReceiveInTheWindow(t *testing.T) {
	t.Setenv("HOME", t.TempDir()) // no ~/.ssh keys: the identity is picked
	h := newHarness(t, "OpenAI prod", openaiKey)
	h.unlock()
	id, err := agecrypt.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	saved := 0
	h.u.savePicker = func(name string, done func(string)) {
		saved++
		if saved > 1 {
			name = "second " + name
		}
		done(filepath.Join(dir, name))
	}
	e, _ := h.u.v.Find("OpenAI prod")

	// For a public key.
	h.u.main.showShare(e)
	to, ok := findVisible(h.u.win.Canvas().Overlays().Top(), func(w *widget.Entry) bool { return true })
	if !ok {
		t.Fatal("no recipient field")
	}
	h.typeFocused("not a key")
	h.tap("Share…")
	if !strings.Contains(h.dialogText(), "Not an age or SSH public key") {
		t.Fatalf("a bad recipient says:\n%s", h.dialogText())
	}
	to.SetText(id.Recipient().String())
	h.tap("Share…")
	data, err := os.ReadFile(filepath.Join(dir, "OpenAI prod.age"))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := share.Open(data, id); err != nil || got.Secret != openaiKey || got.EnvName != "OPENAI_API_KEY" {
		t.Fatalf("the share opens to %+v, %v", got.Name, err)
	}

	// For a one-time passphrase, shown once.
	h.u.main.showShare(e)
	check, _ := findVisible(h.u.win.Canvas().Overlays().Top(), func(c *widget.Check) bool { return true })
	test.Tap(check)
	h.tap("Share…")
	m := regexp.MustCompile(`[a-z2-9]{4}(-[a-z2-9]{4}){5}`).FindString(h.dialogText())
	if m == "" {
		t.Fatalf("no passphrase shown:\n%s", h.dialogText())
	}
	h.tap("Done")

	// The teammate's window: receive both.
	g := newHarness(t, "GitHub", githubKey)
	g.unlock()
	idFile := filepath.Join(dir, "keys.txt")
	os.WriteFile(idFile, []byte(id.String()+"\n"), 0o600)
	g.u.identityPicker = func(done func(string)) { done(idFile) }
	g.u.filePicker = func(done func(string)) { done(filepath.Join(dir, "OpenAI prod.age")) }
	runMenu(t, g, "File", "Receive a shared key…")
	got, ok := g.u.v.Find("OpenAI prod")
	if !ok || got.Secret != openaiKey || got.EnvName != "OPENAI_API_KEY" {
		t.Fatal("the shared key was not added")
	}
	runMenu(t, g, "File", "Receive a shared key…")
	if !strings.Contains(g.u.main.status.Text, "already has the key") {
		t.Errorf("a second receive: %q", g.u.main.status.Text)
	}
	// Someone else's key opens nothing.
	other, _ := agecrypt.GenerateX25519Identity()
	os.WriteFile(idFile, []byte(other.String()+"\n"), 0o600)
	g.u.v.Delete(got.ID)
	runMenu(t, g, "File", "Receive a shared key…")
	if !strings.Contains(g.dialogText(), "for someone else") {
		t.Errorf("a share for someone else:\n%s", g.dialogText())
	}
	g.escape()
	// The passphrase share the window wrote.
	pshare := filepath.Join(dir, "second OpenAI prod.age")
	g.u.filePicker = func(done func(string)) { done(pshare) }
	runMenu(t, g, "File", "Receive a shared key…")
	g.typeFocused("wrong")
	g.pressFocused(fyne.KeyReturn)
	if !strings.Contains(g.dialogText(), "Wrong passphrase") {
		t.Fatalf("a wrong passphrase:\n%s", g.dialogText())
	}
	g.typeFocused(m)
	g.pressFocused(fyne.KeyReturn)
	if _, ok := g.u.v.Find("OpenAI prod"); !ok {
		t.Error("the passphrase share was not added")
	}
}
