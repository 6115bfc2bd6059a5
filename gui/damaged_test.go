package gui

import (
	"os"
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"keyshelf/vault"
)

// damage flips a byte in the vault's encrypted payload.
func damage(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)-10] ^= 0x20
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// inWindow fails unless every line of l's text lies inside the window.
func inWindow(t *testing.T, h *harness, l fyne.CanvasObject) {
	t.Helper()
	path := pathTo(h.u.win.Canvas().Content(), l)
	if path == nil {
		t.Fatal("the message is not on screen")
	}
	pos, size := absRect(path)
	win := h.u.win.Canvas().Size()
	if pos.X < 0 || pos.X+size.Width > win.Width || size.Height < l.MinSize().Height-0.5 {
		t.Fatalf("the message at %v size %v (needs %v) runs out of the %v window", pos, size, l.MinSize(), win)
	}
}

// TestDamagedVaultOffersTheBackup: a damaged vault's message wraps inside
// the window, names the backup that exists, and Open the backup opens it.
func TestDamagedVaultOffersTheBackup(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey, "GitHub deploy", githubKey)
	damage(t, h.path)
	h.typeFocused(testPass)
	h.pressFocused(fyne.KeyReturn)
	uv := h.u.unlock
	if uv == nil || !strings.Contains(uv.errLabel.Text, "damaged") {
		t.Fatalf("message %q", uv.errLabel.Text)
	}
	bak := vault.BackupPath(h.path)
	if !strings.Contains(uv.errLabel.Text, bak) {
		t.Fatalf("the message does not name the backup %s: %q", bak, uv.errLabel.Text)
	}
	if uv.errLabel.Wrapping != fyne.TextWrapWord {
		t.Fatal("the message does not wrap")
	}
	textFits(t, uv.errLabel)
	inWindow(t, h, uv.errLabel)
	h.tap("Open the backup")
	if h.u.unlock == nil || h.u.cfg.VaultPath != bak {
		t.Fatalf("not on the backup's unlock screen: %s", h.u.cfg.VaultPath)
	}
	h.unlock()
	if _, ok := h.u.v.Find("OpenAI prod"); !ok {
		t.Fatal("the backup does not hold the key saved before")
	}
	if got := h.app.Preferences().String(PrefVaultPath); got == bak {
		t.Fatal("the backup became the vault opened next time")
	}
}

// TestDamagedVaultWithoutBackup: with no backup, the message names none
// and offers none.
func TestDamagedVaultWithoutBackup(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey)
	if err := os.Remove(vault.BackupPath(h.path)); err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	damage(t, h.path)
	h.typeFocused(testPass)
	h.pressFocused(fyne.KeyReturn)
	uv := h.u.unlock
	if strings.Contains(uv.errLabel.Text, ".bak") || h.findButton("Open the backup") != nil {
		t.Fatalf("a backup that does not exist is named or offered: %q", uv.errLabel.Text)
	}
	if !strings.Contains(uv.errLabel.Text, "damaged") {
		t.Fatalf("message %q", uv.errLabel.Text)
	}
}
