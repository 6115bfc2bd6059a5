package gui

import (
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
)

func TestShowBringsTheWindowBackFromTheTray(t *testing.T) {
	h := newDeskHarness(t, true, nil, "OpenAI prod", openaiKey)
	h.u.Run()
	h.unlock()
	h.win.closeButton() // hidden in the tray
	if h.win.shown || !h.u.hidden() {
		t.Fatal("the close button did not hide the window in the tray")
	}
	h.u.Show()
	if !h.win.shown || h.u.hidden() || !h.desk.hasItem("Hide Keyshelf") {
		t.Fatalf("after Show: shown %v, hidden %v, menu %q", h.win.shown, h.u.hidden(), h.desk.labels())
	}
	if h.u.main == nil {
		t.Fatal("Show left the unlocked main view")
	}
}

func TestShowBringsBackAWindowHiddenOtherwise(t *testing.T) {
	// Without a tray (so nothing of ours hid it): a window the desktop
	// hid, or one started hidden and never shown.
	h := newDeskHarness(t, false, nil, "OpenAI prod", openaiKey)
	h.u.Run()
	h.win.Hide()
	h.u.Show()
	if !h.win.shown || h.desk.quits != 0 {
		t.Fatalf("after Show: shown %v, quits %d", h.win.shown, h.desk.quits)
	}
	h.u.Show() // already shown: stays so
	if !h.win.shown {
		t.Fatal("a second Show hid the window")
	}
}

func TestStartedHiddenThenShown(t *testing.T) {
	h := newDeskHarness(t, true, func(p fyne.Preferences) { p.SetBool(prefStartHidden, true) }, "OpenAI prod", openaiKey)
	h.u.Run()
	if h.win.shown {
		t.Fatal("started shown")
	}
	h.u.Show()
	if !h.win.shown || h.u.unlock == nil {
		t.Fatalf("after Show: shown %v, unlock screen %v", h.win.shown, h.u.unlock != nil)
	}
}

func TestSwitchVaultTellsMain(t *testing.T) {
	h := newDeskHarness(t, false, nil, "OpenAI prod", openaiKey)
	var got []string
	h.u.cfg.VaultChanged = func(p string) { got = append(got, p) }
	other := filepath.Join(t.TempDir(), "other.keyshelf")
	h.u.switchVault(other)
	if len(got) != 1 || got[0] != other {
		t.Fatalf("VaultChanged got %q, want [%q]", got, other)
	}
}
