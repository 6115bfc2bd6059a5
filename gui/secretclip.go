package gui

import "fyne.io/fyne/v2"

// SecretClipboard puts a key on the system clipboard marked as a secret, so
// that clipboard managers leave it out (package gui/secretclip on X11).
type SecretClipboard interface {
	// Set puts text on the clipboard; "" gives the clipboard up.
	Set(text string) error
	// Owns reports what Set put there, while it is still on the clipboard.
	Owns() (string, bool)
}

// markedClipboard is the clipboard keys go through: the secret clipboard,
// or the app's own when that fails (then without the mark, but never
// without the copy). A key that went to the app's own is cleared there.
type markedClipboard struct {
	secret SecretClipboard
	plain  fyne.Clipboard
	onApp  bool // the last key went to the app's clipboard
}

func (m *markedClipboard) SetContent(s string) {
	if s == "" {
		_ = m.secret.Set("")
		if m.onApp {
			m.plain.SetContent("")
			m.onApp = false
		}
		return
	}
	if err := m.secret.Set(s); err != nil {
		m.plain.SetContent(s)
		m.onApp = true
		return
	}
	m.onApp = false
}

func (m *markedClipboard) Content() string {
	if s, ok := m.secret.Owns(); ok {
		return s
	}
	return m.plain.Content()
}

// keyClipboard is the clipboard the clipboard guard copies keys to.
func keyClipboard(app fyne.App, cfg Config) fyne.Clipboard {
	if cfg.SecretClipboard == nil {
		return app.Clipboard()
	}
	return &markedClipboard{secret: cfg.SecretClipboard, plain: app.Clipboard()}
}
