package gui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"keyshelf/vault"
	"keyshelf/vault/shellvar"
)

func TestCopyAsEachShell(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey, "GitHub", githubKey)
	h.unlock()
	m := h.u.main
	e, _ := h.u.v.Find("OpenAI prod")
	menu := m.copyAsMenu(e.ID)
	want := []string{
		"export OPENAI_API_KEY='" + openaiKey + "'",
		"$env:OPENAI_API_KEY = '" + openaiKey + "'",
		`set "OPENAI_API_KEY=` + openaiKey + `"`,
		"OPENAI_API_KEY=" + openaiKey,
	}
	if len(menu.ChildMenu.Items) != len(want) {
		t.Fatalf("Copy as offers %d forms", len(menu.ChildMenu.Items))
	}
	for i, it := range menu.ChildMenu.Items {
		it.Action()
		if got := h.app.Clipboard().Content(); got != want[i] {
			t.Errorf("%s copied something else", it.Label)
		}
	}
	// The usual clear applies.
	h.clock.Advance(h.u.prefs.ClearAfter() + time.Second)
	if h.app.Clipboard().Content() != "" {
		t.Error("a copied assignment was not cleared")
	}
	if !strings.Contains(h.markup(), "Copy") || strings.Contains(h.markup(), openaiKey) {
		t.Error("a key is shown")
	}
}

func TestCopyAllShownAsOneBlock(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey, "GitHub", githubKey)
	h.unlock()
	m := h.u.main
	if !m.copyShownAs(shellvar.POSIX) {
		t.Fatal("nothing copied")
	}
	got := h.app.Clipboard().Content()
	if got != "export GITHUB_TOKEN='"+githubKey+"'\nexport OPENAI_API_KEY='"+openaiKey+"'\n" {
		t.Error("the block is not both keys, one export line each, in the list's order")
	}
	// Searching narrows what is copied.
	h.typeFocused("github")
	m.copyShownAs(shellvar.Dotenv)
	if got := h.app.Clipboard().Content(); got != "GITHUB_TOKEN="+githubKey+"\n" {
		t.Error("the block after a search is not the key found")
	}
}

func TestCopyAsRefusesWhatItCannotWrite(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey, "Loose", "custom-secret-50%-0123", "OpenAI home", "sk-proj-HOMEabcdefghijT3BlbkFJqrstuvwxyz012345")
	h.unlock()
	m := h.u.main
	loose, _ := h.u.v.Find("Loose")
	before := h.app.Clipboard().Content()
	if m.copyAs(loose.ID, shellvar.POSIX) || h.u.dlg == nil || !strings.Contains(h.dialogText(), "has no environment variable") {
		t.Fatal("a key without a variable was copied, or nothing said why")
	}
	h.escape()
	if _, err := h.u.v.Update(loose.ID, func() vault.Draft { d := loose.Draft(); d.EnvName = "PCT"; return d }()); err != nil {
		t.Fatal(err)
	}
	if m.copyAs(loose.ID, shellvar.Cmd) || !strings.Contains(h.dialogText(), "cannot be copied as Command Prompt (set). The key holds a %") {
		t.Fatal("cmd was given a %, or nothing said why")
	}
	h.escape()
	if m.copyShownAs(shellvar.POSIX) || !strings.Contains(h.dialogText(), "both go in OPENAI_API_KEY") {
		t.Fatal("two keys of one variable were copied as one block")
	}
	if h.app.Clipboard().Content() != before {
		t.Error("the clipboard changed")
	}
	if strings.Contains(h.markup(), "50%-0123") || strings.Contains(h.dialogText(), "50%-0123") {
		t.Error("a message shows the key")
	}
}

func TestEditorVariable(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey)
	h.unlock()
	h.shortcut(newShortcut)
	ed := h.u.editor
	test.Type(ed.name, "OpenAI home")
	ed.key.SetText("sk-proj-HOMEabcdefghijT3BlbkFJqrstuvwxyz012345")
	if ed.envName.PlaceHolder != "OPENAI_API_KEY (OpenAI's usual one)" {
		t.Errorf("placeholder %q", ed.envName.PlaceHolder)
	}
	if !strings.Contains(ed.hint.Text, "OPENAI_API_KEY is also the variable of “OpenAI prod”") {
		t.Errorf("no word of the shared variable: %q", ed.hint.Text)
	}
	test.Type(ed.envName, "HOME-KEY")
	if ed.save.Disabled() == false || !strings.Contains(ed.problem.Text, "Variable:") {
		t.Fatalf("a bad variable saves: %q", ed.problem.Text)
	}
	ed.envName.SetText("HOME_OPENAI_KEY")
	if strings.Contains(ed.hint.Text, "also the variable") {
		t.Errorf("still shared: %q", ed.hint.Text)
	}
	ed.copyAsShell(shellvar.PowerShell)
	if got := h.app.Clipboard().Content(); got != "$env:HOME_OPENAI_KEY = 'sk-proj-HOMEabcdefghijT3BlbkFJqrstuvwxyz012345'" {
		t.Error("the editor's Copy as did not copy the fields' key under the field's variable")
	}
	ed.submit()
	e, ok := h.u.v.Find("OpenAI home")
	if !ok || e.EnvName != "HOME_OPENAI_KEY" || e.Variable() != "HOME_OPENAI_KEY" {
		t.Fatalf("saved %v with %q", ok, e.EnvName)
	}
	// Edited again, an empty field goes back to the provider's.
	h.u.main.showEditor(&e)
	ed = h.u.editor
	if ed.envName.Text != "HOME_OPENAI_KEY" {
		t.Fatalf("the editor opened with %q", ed.envName.Text)
	}
	ed.envName.SetText("")
	ed.submit()
	if e, _ = h.u.v.Find("OpenAI home"); e.EnvName != "" || e.Variable() != "OPENAI_API_KEY" {
		t.Errorf("cleared: %q, %q", e.EnvName, e.Variable())
	}
}

// dialogText is the text of what is on show over the window.
func (h *harness) dialogText() string {
	top := h.u.win.Canvas().Overlays().Top()
	if top == nil {
		return ""
	}
	return allText(top)
}

// TestChooseSeveralAndCopyOneBlock ticks two of three keys, one with the
// keyboard and one with the row's box, and copies them as one block.
func TestChooseSeveralAndCopyOneBlock(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey, "GitHub", githubKey, "Stripe", "sk_live_abcdefghijklmnopqrstuvwx0123")
	h.unlock()
	m := h.u.main
	if m.choose.content.Visible() {
		t.Fatal("the choose bar shows before anything is chosen")
	}
	h.typeFocused("stripe")
	h.shortcut(chooseShortcut)
	if !m.choose.content.Visible() || len(m.choose.chosen) != 1 || !strings.Contains(m.choose.count.Text, "1 key chosen") {
		t.Fatalf("Ctrl+Space did not choose the selected key: %q", m.choose.count.Text)
	}
	h.u.main.search.SetText("")
	// Every row now shows its box; tick OpenAI's.
	openai := visibleRow(t, h, "OpenAI prod")
	if !openai.pick.Visible() {
		t.Fatal("no row shows a box to tick")
	}
	test.Tap(openai.pick)
	if len(m.choose.chosen) != 2 {
		t.Fatalf("chosen: %d", len(m.choose.chosen))
	}
	if !m.copyBlockAs(m.choose.chosen, shellvar.Dotenv) {
		t.Fatal("nothing copied")
	}
	if got := h.app.Clipboard().Content(); got != "STRIPE_API_KEY=sk_live_abcdefghijklmnopqrstuvwx0123\nOPENAI_API_KEY="+openaiKey+"\n" {
		t.Error("the block is not the two chosen keys, in the order chosen")
	}
	// Ticked again, a key is unchosen; Done leaves the mode.
	test.Tap(openai.pick)
	if len(m.choose.chosen) != 1 {
		t.Fatal("unticking kept the key")
	}
	h.tap("Done")
	if m.choose.on || m.choose.content.Visible() || openai.pick.Visible() {
		t.Fatal("Done left the boxes or the bar")
	}
}

// On macOS the choose shortcut is Cmd+Return: Cmd+Space is Spotlight's.
func TestChooseShortcutPerPlatform(t *testing.T) {
	if k := chooseKey("darwin"); k.KeyName != fyne.KeyReturn || k.Modifier != fyne.KeyModifierShortcutDefault {
		t.Fatalf("macOS: %+v", k)
	}
	if k := chooseKey("linux"); k.KeyName != fyne.KeySpace {
		t.Fatalf("Linux: %+v", k)
	}
}
