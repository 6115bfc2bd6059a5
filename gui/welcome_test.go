package gui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// TestWelcomeGreyedCreateSaysWhatIsMissing: the greyed Create button says
// what it waits for, item by item.
func TestWelcomeGreyedCreateSaysWhatIsMissing(t *testing.T) {
	h := newHarness(t)
	w := h.u.welcome
	for _, step := range []struct {
		do   func()
		want string
	}{
		{func() {}, "choose a passphrase"},
		{func() { test.Type(w.pass1, "tulip anchor marble 1987 quietly") }, "type it again"},
		{func() { test.Type(w.pass2, "tulip anchor") }, "same passphrase twice"},
		{func() { test.Type(w.pass2, " marble 1987 quietly") }, "I understand"},
	} {
		step.do()
		if !w.create.Disabled() || !strings.Contains(w.missing.Text, step.want) || !w.missing.Visible() {
			t.Fatalf("Create greyed %v, says %q, want %q", w.create.Disabled(), w.missing.Text, step.want)
		}
	}
	test.Tap(w.understood)
	if w.create.Disabled() || w.missing.Text != "" {
		t.Fatalf("complete form: Create greyed %v, says %q", w.create.Disabled(), w.missing.Text)
	}
}

// TestWelcomeEnterCreates: Enter creates the vault once the form is
// complete, also from the check box the user just ticked; before that,
// Enter in the first field moves on to the second.
func TestWelcomeEnterCreates(t *testing.T) {
	h := newHarness(t)
	w := h.u.welcome
	h.typeFocused("tulip anchor marble 1987 quietly")
	h.pressFocused(fyne.KeyReturn)
	if h.u.win.Canvas().Focused() != w.pass2 {
		t.Fatal("Enter in the first field did not move to the second")
	}
	h.typeFocused("tulip anchor marble 1987 quietly")
	test.Tap(w.understood) // focuses the check box
	if h.u.win.Canvas().Focused() != w.understood {
		t.Fatal("the tapped check box is not focused")
	}
	h.pressFocused(fyne.KeyReturn)
	if h.u.main == nil {
		t.Fatal("Enter on the complete form did not create the vault")
	}
}

// TestWelcomePassphraseRule: under 8 characters is refused; a weak one
// needs an explicit "use it anyway"; a strong one does not ask.
func TestWelcomePassphraseRule(t *testing.T) {
	h := newHarness(t)
	w := h.u.welcome
	test.Tap(w.understood)
	test.Type(w.pass1, "Zq7#kp2")
	test.Type(w.pass2, "Zq7#kp2")
	if !w.create.Disabled() || !strings.Contains(w.missing.Text, "at least 8 characters") {
		t.Fatalf("a 7-character passphrase: Create greyed %v, says %q", w.create.Disabled(), w.missing.Text)
	}
	w.pass2.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if h.u.main != nil {
		t.Fatal("a 7-character passphrase created the vault")
	}
	w.pass1.SetText("password1")
	w.pass2.SetText("password1")
	if !w.weakOK.Visible() || !w.create.Disabled() || !strings.Contains(w.missing.Text, "stronger passphrase") {
		t.Fatalf("a weak passphrase: asked %v, Create greyed %v, says %q", w.weakOK.Visible(), w.create.Disabled(), w.missing.Text)
	}
	inWindow(t, h, w.weakOK)
	test.Tap(w.weakOK)
	if w.create.Disabled() {
		t.Fatalf("confirmed weak passphrase: Create still greyed: %q", w.missing.Text)
	}
	w.pass1.SetText("tulip anchor marble 1987 quietly")
	w.pass2.SetText("tulip anchor marble 1987 quietly")
	if w.weakOK.Visible() || w.weakOK.Checked || w.create.Disabled() {
		t.Fatal("a strong passphrase asks for a confirmation")
	}
	w.pass1.SetText("password1")
	w.pass2.SetText("password1")
	if w.weakOK.Checked || !w.create.Disabled() {
		t.Fatal("the confirmation of an earlier weak passphrase carried over")
	}
	test.Tap(w.weakOK)
	test.Tap(w.create)
	if h.u.main == nil {
		t.Fatal("the confirmed weak passphrase did not create the vault")
	}
}
