package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// formEntry is a text field in a dialog: Escape in it closes the dialog,
// as it does everywhere else in a desktop app.
type formEntry struct {
	widget.Entry
	onEscape func()
}

func newFormEntry(onEscape func()) *formEntry {
	e := &formEntry{onEscape: onEscape}
	e.ExtendBaseWidget(e)
	return e
}

// newFormPasswordEntry is a formEntry that hides what is typed, with the
// usual show/hide toggle.
func newFormPasswordEntry(onEscape func()) *formEntry {
	e := newFormEntry(onEscape)
	e.Password = true
	return e
}

func newFormMultiLineEntry(onEscape func()) *formEntry {
	e := newFormEntry(onEscape)
	e.MultiLine = true
	e.Wrapping = fyne.TextWrapWord
	return e
}

// TypedKey closes the dialog on Escape and passes other keys on.
func (e *formEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape && e.onEscape != nil {
		e.onEscape()
		return
	}
	e.Entry.TypedKey(k)
}

// show shows d as the window's current dialog, which Escape dismisses when
// no field has the keyboard focus. onClosed, if given, runs when it closes.
func (u *UI) show(d dialog.Dialog, onClosed ...func()) {
	u.dlg = d
	d.SetOnClosed(func() {
		if u.dlg == d {
			u.dlg = nil
		}
		for _, f := range onClosed {
			f()
		}
	})
	d.Show()
}

// typedKey handles keys that reach the window with nothing focused.
func (u *UI) typedKey(k *fyne.KeyEvent) {
	if k.Name != fyne.KeyEscape || u.dlg == nil {
		return
	}
	if u.editor != nil && u.dlg == u.editor.dlg {
		u.editor.escape() // asks before throwing edits away
		return
	}
	u.dlg.Hide()
}
