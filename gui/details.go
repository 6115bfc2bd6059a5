package gui

import (
	"errors"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"keyshelf/vault"
	"keyshelf/vault/provider"
)

// shownLog is how many access log events the details dialog lists.
const shownLog = 50

// showDetails opens a dialog about e: its dates, where it is used, its
// earlier values (copy or restore) and its access log, newest first.
func (m *mainView) showDetails(e vault.Entry) {
	if m.u.modal || !m.u.touch() {
		return
	}
	// Lists hold entries without their history and log: read it whole.
	e, ok := m.u.v.Get(e.ID)
	if !ok {
		return
	}
	now := m.u.cfg.Clock.Now()
	day := func(t time.Time) string { return t.In(loc).Format(dateLayout) }

	info := widget.NewForm(
		widget.NewFormItem("Provider", widget.NewLabel(provider.Name(e.Provider))),
		widget.NewFormItem("Key", widget.NewLabelWithStyle(vault.Mask(e.Secret), fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})),
		widget.NewFormItem("Created", widget.NewLabel(day(e.Created))),
		widget.NewFormItem("Last rotated", widget.NewLabel(day(e.LastRotated())+" ("+age(now, e.LastRotated())+")")),
	)
	due := "never"
	if t := e.RotationDue(m.defaultDays, loc); !t.IsZero() {
		due = day(t)
	}
	if w := attentionWords(&e, m.defaultDays, now); w != "" {
		due += " — " + w
	}
	info.Append("Rotation due", widget.NewLabel(due))
	if e.Expires != nil {
		info.Append("Expires", widget.NewLabel(day(*e.Expires)))
	}
	if len(e.UsedBy) > 0 {
		info.Append("Used by", widget.NewLabel(strings.Join(e.UsedBy, ", ")))
	}
	if c := e.LastCheck; c != nil {
		info.Append("Last test", widget.NewLabel(describe(day(c.Checked), *c)))
	}

	box := container.NewVBox(info)
	var d dialog.Dialog
	if len(e.History) > 0 {
		box.Add(widget.NewLabelWithStyle("Earlier keys", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		for i := len(e.History) - 1; i >= 0; i-- {
			h := e.History[i]
			n := i
			label := widget.NewLabelWithStyle(vault.Mask(h.Secret)+"   "+day(h.From)+" → "+day(h.Until), fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
			cp := widget.NewButtonWithIcon("Copy", theme.ContentCopyIcon(), func() {
				if !m.u.touch() {
					return
				}
				m.u.clip.Copy(e.Name+" (earlier key)", h.Secret, m.u.prefs.ClearAfter())
				m.u.record(e.ID, vault.ActionCopied, vault.SourceWindow, "earlier key")
			})
			restore := widget.NewButtonWithIcon("Restore", theme.HistoryIcon(), func() {
				d.Hide()
				m.restoreOld(e, n)
			})
			box.Add(container.NewBorder(nil, nil, nil, container.NewHBox(cp, restore), label))
		}
	}
	box.Add(widget.NewLabelWithStyle("Access log", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	if len(e.Log) == 0 {
		box.Add(small("Nothing yet."))
	}
	for i := len(e.Log) - 1; i >= 0 && i >= len(e.Log)-shownLog; i-- {
		ev := e.Log[i]
		line := ev.Time.In(loc).Format("2006-01-02 15:04") + "   " + string(ev.Action) + "   " + string(ev.Source)
		if ev.Detail != "" {
			line += "   " + ev.Detail
		}
		box.Add(widget.NewLabel(line))
	}
	scroll := container.NewVScroll(box)
	scroll.SetMinSize(fyne.NewSize(560, min(box.MinSize().Height, 420)))
	d = dialog.NewCustom("Details: "+e.Name, "Close", scroll, m.u.win)
	m.u.modal = true
	m.u.show(d, func() { m.u.modal = false; m.focus() })
}

// restoreOld puts an earlier key back after asking.
func (m *mainView) restoreOld(e vault.Entry, n int) {
	m.u.modal = true
	c := dialog.NewConfirm("Restore an earlier key?",
		"\""+e.Name+"\" gets its earlier key back. The current key moves to its history.",
		func(yes bool) {
			m.u.modal = false
			if !yes {
				return
			}
			got, err := m.u.v.RestoreOld(e.ID, n, vault.SourceWindow)
			if err != nil {
				if errors.Is(err, vault.ErrSave) {
					m.u.saveFailed(err, func() { m.restoreOld(e, n) })
				} else {
					m.u.showError(err)
				}
				return
			}
			m.reload(got.ID)
			m.setStatus("Restored an earlier key of \"" + got.Name + "\"")
		}, m.u.win)
	c.SetConfirmText("Restore")
	c.SetDismissText("Cancel")
	m.u.show(c)
}
