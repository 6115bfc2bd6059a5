package gui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"keyshelf/vault"
)

func TestExportPlainText(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey, "GitHub", githubKey)
	h.unlock()
	dir := t.TempDir()
	var offered string
	h.u.savePicker = func(name string, done func(string)) { offered = name; done(filepath.Join(dir, name)) }
	runMenu(t, h, "File", "Export keys…")
	ex := h.u.exporter
	if ex == nil {
		t.Fatal("no export dialog")
	}
	ex.kind.SetSelectedIndex(2) // shell script
	if !ex.passBox.Hidden || ex.save.Disabled() || !strings.Contains(ex.warn.Text, "plain text") {
		t.Fatal("a plain-text export asks for a passphrase, cannot be saved, or gives no warning")
	}
	ex.submit()
	if offered != "keys.sh" {
		t.Errorf("offered %q", offered)
	}
	b, err := os.ReadFile(filepath.Join(dir, "keys.sh"))
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != "export GITHUB_TOKEN='"+githubKey+"'\nexport OPENAI_API_KEY='"+openaiKey+"'\n" {
		t.Error("the script holds something else")
	}
	if info, _ := os.Stat(filepath.Join(dir, "keys.sh")); info.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", info.Mode().Perm())
	}
	if !strings.Contains(h.u.main.status.Text, "Exported 2 keys in plain text to keys.sh") {
		t.Errorf("status %q", h.u.main.status.Text)
	}
	e, _ := h.u.v.Find("GitHub")
	e, _ = h.u.v.Get(e.ID)
	if last := e.Log[len(e.Log)-1]; last.Action != vault.ActionExported {
		t.Errorf("GitHub's last event: %+v", last)
	}

	// Only what a search shows.
	h.typeFocused("openai")
	runMenu(t, h, "File", "Export keys…")
	ex = h.u.exporter
	ex.kind.SetSelectedIndex(1)
	ex.which.SetSelected(exportShown)
	ex.submit()
	if b, _ := os.ReadFile(filepath.Join(dir, ".env")); string(b) != "OPENAI_API_KEY="+openaiKey+"\n" {
		t.Error("the .env holds more than the key shown")
	}
}

func TestExportBackupFromTheWindow(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey, "GitHub", githubKey)
	h.unlock()
	dir := t.TempDir()
	h.u.savePicker = func(name string, done func(string)) { done(filepath.Join(dir, name)) }
	runMenu(t, h, "File", "Export keys…")
	ex := h.u.exporter
	if ex.chosen().shell != "" || ex.passBox.Hidden {
		t.Fatal("the backup is not the first choice, or asks no passphrase")
	}
	if !ex.save.Disabled() {
		t.Fatal("a backup without a passphrase can be saved")
	}
	test.Type(ex.pass, "a long passphrase for the backup")
	test.Type(ex.again, "a long passphrase for the backup!")
	if !ex.save.Disabled() || !strings.Contains(ex.problem.Text, "differ") {
		t.Fatalf("differing passphrases: %q", ex.problem.Text)
	}
	ex.again.SetText("a long passphrase for the backup")
	if ex.save.Disabled() {
		t.Fatal("Export stays greyed")
	}
	ex.submit()
	path := filepath.Join(dir, "keyshelf-backup.keyshelf")
	b, err := vault.Open(path, "a long passphrase for the backup", vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if b.Len() != 2 {
		t.Errorf("the backup holds %d keys", b.Len())
	}
	if e, ok := b.Find("OpenAI prod"); !ok || e.Secret != openaiKey {
		t.Error("the backup lacks a key")
	}
	// A second backup to the same file is refused, and said.
	runMenu(t, h, "File", "Export keys…")
	ex = h.u.exporter
	ex.pass.SetText("a long passphrase for the backup")
	ex.again.SetText("a long passphrase for the backup")
	ex.submit()
	if text := h.dialogText(); !strings.Contains(text, "already exists") {
		t.Errorf("replacing a file says:\n%s", text)
	}
}
