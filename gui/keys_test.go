package gui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// findButton returns the visible button labelled text, looking in dialogs
// (overlays, newest first) and then in the window's content.
func (h *harness) findButton(text string) *widget.Button {
	h.t.Helper()
	c := h.u.win.Canvas()
	roots := c.Overlays().List()
	for i := len(roots) - 1; i >= 0; i-- {
		if b := findButtonIn(roots[i], text); b != nil {
			return b
		}
	}
	return findButtonIn(c.Content(), text)
}

func findButtonIn(o fyne.CanvasObject, text string) *widget.Button {
	b, _ := findVisible(o, func(b *widget.Button) bool { return b.Text == text })
	return b
}

func (h *harness) tap(text string) {
	h.t.Helper()
	b := h.findButton(text)
	if b == nil {
		h.t.Fatalf("no button %q on screen", text)
	}
	if b.Disabled() {
		h.t.Fatalf("button %q is disabled", text)
	}
	test.Tap(b)
}

func (h *harness) shortcut(s fyne.Shortcut) {
	h.u.win.Canvas().(fyne.Shortcutable).TypedShortcut(s)
}

func (h *harness) markup() string { return test.RenderToMarkup(h.u.win.Canvas()) }

func TestAddKeyValidatesThenSaves(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey)
	h.unlock()
	h.shortcut(newShortcut)
	ed := h.u.editor
	if ed == nil || h.u.win.Canvas().Focused() != ed.name {
		t.Fatal("Ctrl+N did not open the editor with the name focused")
	}
	if !ed.save.Disabled() || ed.problem.Text != "" {
		t.Fatalf("fresh form: save enabled or problem %q", ed.problem.Text)
	}
	test.Type(ed.name, "openai PROD")
	if !strings.Contains(ed.problem.Text, `already have a key named "OpenAI prod"`) {
		t.Fatalf("duplicate name not flagged: %q", ed.problem.Text)
	}
	ed.name.SetText("")
	if !strings.Contains(ed.problem.Text, "Give the key a name") {
		t.Fatalf("empty name not flagged: %q", ed.problem.Text)
	}
	test.Type(ed.name, "GitHub deploy")
	ed.key.SetText("  " + githubKey + "\n")
	if ed.problem.Text != "" || ed.save.Disabled() {
		t.Fatalf("valid draft refused: %q", ed.problem.Text)
	}
	if !strings.Contains(ed.hint.Text, "Detected: GitHub") || !strings.Contains(ed.hint.Text, "will be removed") {
		t.Fatalf("hint %q", ed.hint.Text)
	}
	if strings.Contains(h.markup(), githubKey) {
		t.Fatal("the key field shows the key")
	}
	test.Type(ed.tags, "deploy, ci")
	h.tap("Save")
	if h.u.editor != nil || h.u.modal {
		t.Fatal("editor still open after save")
	}
	e, ok := h.u.v.Find("github deploy")
	if !ok || e.Secret != githubKey || e.Provider != "github" || strings.Join(e.Tags, ",") != "deploy,ci" {
		t.Fatalf("saved entry: ok=%v provider=%q tags=%v trimmed=%v", ok, e.Provider, e.Tags, e.Secret == githubKey)
	}
	m := h.u.main
	if m.count.Text != "2 keys" || m.shown[m.selected].ID != e.ID {
		t.Fatalf("list after add: %q, selected %d", m.count.Text, m.selected)
	}
	if !strings.Contains(m.status.Text, "spaces around the key were removed") {
		t.Fatalf("status %q", m.status.Text)
	}
	if h.u.win.Canvas().Focused() != m.search {
		t.Fatal("search not focused after save")
	}
}

func TestEmptyKeyRefused(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey)
	h.unlock()
	h.shortcut(newShortcut)
	ed := h.u.editor
	test.Type(ed.name, "Blank")
	ed.key.SetText(" \n ")
	ed.submit()
	if !strings.Contains(ed.problem.Text, "Paste the key") || h.u.editor == nil {
		t.Fatalf("blank key: %q", ed.problem.Text)
	}
	if _, ok := h.u.v.Find("Blank"); ok {
		t.Fatal("saved an empty key")
	}
	h.tap("Cancel")
	if h.u.editor != nil || h.u.modal {
		t.Fatal("cancel did not close")
	}
}

func TestEditRenamesAndChangesProvider(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey, "Stripe live", stripeKey)
	h.unlock()
	h.typeFocused("strip")
	h.shortcut(editShortcut)
	ed := h.u.editor
	if ed == nil || ed.name.Text != "Stripe live" || ed.provider.Selected != "Stripe" {
		t.Fatal("Ctrl+E did not open the selected key")
	}
	ed.name.SetText("Stripe live (billing)")
	ed.provider.SetSelected(providerCustom)
	h.tap("Save")
	e, ok := h.u.v.Find("Stripe live (billing)")
	if !ok || e.Provider != "custom" || e.Secret != stripeKey {
		t.Fatalf("after edit: ok=%v provider=%q", ok, e.Provider)
	}
	if _, ok := h.u.v.Find("Stripe live"); ok {
		t.Fatal("old name still there")
	}
}

func TestDeleteAsksAndUndoesUntilLock(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey, "GitHub deploy", githubKey, "Stripe live", stripeKey)
	h.unlock()
	m := h.u.main
	h.pressFocused(fyne.KeyDown) // select the first row: GitHub deploy
	h.pressFocused(fyne.KeyDelete)
	if !h.u.modal {
		t.Fatal("Delete did not ask")
	}
	h.tap("Cancel")
	if h.u.v.Len() != 3 {
		t.Fatal("cancel deleted")
	}
	h.pressFocused(fyne.KeyDelete) // still on GitHub deploy
	h.tap("Delete")
	if _, ok := h.u.v.Find("GitHub deploy"); ok || m.count.Text != "2 keys" {
		t.Fatalf("not deleted: %q", m.count.Text)
	}
	if !m.undoBtn.Visible() || !strings.Contains(m.status.Text, `Deleted "GitHub deploy"`) {
		t.Fatalf("no undo offered: %q", m.status.Text)
	}
	h.tap("Undo")
	e, ok := h.u.v.Find("GitHub deploy")
	if !ok || e.Secret != githubKey || m.undoBtn.Visible() {
		t.Fatal("undo did not restore the key")
	}

	// Deleted, then locked: the undo is gone and the key stays deleted.
	if m.shown[m.selected].Name != "GitHub deploy" {
		t.Fatal("the restored key is not selected")
	}
	h.pressFocused(fyne.KeyDelete)
	h.tap("Delete")
	h.shortcut(lockShortcut)
	h.unlock()
	if _, ok := h.u.v.Find("GitHub deploy"); ok || h.u.main.undoBtn.Visible() || len(h.u.main.undo) != 0 {
		t.Fatal("undo survived the lock")
	}
}

func TestRevealShowsWholeKeyForTenSeconds(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey)
	h.unlock()
	if strings.Contains(h.markup(), openaiKey) {
		t.Fatal("key on screen before reveal")
	}
	h.u.main.toggleReveal(h.u.main.shown[0].ID)
	if !strings.Contains(h.markup(), openaiKey) {
		t.Fatal("reveal does not show the whole key")
	}
	h.clock.Advance(9 * time.Second)
	if !strings.Contains(h.markup(), openaiKey) || h.u.main.reveal.left.Text != "Hides in 1 s" {
		t.Fatalf("hidden early (%q)", h.u.main.reveal.left.Text)
	}
	h.clock.Advance(time.Second)
	if strings.Contains(h.markup(), openaiKey) {
		t.Fatal("key still shown after 10 s")
	}
	// Lock hides a revealed key at once.
	h.u.main.toggleReveal(h.u.main.shown[0].ID)
	h.shortcut(lockShortcut)
	if strings.Contains(h.markup(), openaiKey) {
		t.Fatal("lock left the key on screen")
	}
}

func TestIdleLock(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey)
	h.unlock()
	h.clock.Advance(4 * time.Minute)
	h.typeFocused("o") // activity restarts the countdown
	h.clock.Advance(4*time.Minute + 59*time.Second)
	if h.u.v == nil {
		t.Fatal("locked although used 4 min 59 s ago")
	}
	h.clock.Advance(time.Second)
	if h.u.v != nil || h.u.unlock == nil {
		t.Fatal("not locked after 5 idle minutes")
	}
	if !strings.Contains(h.u.unlock.note.Text, "5 minutes") {
		t.Fatalf("no reason shown: %q", h.u.unlock.note.Text)
	}
}

func TestIdleLockSetting(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey)
	h.app.Preferences().SetInt(prefAutoLockMins, 0)
	h.unlock()
	h.clock.Advance(3 * time.Hour)
	if h.u.v == nil {
		t.Fatal("locked although auto-lock is off")
	}
	h.app.Preferences().SetInt(prefAutoLockMins, 1)
	h.clock.Advance(2 * time.Minute) // the next check sees the new setting
	if h.u.v != nil {
		t.Fatal("not locked after auto-lock was set to 1 minute")
	}
}

func TestLockClosesOpenEditor(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey)
	h.unlock()
	h.typeFocused("open")
	h.shortcut(editShortcut)
	if h.u.editor == nil {
		t.Fatal("no editor")
	}
	h.clock.Advance(6 * time.Minute)
	if h.u.v != nil {
		t.Fatal("not locked")
	}
	if n := len(h.u.win.Canvas().Overlays().List()); n != 0 || h.u.modal {
		t.Fatalf("%d dialogs left open after lock", n)
	}
}

func TestFailedSaveKeepsDraftAndRetries(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey)
	h.unlock()
	h.shortcut(newShortcut)
	ed := h.u.editor
	test.Type(ed.name, "GitHub deploy")
	ed.key.SetText(githubKey)

	// Replace the vault's folder by a file: the save cannot write.
	dir := filepath.Dir(h.path)
	moved := dir + ".moved"
	if err := os.Rename(dir, moved); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	h.tap("Save")
	if h.u.editor == nil {
		t.Fatal("the editor closed although the save failed")
	}
	if h.findButton("Try again") == nil || !strings.Contains(h.markup(), "no longer on disk") {
		t.Fatal("no dialog saying the vault is gone from disk, with a retry")
	}
	if strings.Contains(h.markup(), githubKey) {
		t.Fatal("the error shows the key")
	}
	if _, ok := h.u.v.Find("GitHub deploy"); ok {
		t.Fatal("memory holds an unsaved key")
	}
	if err := os.Remove(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(moved, dir); err != nil {
		t.Fatal(err)
	}
	h.tap("Try again")
	if _, ok := h.u.v.Find("GitHub deploy"); !ok || h.u.editor != nil {
		t.Fatal("retry did not save")
	}
}

func TestFavoriteStar(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey, "Stripe live", stripeKey)
	h.unlock()
	m := h.u.main
	id := m.shown[1].ID // Stripe live
	m.toggleFavorite(id)
	if e, _ := h.u.v.Get(id); !e.Favorite {
		t.Fatal("not starred")
	}
	h.shortcut(lockShortcut)
	h.unlock()
	if favs := h.u.v.Favorites(); len(favs) != 1 || favs[0].Name != "Stripe live" {
		t.Fatal("star not kept")
	}
}

func TestMenuMatchesShortcuts(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey)
	h.unlock()
	menu := h.u.win.MainMenu()
	if menu == nil || len(menu.Items) != 3 {
		t.Fatal("no File / Keys / Help menu when unlocked")
	}
	seen := map[string]bool{}
	for _, mm := range menu.Items {
		for _, it := range mm.Items {
			if it.Shortcut != nil {
				seen[it.Shortcut.ShortcutName()] = true
			}
		}
	}
	for _, s := range []fyne.Shortcut{lockShortcut, findShortcut, newShortcut, editShortcut, settingsShortcut} {
		if !seen[s.ShortcutName()] {
			t.Errorf("%s is not shown in a menu", s.ShortcutName())
		}
	}
	h.shortcut(lockShortcut)
	if menu := h.u.win.MainMenu(); len(menu.Items) != 2 {
		t.Fatal("key commands still in the menu while locked")
	}
	h.shortcut(newShortcut) // must do nothing while locked
	if h.u.editor != nil {
		t.Fatal("Ctrl+N worked while locked")
	}
}

func TestEscapeClosesDialogs(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey)
	h.unlock()
	h.shortcut(newShortcut)
	h.pressFocused(fyne.KeyEscape)
	if h.u.editor != nil || h.u.modal || len(h.u.win.Canvas().Overlays().List()) != 0 {
		t.Fatal("Escape did not close the untouched editor")
	}
	h.u.showShortcuts()
	h.u.win.Canvas().Unfocus()
	h.u.typedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if len(h.u.win.Canvas().Overlays().List()) != 0 {
		t.Fatal("Escape did not close the shortcuts dialog")
	}
}

func TestPastingAKeyOpensAdd(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey)
	h.unlock()
	m := h.u.main
	cb := h.app.Clipboard()
	paste := func(s string) {
		cb.SetContent(s)
		m.search.TypedShortcut(&fyne.ShortcutPaste{Clipboard: cb})
	}
	paste("open")
	if m.search.Text != "open" || h.u.editor != nil {
		t.Fatal("a pasted word did not search")
	}
	m.search.SetText("")
	paste(githubKey + "\n")
	if m.search.Text != "" || h.u.editor == nil || h.u.editor.key.Text != githubKey {
		t.Fatal("a pasted key did not open Add with it (or landed in the search field)")
	}
	h.pressFocused(fyne.KeyEscape)
	paste(openaiKey)
	if h.u.editor != nil || !strings.Contains(m.status.Text, `already saved as "OpenAI prod"`) {
		t.Fatalf("pasting a saved key: %q", m.status.Text)
	}
	if strings.Contains(h.markup(), openaiKey) || strings.Contains(h.markup(), githubKey) {
		t.Fatal("a pasted key is shown")
	}
}

func TestMenuQuitClearsClipboard(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey)
	h.unlock()
	h.pressFocused(fyne.KeyReturn)
	if h.app.Clipboard().Content() != openaiKey {
		t.Fatal("not copied")
	}
	var quit *fyne.MenuItem
	for _, it := range h.u.win.MainMenu().Items[0].Items {
		if it.IsQuit {
			quit = it
		}
	}
	if quit == nil {
		t.Fatal("no Quit of ours in the File menu")
	}
	quit.Action()
	if h.app.Clipboard().Content() != "" {
		t.Fatal("Quit from the menu left the key on the clipboard")
	}
}
