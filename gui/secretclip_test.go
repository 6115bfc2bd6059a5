package gui

import (
	"errors"
	"testing"

	"fyne.io/fyne/v2/test"
)

// fakeSecret is a SecretClipboard that can refuse.
type fakeSecret struct {
	text  string
	owned bool
	fail  bool
}

func (f *fakeSecret) Set(s string) error {
	if f.fail && s != "" {
		return errors.New("no X server")
	}
	f.text, f.owned = s, s != ""
	return nil
}

func (f *fakeSecret) Owns() (string, bool) { return f.text, f.owned }

// Keys go to the secret clipboard; when it refuses, to the app's own; what
// the guard reads back is what is really on the clipboard.
func TestKeysGoToTheSecretClipboard(t *testing.T) {
	app := test.NewTempApp(t)
	if _, marked := keyClipboard(app, Config{}).(*markedClipboard); marked {
		t.Fatal("a marked clipboard without a secret one")
	}
	secret := &fakeSecret{}
	cb := keyClipboard(app, Config{SecretClipboard: secret})
	cb.SetContent("sk-proj-FAKE1")
	if !secret.owned || secret.text != "sk-proj-FAKE1" || app.Clipboard().Content() == "sk-proj-FAKE1" {
		t.Fatalf("secret %q (owned %v), app clipboard %q", secret.text, secret.owned, app.Clipboard().Content())
	}
	if cb.Content() != "sk-proj-FAKE1" {
		t.Fatalf("Content = %q while the secret clipboard holds the key", cb.Content())
	}
	// The user copies something else: the secret clipboard lost it.
	secret.owned = false
	app.Clipboard().SetContent("the user's text")
	if cb.Content() != "the user's text" {
		t.Fatalf("Content = %q after the user's copy", cb.Content())
	}
	secret.fail = true
	cb.SetContent("sk-proj-FAKE2")
	if app.Clipboard().Content() != "sk-proj-FAKE2" || cb.Content() != "sk-proj-FAKE2" {
		t.Fatalf("refused: app clipboard %q, Content %q; want the key on the app's clipboard", app.Clipboard().Content(), cb.Content())
	}
}

// A key the secret clipboard refused went to the app's clipboard; the clear
// takes it off there too (the secret clipboard's Set("") alone would leave
// it), and a later key that the secret clipboard takes is not cleared off
// the app's clipboard twice.
func TestFallenBackKeyIsCleared(t *testing.T) {
	app := test.NewTempApp(t)
	secret := &fakeSecret{fail: true}
	cb := keyClipboard(app, Config{SecretClipboard: secret})
	cb.SetContent("sk-proj-FAKE3")
	if cb.Content() != "sk-proj-FAKE3" {
		t.Fatal("the refused key is not on the app's clipboard")
	}
	cb.SetContent("")
	if got := app.Clipboard().Content(); got != "" {
		t.Fatalf("after the clear the app's clipboard still holds %d bytes", len(got))
	}

	secret.fail = false
	cb.SetContent("sk-proj-FAKE4")
	app.Clipboard().SetContent("the user's text") // elsewhere, meanwhile
	cb.SetContent("")
	if got := app.Clipboard().Content(); got != "the user's text" {
		t.Fatalf("a clear of a marked key emptied the app's clipboard: %q", got)
	}
}
