package gui

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"keyshelf/vault/check"
)

// Fake Twilio credentials: an API key SID and its secret.
const (
	twilioSID    = "SK0123456789abcdef0123456789abcdef"
	twilioSecret = "fedcba9876543210fedcba9876543210"
)

// keyIDShown reports whether the editor's form has the Key ID row.
func keyIDShown(ed *editor) bool {
	return slices.ContainsFunc(ed.form.Items, func(it *widget.FormItem) bool { return it.Widget == ed.keyID })
}

func TestEditorKeyIDForTwoPartProviders(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey)
	var good atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != twilioSID || p != twilioSecret {
			w.WriteHeader(401)
			return
		}
		good.Add(1)
		fmt.Fprint(w, `{"services":[]}`)
	}))
	t.Cleanup(srv.Close)
	h.u.checker = &check.Checker{Client: srv.Client(), Now: h.clock.Now, Bases: map[string]string{"twilio": srv.URL}}
	h.unlock()
	h.shortcut(newShortcut)
	ed := h.u.editor
	if keyIDShown(ed) || !strings.Contains(h.markup(), "Provider") || strings.Contains(h.markup(), "Key ID") {
		t.Fatal("Key ID shown for a one-part key")
	}
	test.Type(ed.name, "SMS")
	ed.key.SetText(twilioSecret)
	ed.provider.SetSelected("Twilio")
	if !keyIDShown(ed) || !strings.Contains(h.markup(), "Key ID") {
		t.Fatal("Key ID hidden for Twilio")
	}
	if items := ed.form.Items; items[2].Text != "Provider" || items[3].Text != "Key ID" || items[4].Text != "Address" || items[5].Text != "Variable" || len(items) != 11 {
		t.Fatalf("rows out of order: %d", len(items))
	}
	if !strings.Contains(ed.hint.Text, "two parts") {
		t.Fatalf("no hint about the key ID: %q", ed.hint.Text)
	}
	ed.keyID.SetText("SK 0123")
	if !strings.Contains(ed.problem.Text, "Key ID") || !ed.save.Disabled() {
		t.Fatalf("a key ID with a space accepted: %q", ed.problem.Text)
	}
	ed.keyID.SetText(" " + twilioSID + " ")
	if ed.problem.Text != "" || ed.save.Disabled() {
		t.Fatalf("problem %q", ed.problem.Text)
	}
	h.tap("Test")
	if !strings.Contains(ed.result.Text, "valid") || good.Load() != 1 {
		t.Fatalf("test result %q", ed.result.Text)
	}
	h.tap("Save")
	e, ok := h.u.v.Find("SMS")
	if !ok || e.KeyID != twilioSID || e.Provider != "twilio" || e.Secret != twilioSecret {
		t.Fatalf("saved %q %q", e.KeyID, e.Provider)
	}

	// Editing shows the stored key ID; another provider with an empty one
	// drops the row.
	h.typeFocused("sms")
	h.shortcut(editShortcut)
	ed = h.u.editor
	if !keyIDShown(ed) || ed.keyID.Text != twilioSID {
		t.Fatal("the stored key ID is not shown")
	}
	ed.keyID.SetText("")
	ed.provider.SetSelected("OpenAI")
	if keyIDShown(ed) {
		t.Fatal("Key ID still shown for OpenAI without a value")
	}
	if ed.form.Items[3].Text != "Address" || ed.form.Items[4].Text != "Variable" || len(ed.form.Items) != 10 {
		t.Fatal("rows out of order after hiding")
	}
	ed.provider.SetSelected("AWS")
	if !keyIDShown(ed) {
		t.Fatal("Key ID hidden for AWS")
	}
	ed.close()
	if strings.Contains(h.markup(), twilioSecret) {
		t.Fatal("the secret is in the window")
	}
}
