package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// escapeAfterChoice makes Escape still close a dialog after the user clicked
// one of its options in o (a form, containers, and the Selects, Checks and
// radio groups in them): a click gives such a widget the keyboard focus,
// and it keeps Escape to itself. Each choice hands the keyboard back to the
// window, where Escape closes the dialog, unless the choice opened a dialog
// of its own (one that asks a passphrase keeps its field's focus). Call it
// once the options' own OnChanged are set.
func (u *UI) escapeAfterChoice(o fyne.CanvasObject) {
	after := func(f func()) {
		c := u.win.Canvas()
		top := c.Overlays().Top()
		f()
		if c.Overlays().Top() == top {
			c.Unfocus()
		}
	}
	switch w := o.(type) {
	case *widget.Form:
		for _, it := range w.Items {
			u.escapeAfterChoice(it.Widget)
		}
	case *fyne.Container:
		for _, c := range w.Objects {
			u.escapeAfterChoice(c)
		}
	case *widget.Select:
		if f := w.OnChanged; f != nil {
			w.OnChanged = func(s string) { after(func() { f(s) }) }
		}
	case *widget.Check:
		if f := w.OnChanged; f != nil {
			w.OnChanged = func(on bool) { after(func() { f(on) }) }
		}
	case *widget.RadioGroup:
		if f := w.OnChanged; f != nil {
			w.OnChanged = func(s string) { after(func() { f(s) }) }
		}
	}
}

// formEntry is a text field in a dialog: Escape in it closes the dialog,
// as it does everywhere else in a desktop app.
type formEntry struct {
	widget.Entry
	onEscape func()
	// onPaste, when set, sees a paste first; false refuses it.
	onPaste func(pasted string) bool
	// afterPaste, when set, runs once a paste is in.
	afterPaste func()
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

// TypedShortcut lets onPaste see a paste before the field takes it.
func (e *formEntry) TypedShortcut(s fyne.Shortcut) {
	if p, ok := s.(*fyne.ShortcutPaste); ok && p.Clipboard != nil && e.onPaste != nil && !e.onPaste(p.Clipboard.Content()) {
		return
	}
	e.Entry.TypedShortcut(s)
	if _, ok := s.(*fyne.ShortcutPaste); ok && e.afterPaste != nil {
		e.afterPaste()
	}
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
