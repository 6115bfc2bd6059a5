package gui

import (
	"context"
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"keyshelf/vault"
	"keyshelf/vault/check"
	"keyshelf/vault/provider"
)

// rotator is the Rotate… dialog: open the provider's key page, paste the
// new key, test it, replace the old one (kept in the history), then tick off
// the places that use the key.
type rotator struct {
	m      *mainView
	e      vault.Entry
	dlg    *dialog.CustomDialog
	key    *formEntry
	test   *widget.Button
	result *widget.Label
	rotate *widget.Button

	stopTest context.CancelFunc // ends the Test under way, if any
	closed   bool
	// The last finished Test: of which key, with what result. Recorded
	// with the entry once it is rotated to that key, so the row shows it.
	tested    string
	testedRes check.Result
}

// showRotate opens the Rotate… dialog for e.
func (m *mainView) showRotate(e vault.Entry) {
	if m.u.modal || !m.u.touch() {
		return
	}
	r := &rotator{m: m, e: e}
	r.key = newFormPasswordEntry(func() { r.dlg.Hide() })
	r.key.SetPlaceHolder("Paste the new key")
	r.result = widget.NewLabel("")
	r.result.Wrapping = fyne.TextWrapWord
	r.result.Hide()
	r.test = widget.NewButtonWithIcon("Test", theme.MediaPlayIcon(), r.runTest)
	r.rotate = widget.NewButtonWithIcon("Rotate", theme.ViewRefreshIcon(), r.apply)
	r.rotate.Importance = widget.HighImportance
	r.key.OnChanged = func(string) { r.changed() }
	r.key.OnSubmitted = func(string) { r.apply() }
	// A pasted new key is tested at once, as the README says.
	r.key.afterPaste = func() {
		if !r.rotate.Disabled() {
			r.runTest()
		}
	}

	pname := provider.Name(e.Provider)
	steps := container.NewVBox(
		widget.NewLabel("1. Make a new key at "+pname+", and revoke the old one there once every place uses the new one."),
		container.NewHBox(widget.NewButtonWithIcon("Open "+pname+" key page", theme.ComputerIcon(), func() { m.openKeyPage(e) })),
		widget.NewLabel("2. Paste the new key. The old one is kept in this key's history."),
		r.key,
		container.NewHBox(r.test),
		r.result,
	)
	for _, o := range steps.Objects {
		if l, ok := o.(*widget.Label); ok {
			l.Wrapping = fyne.TextWrapWord
		}
	}
	cancel := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() { r.dlg.Hide() })
	r.dlg = dialog.NewCustomWithoutButtons("Rotate "+e.Name, steps, m.u.win)
	r.dlg.SetButtons([]fyne.CanvasObject{cancel, r.rotate})
	r.dlg.Resize(fyne.NewSize(540, steps.MinSize().Height+120))
	r.dlg.SetOnClosed(func() {
		r.closed = true
		r.cancelTest()
		m.u.modal = false
		if m.u.dlg == r.dlg {
			m.u.dlg = nil
		}
		m.focus()
	})
	r.changed()
	m.u.modal = true
	r.dlg.Show()
	m.u.dlg = r.dlg
	m.u.win.Canvas().Focus(r.key)
}

// changed enables the buttons that make sense for what is typed.
func (r *rotator) changed() {
	if !r.m.u.touch() {
		return
	}
	key, _ := vault.CleanSecret(r.key.Text)
	switch {
	case key == "":
		r.rotate.Disable()
		r.test.Disable()
		r.result.Hide()
	case key == r.e.Secret:
		r.rotate.Disable()
		r.test.Enable()
		r.result.Importance = widget.DangerImportance
		r.result.SetText("That is the current key. Paste the new one.")
		r.result.Show()
	default:
		r.rotate.Enable()
		r.test.Enable()
		r.result.Hide()
	}
}

// runTest checks the new key with the entry's provider and address. Nothing
// is recorded: the entry still holds the old key. Closing the dialog
// cancels the check, and a result that comes anyway is dropped.
func (r *rotator) runTest() {
	if !r.m.u.touch() {
		return
	}
	key, _ := vault.CleanSecret(r.key.Text)
	if key == "" {
		return
	}
	t := r.e.Target()
	t.Secret = key
	r.cancelTest()
	r.test.Disable()
	r.result.Importance = widget.LowImportance
	r.result.SetText("Testing…")
	r.result.Show()
	ctx, cancel := r.m.track()
	r.stopTest = cancel
	r.m.u.cfg.Go(func() {
		res := r.m.u.checker.Check(ctx, t)
		fyne.Do(func() {
			cancelled := ctx.Err() != nil // closed, or locked, meanwhile
			cancel()
			if cancelled || r.closed {
				return
			}
			r.stopTest = nil
			r.test.Enable()
			r.tested, r.testedRes = key, res
			r.result.Importance = outcomeImportance(res.Outcome)
			msg := describe("The new key", res)
			if res.Outcome != check.Valid {
				msg += ". You can still rotate if you are sure."
			}
			r.result.SetText(msg)
		})
	})
}

// cancelTest stops the Test under way, if any.
func (r *rotator) cancelTest() {
	if r.stopTest != nil {
		r.stopTest()
		r.stopTest = nil
	}
}

// apply replaces the key and shows where to update it.
func (r *rotator) apply() {
	if r.rotate.Disabled() {
		return
	}
	res, err := r.m.u.v.Rotate(r.e.ID, r.key.Text, vault.SourceWindow)
	if err != nil {
		if errors.Is(err, vault.ErrSave) {
			r.m.u.saveFailed(err, r.apply)
		} else {
			r.result.Importance = widget.DangerImportance
			r.result.SetText(r.m.u.userMessage(err))
			r.result.Show()
		}
		return
	}
	if key, _ := vault.CleanSecret(r.key.Text); key == r.tested && res.Entry.Secret == key {
		// The new key was tested here: its row shows the result.
		if err := r.m.u.v.RecordCheck(res.Entry, r.testedRes); err != nil && !errors.Is(err, vault.ErrStaleCheck) &&
			!errors.Is(err, vault.ErrNotChecked) && !errors.Is(err, vault.ErrReadOnly) && !errors.Is(err, vault.ErrSave) {
			r.m.u.showError(err)
		}
	}
	r.m.reload(res.Entry.ID)
	r.m.setStatus("Rotated \"" + res.Entry.Name + "\"; the old key is in its history")
	r.m.u.refreshTray()
	r.showChecklist(res.Entry)
}

// showChecklist swaps the dialog for one listing the places to update.
func (r *rotator) showChecklist(e vault.Entry) {
	box := container.NewVBox(widget.NewLabel("Rotated. The old key is kept in Details ▸ History."))
	if len(e.UsedBy) > 0 {
		box.Add(widget.NewLabelWithStyle("Now update the key wherever it is used:", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		for _, p := range e.UsedBy {
			box.Add(widget.NewCheck(p, func(bool) { r.m.u.touch() }))
		}
	} else {
		box.Add(widget.NewLabel("Update it wherever it is used. (List those places under Used by when you edit the key.)"))
	}
	r.dlg.Hide()
	d := dialog.NewCustomWithoutButtons("Rotated "+e.Name, box, r.m.u.win)
	copyNew := widget.NewButtonWithIcon("Copy new key", theme.ContentCopyIcon(), func() { r.m.copyEntry(e.ID) })
	done := widget.NewButtonWithIcon("Done", theme.ConfirmIcon(), func() { d.Hide() })
	done.Importance = widget.HighImportance
	d.SetButtons([]fyne.CanvasObject{copyNew, done})
	d.Resize(fyne.NewSize(480, box.MinSize().Height+120))
	r.m.u.modal = true
	r.m.u.show(d, func() { r.m.u.modal = false; r.m.focus() })
}
