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
