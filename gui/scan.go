package gui

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"keyshelf/vault"
	"keyshelf/vault/leakscan"
	"keyshelf/vault/provider"
)

// scanView is File ▸ Scan a folder for keys…: the scan's progress, then its
// finds, each with Accept (and Rotate… for the vault's own keys).
type scanView struct {
	u      *UI
	root   string
	dlg    *dialog.CustomDialog
	status *widget.Label
	list   *fyne.Container
	cancel context.CancelFunc
	res    leakscan.Result
	done   bool
}

// chooseScan asks for a folder and scans it.
func (u *UI) chooseScan() {
	if u.main == nil || u.modal {
		return
	}
	u.pickFolder(u.scanFolder)
}

// scanFolder scans root off the UI goroutine and shows what it finds.
func (u *UI) scanFolder(root string) {
	m := u.main
	if m == nil {
		return
	}
	sc, err := leakscan.FromEntries(u.v.List())
	if err != nil {
		u.showError(err)
		return
	}
	ign, err := leakscan.LoadIgnore([]string{root})
	if err != nil {
		u.showError(err)
		return
	}
	sv := &scanView{u: u, root: root}
	ctx, cancel := context.WithCancel(context.Background())
	sv.cancel = cancel
	sv.status = widget.NewLabel("Scanning " + root + "…")
	sv.status.Wrapping = fyne.TextWrapWord
	sv.list = container.NewVBox()
	scroll := container.NewVScroll(sv.list)
	scroll.SetMinSize(fyne.NewSize(760, 320))
	stop := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() { sv.close() })
	sv.dlg = dialog.NewCustomWithoutButtons("Scan for keys", container.NewBorder(sv.status, nil, nil, nil, scroll), u.win)
	sv.dlg.SetButtons([]fyne.CanvasObject{stop})
	u.modal = true
	u.scan = sv
	u.show(sv.dlg, func() {
		cancel()
		u.modal, u.scan = false, nil
		if u.main == m {
			m.reload(m.selectedID())
			m.focus()
		}
	})
	progress := func(files int) {
		fyne.Do(func() {
			if !sv.done {
				sv.status.SetText(fmt.Sprintf("Scanning %s… %s read", root, plural(files, "file")))
			}
		})
	}
	u.cfg.Go(func() {
		res, err := sc.Scan(ctx, []string{root}, ign, leakscan.Options{Progress: progress})
		fyne.Do(func() {
			if u.scan != sv {
				return // closed meanwhile
			}
			sv.finished(res, err)
			done := widget.NewButtonWithIcon("Close", theme.ConfirmIcon(), sv.close)
			done.Importance = widget.HighImportance
			sv.dlg.SetButtons([]fyne.CanvasObject{done})
		})
	})
}

// finished shows the finds, and marks the vault keys found as exposed.
func (sv *scanView) finished(res leakscan.Result, err error) {
	sv.done, sv.res = true, res
	u := sv.u
	var marks []vault.Mark
	for _, f := range res.Finds {
		if f.EntryID != "" && !f.Accepted {
			marks = append(marks, vault.Mark{ID: f.EntryID, Where: fmt.Sprintf("%s:%d", f.Path, f.Line)})
		}
	}
	marked := 0
	if len(marks) > 0 && !u.v.ReadOnly() {
		n, merr := u.v.MarkExposedMany(marks, vault.SourceWindow) // one save for them all
		if merr != nil {
			u.saveFailed(merr, nil)
		}
		marked = n
	}
	text := fmt.Sprintf("%s read in %s (%s): ", plural(res.Files, "file"), sv.root, size(res.Bytes))
	switch n := res.Unaccepted(); {
	case n == 0:
		text += "no keys found."
	default:
		text += plural(n, "key") + " found where they should not be."
	}
	if a := len(res.Finds) - res.Unaccepted(); a > 0 {
		text += " " + strconv.Itoa(a) + " accepted before, not shown."
	}
	if marked > 0 {
		text += " The vault's own keys found are marked exposed: rotate them."
	}
	if len(res.Skipped) > 0 {
		text += " " + plural(len(res.Skipped), "file") + " skipped (binary, too large, unreadable or links)."
	}
	if err != nil {
		text = "The scan stopped: " + technicalReason(err) + ". " + text
	}
	sv.status.SetText(text)
	for i := range res.Finds {
		if !res.Finds[i].Accepted {
			sv.list.Add(sv.row(res.Finds[i]))
		}
	}
}

// row is one find: where, what (masked), Accept and, for a vault key,
// Rotate….
func (sv *scanView) row(f leakscan.Find) fyne.CanvasObject {
	rel, _ := filepath.Rel(sv.root, f.Path)
	where := widget.NewLabelWithStyle(fmt.Sprintf("%s:%d", rel, f.Line), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	where.Truncation = fyne.TextTruncateEllipsis
	what := provider.Name(f.Provider) + " key " + f.Masked
	switch {
	case f.EntryID != "":
		what = "your key “" + f.EntryName + "” " + f.Masked
	case f.Weak:
		what = "possibly a " + provider.Name(f.Provider) + " key " + f.Masked
	}
	desc := widget.NewLabel(what)
	desc.Truncation = fyne.TextTruncateEllipsis
	if f.EntryID != "" {
		desc.Importance = widget.DangerImportance
	}
	var accept *widget.Button
	accept = widget.NewButton("Accept", func() {
		if err := leakscan.Accept(f.Root, []leakscan.Find{f}); err != nil {
			sv.u.showError(err)
			return
		}
		accept.SetText("Accepted")
		accept.Disable()
	})
	rotate := widget.NewButtonWithIcon("Rotate…", theme.ViewRefreshIcon(), nil)
	// Every row keeps Rotate…'s room, so that the columns line up.
	var second fyne.CanvasObject = spacer(rotate.MinSize().Width)
	if f.EntryID == "" && f.Provider != "" {
		second = sv.checkButton(f, desc, what)
	}
	if f.EntryID != "" {
		id := f.EntryID
		second = rotate
		rotate.OnTapped = func() {
			e, ok := sv.u.v.Get(id)
			m := sv.u.main
			if !ok || m == nil {
				return
			}
			sv.close()
			m.showRotate(e)
		}
	}
	cols := container.New(&columnsLayout{weights: []float32{2, 3}}, where, desc)
	return container.NewBorder(nil, nil, nil, container.NewHBox(accept, second), cols)
}

// size is a byte count in words: "12 KB", "3.4 MB".
func size(n int64) string {
	if n < 1e6 {
		return strconv.FormatInt((n+999)/1000, 10) + " KB"
	}
	return fmt.Sprintf("%.1f MB", float64(n)/1e6)
}

// checkButton is "Check it" for a key the vault does not hold: it asks the
// provider, off the UI goroutine, whether the key is live, and says so in
// desc. The key is read back from its file for the request and dropped.
func (sv *scanView) checkButton(f leakscan.Find, desc *widget.Label, what string) *widget.Button {
	var b *widget.Button
	b = widget.NewButtonWithIcon("Check it", theme.MediaPlayIcon(), func() {
		b.Disable()
		desc.SetText(what + " — checking…")
		u := sv.u
		u.cfg.Go(func() {
			v := leakscan.CheckFind(context.Background(), u.checker, f)
			text, imp := what+" — "+v.Words, widget.MediumImportance
			switch {
			case v.Live:
				imp = widget.DangerImportance
			case v.Dead:
				imp = widget.SuccessImportance
			}
			fyne.Do(func() {
				desc.Importance = imp
				desc.SetText(text)
			})
		})
	})
	return b
}

// close ends the scan (if it runs) and the dialog.
func (sv *scanView) close() {
	sv.cancel()
	sv.dlg.Hide()
}

// exposedMenuItem marks the entry exposed (asking where), or takes the
// marks off when it is marked.
func (m *mainView) exposedMenuItem(e vault.Entry) *fyne.MenuItem {
	id := e.ID
	if len(e.Exposed) > 0 {
		return fyne.NewMenuItem("Not exposed (take the mark off)", func() {
			if _, err := m.u.v.ClearExposed(id, vault.SourceWindow); err != nil {
				m.u.saveFailed(err, nil)
				return
			}
			m.reload(id)
		})
	}
	return fyne.NewMenuItem("Mark as exposed…", func() { m.askExposed(e) })
}

// askExposed asks where the key was exposed and marks it.
func (m *mainView) askExposed(e vault.Entry) {
	if m.u.modal || !m.u.touch() {
		return
	}
	where := widget.NewEntry()
	where.SetPlaceHolder("Where: pasted in a chat, committed to a public repository…")
	problem := widget.NewLabel("")
	problem.Importance = widget.DangerImportance
	var d *dialog.CustomDialog
	mark := func() {
		if _, err := m.u.v.MarkExposed(e.ID, where.Text, vault.SourceWindow); err != nil {
			setMessage(problem, capitalize(err.Error())+".")
			return
		}
		d.Hide()
		m.reload(e.ID)
		m.setStatus("“" + e.Name + "” is marked exposed: rotate it now.")
	}
	where.OnSubmitted = func(string) { mark() }
	ok := widget.NewButtonWithIcon("Mark exposed", theme.WarningIcon(), mark)
	ok.Importance = widget.DangerImportance
	cancel := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() { d.Hide() })
	intro := widget.NewLabel("A key seen where it should not be is shown in red until you rotate it.")
	intro.Wrapping = fyne.TextWrapWord
	d = dialog.NewCustomWithoutButtons("Mark “"+e.Name+"” as exposed", container.NewVBox(intro, where, problem), m.u.win)
	d.SetButtons([]fyne.CanvasObject{cancel, ok})
	d.Resize(fyne.NewSize(520, d.MinSize().Height))
	m.u.modal = true
	m.u.show(d, func() {
		m.u.modal = false
		m.focus()
	})
	m.u.win.Canvas().Focus(where)
}
