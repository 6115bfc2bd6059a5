package gui

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"keyshelf/internal/bwexport"
)

const (
	newOpenAIKey = "sk-proj-ZYXWVUTSRQPONMLKJIHGT3BlbkFJzyxwvutsrqponmlk98765"
)

// importEnv is a project's .env: a key whose name the vault has, a key the
// vault has under another name, two new keys and a setting.
var importEnv = "# project settings\n" +
	"export OPENAI_API_KEY='" + newOpenAIKey + "'\n" +
	"GITHUB_TOKEN=" + githubKey + "\n" +
	"STRIPE_API_KEY=\"" + stripeKey + "\" # live\n" +
	"ANTHROPIC_API_KEY=" + anthropicKey + "\n" +
	"PORT=8080\n"

func writeImport(t *testing.T, name, data string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// importRowNamed is the preview's row whose name field says name.
func importRowNamed(t *testing.T, h *harness, name string) *importRow {
	t.Helper()
	ov := h.u.win.Canvas().Overlays().Top()
	r, ok := findVisible(ov, func(r *importRow) bool { return r.name.Text == name })
	if !ok {
		t.Fatalf("no import row named %q", name)
	}
	return r
}

func rename(r *importRow, name string) {
	r.name.TypedShortcut(&fyne.ShortcutSelectAll{})
	test.Type(r.name, name)
}

// allText is every label's and entry's text under o.
func allText(o fyne.CanvasObject) string {
	var b strings.Builder
	findVisible(o, func(w fyne.CanvasObject) bool {
		switch v := w.(type) {
		case *widget.Label:
			b.WriteString(v.Text + "\n")
		case *widget.Entry:
			b.WriteString(v.Text + "\n")
		case *widget.RichText:
			b.WriteString(v.String() + "\n")
		}
		return false
	})
	return b.String()
}

func TestImportPreview(t *testing.T) {
	h := newHarness(t, "OPENAI_API_KEY", openaiKey, "Deploy", githubKey)
	h.unlock()
	path := writeImport(t, "project.env", importEnv)
	h.u.filePicker = func(done func(string)) { done(path) }
	h.u.Window().Resize(fyne.NewSize(960, 640))

	runMenu(t, h, "File", "Import keys…")
	iv := h.u.imports
	if iv == nil {
		t.Fatal("no import preview")
	}
	preview := h.u.win.Canvas().Overlays().Top()
	text := allText(preview)
	for _, secret := range []string{newOpenAIKey, githubKey, stripeKey, anthropicKey} {
		if strings.Contains(text, secret) {
			t.Fatal("the preview shows a full key")
		}
	}
	for _, want := range []string{"in the vault as Deploy", "renamed: the name is taken", "a setting, not a key", "5 values found in project.env (.env file)"} {
		if !strings.Contains(text, want) {
			t.Errorf("the preview does not say %q:\n%s", want, text)
		}
	}
	if got := importRowNamed(t, h, "GITHUB_TOKEN"); got.check.Checked {
		t.Error("the key the vault already holds is ticked")
	}
	if got := importRowNamed(t, h, "PORT"); got.check.Checked {
		t.Error("the setting is ticked")
	}
	if iv.ok.Text != "Import 3 keys" {
		t.Errorf("button says %q, want Import 3 keys", iv.ok.Text)
	}

	// Untick one; rename the clash, first to a taken name, then a free one.
	test.Tap(importRowNamed(t, h, "ANTHROPIC_API_KEY").check)
	clash := importRowNamed(t, h, "OPENAI_API_KEY (2)")
	rename(clash, "deploy")
	if !iv.problem.Visible() || !strings.Contains(iv.problem.Text, "already has a key with this name") || !iv.ok.Disabled() {
		t.Fatalf("a taken name: problem %q (shown %v), Import disabled %v", iv.problem.Text, iv.problem.Visible(), iv.ok.Disabled())
	}
	rename(clash, "OpenAI new")
	if iv.problem.Visible() || iv.ok.Disabled() || iv.ok.Text != "Import 2 keys" {
		t.Fatalf("after the rename: problem %q, button %q disabled %v", iv.problem.Text, iv.ok.Text, iv.ok.Disabled())
	}
	h.tap("Import 2 keys")

	if h.u.imports != nil {
		t.Fatal("the preview is still open")
	}
	got := map[string]string{}
	for _, e := range h.u.v.List() {
		got[e.Name] = e.Secret
	}
	want := map[string]string{"OPENAI_API_KEY": openaiKey, "Deploy": githubKey, "OpenAI new": newOpenAIKey, "STRIPE_API_KEY": stripeKey}
	if len(got) != len(want) {
		t.Fatalf("vault holds %d keys, want %d", len(got), len(want))
	}
	for n, s := range want {
		if got[n] != s {
			t.Errorf("after import, %q is missing or holds another key", n)
		}
	}
	summary := allText(h.u.win.Canvas().Overlays().Top())
	if !strings.Contains(summary, "Imported 2 keys from project.env.") || !strings.Contains(summary, "1 value already in the vault was skipped") {
		t.Errorf("summary:\n%s", summary)
	}
	if strings.Contains(summary, "delete project.env") {
		t.Error("a .env file is not an export to delete")
	}
	if on, _ := os.ReadFile(path); !bytes.Equal(on, []byte(importEnv)) {
		t.Error("the imported file was changed")
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("the import left files beside the one read: %d entries", len(entries))
	}

	// The same file again: everything is in the vault now but the two
	// left out, so nothing is ticked and Import cannot be pressed.
	h.u.closeDialogs()
	h.u.importFile(path)
	if h.u.imports == nil {
		t.Fatal("no preview the second time")
	}
	if n := h.u.imports.taken(); n != 1 || h.u.imports.ok.Disabled() {
		// ANTHROPIC_API_KEY was left out, so it is still new.
		t.Fatalf("second import ticks %d rows, want the one left out", n)
	}
	test.Tap(importRowNamed(t, h, "ANTHROPIC_API_KEY").check)
	if !h.u.imports.ok.Disabled() {
		t.Error("Import can be pressed with nothing ticked")
	}
}

func TestImportDropAndBadFiles(t *testing.T) {
	h := newHarness(t, "Deploy", githubKey)
	env := writeImport(t, "keys.env", "STRIPE_API_KEY="+stripeKey+"\n")

	// Locked: a drop says to unlock first and reads nothing.
	h.u.dropped(fyne.Position{}, []fyne.URI{storage.NewFileURI(env)})
	if !strings.Contains(h.u.unlock.errLabel.Text, "Unlock first") {
		t.Fatalf("locked drop says %q", h.u.unlock.errLabel.Text)
	}
	h.unlock()
	h.u.dropped(fyne.Position{}, []fyne.URI{storage.NewFileURI(env)})
	if h.u.imports == nil || h.u.imports.taken() != 1 {
		t.Fatal("a dropped .env file shows no preview with its key ticked")
	}
	h.u.imports.dlg.Hide()

	for _, c := range []struct{ name, data, want string }{
		{"vault.keyshelf", "keyshelf-vault/v1\n", "Keyshelf could not read this Keyshelf backup"},
		{"bw.json", `{"encrypted": true, "encKeyValidation_DO_NOT_EDIT": "2.x|y|z", "data": "2.x|y|z"}`, "only Bitwarden can open"},
		{"broken.xml", "<?xml version=\"1.0\"?><KeePassFile><Root><Group>", "Keyshelf could not read this KeePassXC XML export"},
	} {
		h.u.closeDialogs()
		h.u.importFile(writeImport(t, c.name, c.data))
		if h.u.imports != nil {
			t.Fatalf("%s: a preview opened", c.name)
		}
		if text := allText(h.u.win.Canvas().Overlays().Top()); !strings.Contains(text, c.want) {
			t.Errorf("%s: the error says:\n%s\nwant %q", c.name, text, c.want)
		}
	}
	h.u.closeDialogs()
	h.u.importFile(filepath.Join(t.TempDir(), "gone.env"))
	if text := allText(h.u.win.Canvas().Overlays().Top()); !strings.Contains(text, "no longer there") {
		t.Errorf("a missing file says:\n%s", text)
	}
}

// runMenu runs the main menu's item label in the menu titled menu.
func runMenu(t *testing.T, h *harness, menu, label string) {
	t.Helper()
	for _, m := range h.u.win.MainMenu().Items {
		if m.Label != menu {
			continue
		}
		if it := menuItem(m, label); it != nil {
			it.Action()
			return
		}
	}
	t.Fatalf("no menu item %s ▸ %s", menu, label)
}

func TestImportProtectedBitwardenExport(t *testing.T) {
	h := newHarness(t, "Deploy", githubKey)
	h.unlock()
	plain := `{"encrypted": false, "folders": [], "items": [{"id": "i1", "type": 1, "name": "Stripe live",
	  "login": {"uris": [], "username": null, "password": "` + stripeKey + `"}}]}`
	sealed, err := bwexport.Seal(plain, "fake export password", 0, 5000)
	if err != nil {
		t.Fatal(err)
	}
	path := writeImport(t, "bitwarden_encrypted_export.json", string(sealed))
	h.u.importFile(path)
	if h.u.imports != nil {
		t.Fatal("a preview before the password")
	}
	dlg := h.u.win.Canvas().Overlays().Top()
	if !strings.Contains(allText(dlg), "password-protected export") {
		t.Fatalf("no password dialog:\n%s", allText(dlg))
	}
	h.typeFocused("wrong password")
	h.pressFocused(fyne.KeyReturn)
	if text := allText(dlg); !strings.Contains(text, "Wrong password") {
		t.Fatalf("a wrong password says:\n%s", text)
	}
	h.typeFocused("fake export password")
	h.pressFocused(fyne.KeyReturn)
	iv := h.u.imports
	if iv == nil || iv.taken() != 1 || iv.steps[0].C.Secret != stripeKey {
		t.Fatal("no preview with the export's key after the right password")
	}
	if strings.Contains(allText(h.u.win.Canvas().Overlays().Top()), stripeKey) {
		t.Fatal("the preview shows the full key")
	}
	h.tap("Import 1 key")
	if _, ok := h.u.v.Find("Stripe live"); !ok {
		t.Fatal("the key was not imported")
	}
	if on, _ := os.ReadFile(path); !bytes.Equal(on, sealed) {
		t.Error("the export was changed")
	}
}

// TestImportBackup reads a Keyshelf backup with its own passphrase, the
// vault's being wrong for it, and imports its keys whole.
func TestImportBackup(t *testing.T) {
	src := newHarness(t, "Stripe live", stripeKey)
	src.unlock()
	e, _ := src.u.v.Find("Stripe live")
	d := e.Draft()
	d.EnvName, d.UsedBy = "STRIPE_LIVE_KEY", []string{"billing"}
	if _, err := src.u.v.Update(e.ID, d); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(t.TempDir(), "keys.backup")
	if err := src.u.v.WriteBackup(backup, "backup passphrase"); err != nil {
		t.Fatal(err)
	}

	h := newHarness(t, "Deploy", githubKey)
	h.unlock()
	h.u.importFile(backup)
	dlg := h.u.win.Canvas().Overlays().Top()
	if h.u.imports != nil || !strings.Contains(allText(dlg), "is a Keyshelf backup") {
		t.Fatalf("no passphrase dialog:\n%s", allText(dlg))
	}
	h.typeFocused(testPass) // the vault's, not the backup's
	h.pressFocused(fyne.KeyReturn)
	if text := allText(dlg); !strings.Contains(text, "Wrong passphrase") {
		t.Fatalf("a wrong passphrase says:\n%s", text)
	}
	h.typeFocused("backup passphrase")
	h.pressFocused(fyne.KeyReturn)
	if h.u.imports == nil || h.u.imports.taken() != 1 {
		t.Fatal("no preview with the backup's key")
	}
	h.tap("Import 1 key")
	got, ok := h.u.v.Find("Stripe live")
	if !ok || got.Secret != stripeKey || got.EnvName != "STRIPE_LIVE_KEY" || len(got.UsedBy) != 1 {
		t.Fatalf("imported %v: the key or its fields differ", ok)
	}
}
