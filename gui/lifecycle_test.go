package gui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"keyshelf/vault"
)

// agedHarness makes a vault whose keys were added days ago (name, secret,
// age in days, ...), then starts the UI at today.
func agedHarness(t *testing.T, keys ...any) *harness {
	t.Helper()
	h := newHarness(t)
	h.u.win.Close()
	today := h.clock.Now()
	opts := h.u.cfg.Options
	v, err := vault.Create(h.path, testPass, opts)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(keys); i += 3 {
		h.clock.now = today.AddDate(0, 0, -keys[i+2].(int))
		d := vault.Draft{Name: keys[i].(string), Secret: keys[i+1].(string), UsedBy: []string{"CI", "laptop"}}
		if _, err := v.Add(d); err != nil {
			t.Fatal(err)
		}
	}
	v.Close()
	h.clock.now = today
	h.u = New(h.app, Config{VaultPath: h.path, Options: opts, Clock: h.clock, Go: func(f func()) { f() }})
	h.u.Window().Show()
	return h
}

func TestAttentionPanelAndDailyNotification(t *testing.T) {
	h := agedHarness(t, "OpenAI prod", openaiKey, 100, "GitHub deploy", githubKey, 80, "Stripe live", stripeKey, 10)
	want := fyne.NewNotification("Keyshelf", "2 keys need rotating or replacing. Open Keyshelf to see which.")
	test.AssertNotificationSent(t, want, h.unlock)
	p := h.u.main.panel
	if !p.content.Visible() || p.title.Text != "2 keys need attention" {
		t.Fatalf("panel %q", p.title.Text)
	}
	rows := test.RenderToMarkup(h.u.win.Canvas())
	if !strings.Contains(rows, "OpenAI prod — rotation overdue by 10 days") || !strings.Contains(rows, "GitHub deploy — rotation due in 10 days") {
		t.Fatal("the panel does not say which keys and why")
	}
	if strings.Contains(want.Content, "OpenAI") {
		t.Fatal("the notification names a key")
	}
	// Once a day: not again today, but again tomorrow.
	h.shortcut(lockShortcut)
	test.AssertNotificationSent(t, nil, h.unlock)
	h.app.Preferences().SetInt(prefAutoLockMins, 0)
	h.shortcut(lockShortcut)
	h.unlock()
	test.AssertNotificationSent(t, want, func() { h.clock.Advance(24 * time.Hour) })

	// Show only those keys.
	h.u.main.show.SetSelected(showAttention)
	if len(h.u.main.shown) != 2 || h.u.main.count.Text != "2 of 3 keys" {
		t.Fatalf("needs-attention filter: %d shown", len(h.u.main.shown))
	}
}

func TestRotateFlowKeepsHistoryAndShowsChecklist(t *testing.T) {
	h := agedHarness(t, "OpenAI prod", openaiKey, 100)
	h.unlock()
	e, _ := h.u.v.Find("OpenAI prod")
	h.u.main.panel.update()
	h.tap("OpenAI prod — rotation overdue by 10 days")
	r := h.u.win.Canvas().Focused()
	if r == nil {
		t.Fatal("the rotate dialog has no focused key field")
	}
	if b := h.findButton("Rotate"); b == nil || !b.Disabled() {
		t.Fatal("Rotate enabled without a new key")
	}
	newKey := "sk-proj-zyxwvutsrqponmlkT3BlbkFJjihgfedcba9876543210"
	test.Type(r, newKey)
	h.tap("Rotate")
	got, _ := h.u.v.Get(e.ID)
	if got.Secret != newKey || len(got.History) != 1 || got.History[0].Secret != openaiKey {
		t.Fatal("rotation did not keep the old key in the history")
	}
	if !got.Rotated.Equal(h.clock.Now()) || h.u.main.panel.content.Visible() {
		t.Fatal("the age did not start again")
	}
	markup := h.markup()
	if !strings.Contains(markup, "CI") || !strings.Contains(markup, "laptop") || strings.Contains(markup, newKey) {
		t.Fatal("no used-by checklist after the rotation (or the key is shown)")
	}
	h.tap("Done")

	// The old key can be copied from the details, and put back.
	h.u.main.showDetails(got)
	h.tap("Copy")
	if h.app.Clipboard().Content() != openaiKey {
		t.Fatal("the earlier key was not copied")
	}
	h.tap("Restore")
	h.tap("Restore") // the confirmation
	got, _ = h.u.v.Get(e.ID)
	if got.Secret != openaiKey || got.History[0].Secret != newKey {
		t.Fatal("restore from the history")
	}
	var actions []string
	for _, ev := range got.Log {
		actions = append(actions, string(ev.Action)+"/"+string(ev.Source))
	}
	if strings.Join(actions, ",") != "rotated/window,copied/window,restored/window" {
		t.Fatalf("access log %v", actions)
	}
}

func TestCopyAndRevealAreLogged(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey)
	h.unlock()
	h.pressFocused(fyne.KeyReturn)
	e := h.u.main.shown[0]
	h.u.main.toggleReveal(e.ID)
	got, _ := h.u.v.Get(e.ID)
	if len(got.Log) != 2 || got.Log[0].Action != vault.ActionCopied || got.Log[1].Action != vault.ActionRevealed ||
		got.Log[0].Source != vault.SourceWindow || !got.Log[0].Time.Equal(h.clock.Now()) {
		t.Fatalf("log %+v", got.Log)
	}
}

func TestEditorSetsLifecycleFields(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey)
	h.unlock()
	h.typeFocused("openai")
	h.shortcut(editShortcut)
	ed := h.u.editor
	ed.expires.SetText("2027-02-30")
	if !strings.Contains(ed.problem.Text, "YYYY-MM-DD") {
		t.Fatalf("bad date accepted: %q", ed.problem.Text)
	}
	// A date that the vault cannot hold (year 0 is before year 1 in UTC
	// east of Greenwich) is refused before Save, not written.
	ed.expires.SetText("0000-01-01")
	if !strings.Contains(ed.problem.Text, "from 1970 to 9999") {
		t.Fatalf("year 0 accepted: %q", ed.problem.Text)
	}
	ed.expires.SetText("2027-03-31")
	ed.rotate.SetSelected("30 days")
	ed.usedBy.SetText("CI, prod server, ci")
	h.tap("Save")
	e, _ := h.u.v.Find("OpenAI prod")
	if e.RotationDays != 30 || e.Expires == nil || e.Expires.In(loc).Format(dateLayout) != "2027-03-31" || strings.Join(e.UsedBy, "|") != "CI|prod server" {
		t.Fatalf("saved %d %v %v", e.RotationDays, e.Expires, e.UsedBy)
	}
	h.shortcut(editShortcut)
	if h.u.editor.rotate.Selected != "30 days" || h.u.editor.expires.Text != "2027-03-31" {
		t.Fatal("the editor does not show the saved values")
	}
}

func TestSettingsChangeTheVaultRotationDefault(t *testing.T) {
	h := agedHarness(t, "OpenAI prod", openaiKey, 100)
	h.unlock()
	if !h.u.main.panel.content.Visible() {
		t.Fatal("a 100-day-old key with the 90-day default is not flagged")
	}
	h.shortcut(settingsShortcut)
	h.u.settings.rotation.SetSelected("180 days")
	if h.u.v.RotationDays() != 180 || h.u.main.panel.content.Visible() {
		t.Fatal("the new default was not applied")
	}
}
