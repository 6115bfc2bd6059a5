package hotkey

import (
	"errors"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	good := []struct {
		in   string
		want Combo
		str  string
	}{
		{"Ctrl+Alt+K", Combo{Ctrl | Alt, "K"}, "Ctrl+Alt+K"},
		{"alt+ctrl+k", Combo{Ctrl | Alt, "K"}, "Ctrl+Alt+K"},
		{" Ctrl + Alt + Space ", Combo{Ctrl | Alt, "Space"}, "Ctrl+Alt+Space"},
		{"Ctrl+Shift+K", Combo{Ctrl | Shift, "K"}, "Ctrl+Shift+K"},
		{"Super+K", Combo{Super, "K"}, "Super+K"},
		{"Win+k", Combo{Super, "K"}, "Super+K"},
		{"Control+Meta+7", Combo{Ctrl | Super, "7"}, "Ctrl+Super+7"},
		{"Shift+F12", Combo{Shift, "F12"}, "Shift+F12"},
		{"Ctrl+Alt+Shift+Super+f1", Combo{Ctrl | Alt | Shift | Super, "F1"}, "Ctrl+Alt+Shift+Super+F1"},
	}
	for _, g := range good {
		c, err := Parse(g.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", g.in, err)
			continue
		}
		if c != g.want {
			t.Errorf("Parse(%q) = %+v, want %+v", g.in, c, g.want)
		}
		if c.String() != g.str {
			t.Errorf("Parse(%q).String() = %q, want %q", g.in, c.String(), g.str)
		}
		back, err := Parse(c.String())
		if err != nil || back != c {
			t.Errorf("Parse(%q) does not round-trip: %+v, %v", c.String(), back, err)
		}
	}

	bad := []struct{ in, wantIn string }{
		{"", "empty shortcut"},
		{"   ", "empty shortcut"},
		{"K", "needs at least one modifier"},
		{"Ctrl+Alt", "no key after the modifiers"},
		{"Ctrl++K", "empty part"},
		{"Ctrl+Alt+", "empty part"},
		{"Hyper+K", `"Hyper" is not a modifier`},
		{"Ctrl+Ctrl+K", "names Ctrl twice"},
		{"Ctrl+Alt+Enter", `"Enter" is not a key`},
		{"Ctrl+Alt+F13", `"F13" is not a key`},
		{"Ctrl+Alt+KK", `"KK" is not a key`},
		{"Ctrl+Alt+é", `is not a key`},
		{"Shift+K", "would stop Shift+K from typing"},
	}
	for _, b := range bad {
		_, err := Parse(b.in)
		if err == nil {
			t.Errorf("Parse(%q) gave no error", b.in)
			continue
		}
		if !strings.Contains(err.Error(), b.wantIn) {
			t.Errorf("Parse(%q) error %q, want it to contain %q", b.in, err, b.wantIn)
		}
	}
}

func TestErrTakenSaysWhich(t *testing.T) {
	var err error = &ErrTaken{Combo: Combo{Ctrl | Alt, "K"}}
	if got := err.Error(); got != "another program already uses Ctrl+Alt+K" {
		t.Errorf("ErrTaken = %q", got)
	}
	var taken *ErrTaken
	if !errors.As(err, &taken) || taken.Combo.Key != "K" {
		t.Errorf("errors.As did not find the combo")
	}
}

func TestFNumber(t *testing.T) {
	for k, want := range map[string]int{"F1": 1, "F9": 9, "F10": 10, "F12": 12, "K": 0, "F13": 0} {
		if got := fNumber(k); got != want {
			t.Errorf("fNumber(%q) = %d, want %d", k, got, want)
		}
	}
}
