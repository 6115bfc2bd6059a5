package gui

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"keyshelf/vault"
	"keyshelf/vault/keychain"
)

const rotatedThere = "sk-proj-rotatedOnTheOtherComputerT3BlbkFJ0123456"

// watched is a harness whose UI watches its vault file through a fake
// watch: fire plays a change reported by it.
func watched(t *testing.T, keys ...string) (h *harness, fire func()) {
	t.Helper()
	h = newHarness(t, keys...)
	var changed func()
	h.u.cfg.Watch = func(path string, f func()) func() {
		if path != h.u.v.File() {
			t.Errorf("watching %s, not the vault file", path)
		}
		changed = f
		return func() { changed = nil }
	}
	h.u.cfg.MergedFolder = filepath.Join(t.TempDir(), "merged")
	return h, func() {
		t.Helper()
		if changed == nil {
			t.Fatal("nothing watches the vault file")
		}
		changed()
	}
}

// elsewhere changes a copy of the vault file as another computer would, and
// puts it over the vault file as a sync service does (a rename).
func elsewhere(t *testing.T, h *harness, change func(v *vault.Vault)) {
	t.Helper()
	other := filepath.Join(t.TempDir(), "vault.keyshelf")
	data, err := os.ReadFile(h.path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(other, data, 0o600); err != nil {
		t.Fatal(err)
	}
	h.clock.Advance(60e9)
	v, err := vault.Open(other, testPass, vault.Options{KDF: testKDF, Keychain: &keychain.Memory{}, Now: h.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	change(v)
	if err := v.Close(); err != nil {
		t.Fatal(err)
	}
	if data, err = os.ReadFile(other); err != nil {
		t.Fatal(err)
	}
	tmp := h.path + ".sync-tmp"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, h.path); err != nil {
		t.Fatal(err)
	}
}

// An outside change arriving while the user edits an entry does not
// discard the edit: the dialog stays as typed, and saving keeps both what
// was typed here and what the other computer changed.
func TestOutsideChangeWhileEditingKeepsTheEdit(t *testing.T) {
	h, fire := watched(t, "OpenAI prod", openaiKey)
	h.unlock()
	h.u.main.selectRow(0)
	h.shortcut(editShortcut)
	ed := h.u.editor
	if ed == nil {
		t.Fatal("no editor")
	}
	test.Type(ed.notes, "typed here")

	elsewhere(t, h, func(v *vault.Vault) {
		e, _ := v.Find("OpenAI prod")
		if _, err := v.Rotate(e.ID, rotatedThere, vault.SourceWindow); err != nil {
			t.Fatal(err)
		}
		if _, err := v.Add(vault.Draft{Name: "Stripe", Secret: stripeKey}); err != nil {
			t.Fatal(err)
		}
	})
	fire()

	if h.u.editor != ed || ed.notes.Text != "typed here" {
		t.Fatalf("the edit was thrown away (editor %v, notes %q)", h.u.editor != nil, ed.notes.Text)
	}
	if got := h.u.main.status.Text; got != "Updated from another device: 1 added, 1 updated" {
		t.Fatalf("status %q", got)
	}
	if h.u.v.Len() != 2 {
		t.Fatalf("%d keys listed after the change, want 2", h.u.v.Len())
	}
	h.tap("Save")
	if h.u.editor != nil {
		t.Fatalf("the editor did not save: %q", ed.problem.Text)
	}
	e, _ := h.u.v.Find("OpenAI prod")
	if e.Notes != "typed here" {
		t.Fatalf("notes %q", e.Notes)
	}
	if e.Secret != rotatedThere {
		t.Fatal("saving the notes put back the key the dialog opened with, over the other computer's rotation")
	}
	if !slices.ContainsFunc(e.History, func(o vault.OldSecret) bool { return o.Secret == openaiKey }) {
		t.Fatal("the first key is not in the history")
	}
}

// A key deleted on another computer while its editor is open here is saved
// as a new key: nothing typed is lost.
func TestEditOfAKeyDeletedElsewhere(t *testing.T) {
	h, fire := watched(t, "OpenAI prod", openaiKey)
	h.unlock()
	h.u.main.selectRow(0)
	h.shortcut(editShortcut)
	test.Type(h.u.editor.notes, "still needed")
	elsewhere(t, h, func(v *vault.Vault) {
		e, _ := v.Find("OpenAI prod")
		if _, err := v.Delete(e.ID); err != nil {
			t.Fatal(err)
		}
	})
	fire()
	if h.u.v.Len() != 0 || !strings.Contains(h.u.main.status.Text, "1 deleted") {
		t.Fatalf("%d keys, status %q", h.u.v.Len(), h.u.main.status.Text)
	}
	h.tap("Save")
	e, ok := h.u.v.Find("OpenAI prod")
	if !ok || e.Notes != "still needed" || e.Secret != openaiKey {
		t.Fatal("the edit was lost")
	}
	if !strings.Contains(h.u.main.status.Text, "as a new key: it was deleted on another device meanwhile") {
		t.Fatalf("status %q", h.u.main.status.Text)
	}
}

// With no dialog open, a change lists at once; conflict copies beside the
// vault are merged, moved aside and summed up.
func TestConflictCopyMergedInTheWindow(t *testing.T) {
	h, fire := watched(t, "OpenAI prod", openaiKey)
	h.unlock()
	// The other computer's version as Syncthing's conflict copy.
	elsewhere(t, h, func(v *vault.Vault) {
		e, _ := v.Find("OpenAI prod")
		if _, err := v.Rotate(e.ID, rotatedThere, vault.SourceWindow); err != nil {
			t.Fatal(err)
		}
	})
	conflict := filepath.Join(filepath.Dir(h.path), "vault.sync-conflict-20261203-101010-ABCDEF7.keyshelf")
	if err := os.Rename(h.path, conflict); err != nil {
		t.Fatal(err)
	}
	if err := h.u.v.Save(); err != nil { // this computer's version back in place
		t.Fatal(err)
	}
	fire()
	if _, err := os.Stat(conflict); !os.IsNotExist(err) {
		t.Fatal("the conflict copy is still beside the vault")
	}
	e, _ := h.u.v.Find("OpenAI prod")
	if e.Secret != rotatedThere || !slices.ContainsFunc(e.History, func(o vault.OldSecret) bool { return o.Secret == openaiKey }) {
		t.Fatal("a value is lost")
	}
	if h.u.main.status.Text != "Merged a conflict copy from the sync service" {
		t.Fatalf("status %q", h.u.main.status.Text)
	}
	if h.u.sync.summary == nil || h.u.dlg == nil {
		t.Fatal("no summary shown")
	}
	summary := h.u.sync.summary.Text
	for _, want := range []string{"vault.sync-conflict-20261203-101010-ABCDEF7.keyshelf (Syncthing): 1 updated\n    updated: OpenAI prod\n", "    moved to " + h.u.cfg.MergedFolder} {
		if !strings.Contains(summary, want) {
			t.Fatalf("the summary lacks %q:\n%s", want, summary)
		}
	}
	if markup := h.markup(); strings.Contains(markup, rotatedThere) || strings.Contains(markup, openaiKey) {
		t.Fatal("a key is on show")
	}
}

// A version saved elsewhere with another passphrase is asked for once; a
// save meanwhile waits for it, then goes onto that version.
func TestOutsideChangeWithAnotherPassphrase(t *testing.T) {
	h, fire := watched(t, "OpenAI prod", openaiKey)
	h.unlock()
	const newPass = "a newer passphrase, typed on the laptop"
	elsewhere(t, h, func(v *vault.Vault) {
		if _, err := v.ChangePassphrase(newPass); err != nil {
			t.Fatal(err)
		}
		if _, err := v.Add(vault.Draft{Name: "Stripe", Secret: stripeKey}); err != nil {
			t.Fatal(err)
		}
	})
	fire()
	if !h.u.sync.asking {
		t.Fatalf("not asked for the passphrase; status %q", h.u.main.status.Text)
	}
	h.typeFocused("not it")
	h.pressFocused("Return")
	if !h.u.sync.asking || !strings.Contains(h.markup(), "That passphrase does not open it.") {
		t.Fatal("a wrong passphrase was not asked again")
	}
	h.tap("Later")
	if h.u.sync.asking {
		t.Fatal("still asking after Later")
	}
	// Starring a key needs a save: it asks again, then stars it.
	e, _ := h.u.v.Find("OpenAI prod")
	h.u.main.toggleFavorite(e.ID)
	if !h.u.sync.asking {
		t.Fatal("a save over the other version was not stopped to ask")
	}
	h.typeFocused(newPass)
	h.pressFocused("Return")
	if h.u.sync.asking || h.u.v.Len() != 2 {
		t.Fatalf("asking %v, %d keys", h.u.sync.asking, h.u.v.Len())
	}
	if e, _ := h.u.v.Find("OpenAI prod"); !e.Favorite {
		t.Fatal("the star waiting for the passphrase was not saved")
	}
	if strings.Contains(h.markup(), newPass) || strings.Contains(h.u.main.status.Text, newPass) {
		t.Fatal("the passphrase is on show")
	}
}

// Settings ▸ Move to folder… moves the open vault into a (synced) folder and
// goes on there: the list, the watch and the next start follow it.
func TestMoveVaultToAFolder(t *testing.T) {
	h, fire := watched(t, "OpenAI prod", openaiKey)
	h.unlock()
	synced := filepath.Join(t.TempDir(), "Sync")
	if err := os.Mkdir(synced, 0o700); err != nil {
		t.Fatal(err)
	}
	h.u.folderPicker = func(done func(string)) { done(synced) }
	h.u.showSettings()
	h.tap("Move to folder…")
	moved := filepath.Join(synced, "vault.keyshelf")
	if h.u.v.Path() != moved || h.u.cfg.VaultPath != moved || h.app.Preferences().String(PrefVaultPath) != moved {
		t.Fatalf("the vault is at %s, the window on %s", h.u.v.Path(), h.u.cfg.VaultPath)
	}
	if _, err := os.Stat(h.path); !os.IsNotExist(err) {
		t.Fatal("the vault is still at its old place")
	}
	if !strings.HasPrefix(h.u.main.status.Text, "Moved the vault to "+moved) || h.u.settings.path.Text != moved {
		t.Fatalf("status %q, settings %q", h.u.main.status.Text, h.u.settings.path.Text)
	}
	h.path = moved
	elsewhere(t, h, func(v *vault.Vault) {
		if _, err := v.Add(vault.Draft{Name: "Stripe", Secret: stripeKey}); err != nil {
			t.Fatal(err)
		}
	})
	fire() // the watch of the new place
	if h.u.v.Len() != 2 {
		t.Fatalf("%d keys: the change at the new place was not taken in", h.u.v.Len())
	}

	// A folder that already holds a vault is refused, with what to do.
	h.u.showSettings()
	h.tap("Move to folder…")
	if !strings.Contains(h.markup(), "A vault is already there") || h.u.v.Path() != moved {
		t.Fatal("moving onto a vault was not refused")
	}
}

// File ▸ Merge another vault… merges a vault file, asking its passphrase
// when it differs.
func TestMergeAnotherVaultFromTheMenu(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey)
	h.unlock()
	other := filepath.Join(t.TempDir(), "laptop.keyshelf")
	const otherPass = "the laptop's own passphrase, long"
	ov, err := vault.Create(other, otherPass, vault.Options{KDF: testKDF})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ov.Add(vault.Draft{Name: "GitHub", Secret: githubKey}); err != nil {
		t.Fatal(err)
	}
	ov.Close()
	h.u.filePicker = func(done func(string)) { done(other) }
	runMenu(t, h, "File", "Merge another vault…")
	h.typeFocused(otherPass)
	h.pressFocused("Return")
	if _, ok := h.u.v.Find("GitHub"); !ok {
		t.Fatalf("not merged; status %q", h.u.main.status.Text)
	}
	if h.u.main.status.Text != "Merged laptop.keyshelf: 1 added" || h.u.sync.summary == nil ||
		!strings.Contains(h.u.sync.summary.Text, "    added: GitHub") {
		t.Fatalf("status %q", h.u.main.status.Text)
	}
}
