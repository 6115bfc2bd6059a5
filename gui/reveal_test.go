package gui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"keyshelf/vault"
)

const newGitHubKey = "ghp_ZYXWVUTSRQ9876543210zyxwvutsrq987654"

func (h *harness) reveal(name string) string {
	h.t.Helper()
	e, ok := h.u.v.Find(name)
	if !ok {
		h.t.Fatalf("no key %q", name)
	}
	h.u.main.toggleReveal(e.ID)
	if !strings.Contains(h.markup(), e.Secret) {
		h.t.Fatal("not revealed")
	}
	return e.ID
}

// hidden fails if the reveal bar is up or any of keys is on screen.
func (h *harness) hidden(why string, keys ...string) {
	h.t.Helper()
	if h.u.main.reveal.id != "" || h.u.main.reveal.content.Visible() {
		h.t.Fatalf("%s: the reveal bar is still up", why)
	}
	for _, k := range keys {
		if strings.Contains(h.markup(), k) {
			h.t.Fatalf("%s: a key is on screen", why)
		}
	}
}

func TestRevealHidesWhenTheKeyIsRotated(t *testing.T) {
	h := newHarness(t, "GitHub deploy", githubKey)
	h.unlock()
	h.reveal("GitHub deploy")
	e, _ := h.u.v.Find("GitHub deploy")
	h.u.main.showRotate(e)
	h.u.win.Canvas().Focused().(interface{ SetText(string) }).SetText(newGitHubKey)
	h.tap("Rotate")
	if e, _ := h.u.v.Find("GitHub deploy"); e.Secret != newGitHubKey {
		t.Fatal("not rotated")
	}
	h.tap("Done")
	h.hidden("after a rotate", githubKey, newGitHubKey)
}

func TestRevealHidesWhenAnEarlierKeyIsRestored(t *testing.T) {
	h := newHarness(t, "GitHub deploy", githubKey)
	h.unlock()
	e, _ := h.u.v.Find("GitHub deploy")
	if _, err := h.u.v.Rotate(e.ID, newGitHubKey, vault.SourceWindow); err != nil {
		t.Fatal(err)
	}
	h.u.main.reload("")
	h.reveal("GitHub deploy")
	h.u.main.restoreOld(e, 0)
	h.tap("Restore")
	if e, _ := h.u.v.Find("GitHub deploy"); e.Secret != githubKey {
		t.Fatal("not restored")
	}
	h.hidden("after a restore", githubKey, newGitHubKey)
}

func TestRevealFollowsEdits(t *testing.T) {
	h := newHarness(t, "GitHub deploy", githubKey)
	h.unlock()
	h.reveal("GitHub deploy")
	// A new name: still revealed, under the new name.
	h.typeFocused("git")
	h.shortcut(editShortcut)
	h.u.editor.name.SetText("GitHub CI")
	h.tap("Save")
	if h.u.main.reveal.title.Text != "GitHub CI" || !strings.Contains(h.markup(), githubKey) {
		t.Fatalf("after a rename: bar titled %q", h.u.main.reveal.title.Text)
	}
	// A new key: hidden.
	h.shortcut(editShortcut)
	h.u.editor.key.SetText(newGitHubKey)
	h.tap("Save")
	h.hidden("after the key was edited", githubKey, newGitHubKey)
}

func TestRevealHidesWhenTheKeyIsDeleted(t *testing.T) {
	h := newHarness(t, "GitHub deploy", githubKey, "OpenAI prod", openaiKey)
	h.unlock()
	id := h.reveal("GitHub deploy")
	h.u.main.confirmDelete(vault.Entry{ID: id, Name: "GitHub deploy"})
	test.Tap(h.findButton("Delete"))
	h.hidden("after a delete", githubKey)
}
