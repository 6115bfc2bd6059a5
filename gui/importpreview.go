package gui

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"keyshelf/vault"
	"keyshelf/vault/dotenv"
	"keyshelf/vault/importers"
	"keyshelf/vault/provider"
)

// maxImportFile is the largest file File ▸ Import… reads, as on the
// command line.
const maxImportFile = 16 << 20

// chooseImport asks for a file to import keys from (File ▸ Import keys…).
func (u *UI) chooseImport() {
	if u.main == nil {
		return
	}
	u.pickOpenFile(u.importFile, []string{".env", ".xml", ".csv", ".json", ".1pux", ".txt", ".keyshelf", ""})
}

// pickOpenFile asks for a file to read (of the extensions exts; nil: any)
// and calls done with its path; not called when the user cancels. Tests
// replace the dialog (UI.filePicker).
func (u *UI) pickOpenFile(done func(string), exts []string) {
	if u.filePicker != nil {
		u.filePicker(done)
		return
	}
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			u.showError(err)
			return
		}
		if r == nil {
			return // cancelled
		}
		path := r.URI().Path()
		if cerr := r.Close(); cerr != nil {
			u.showError(cerr)
			return
		}
		done(path)
	}, u.win)
	if exts != nil {
		d.SetFilter(storage.NewExtensionFileFilter(exts))
	}
	d.Resize(fyne.NewSize(700, 500))
	u.show(d)
}

// dropped takes files dropped on the window: the first one is imported,
// after the user has seen the preview. Locked, it says to unlock first.
func (u *UI) dropped(_ fyne.Position, uris []fyne.URI) {
	var path string
	for _, uri := range uris {
		if uri.Scheme() == "file" {
			path = uri.Path()
			break
		}
	}
	switch {
	case path == "":
		return
	case u.main == nil:
		if u.unlock != nil {
			u.unlock.errLabel.SetText("Unlock first, then drop the file again to import its keys.")
			u.unlock.errLabel.Show()
		}
		return
	case u.modal:
		u.main.setStatus("Close the open dialog first, then drop the file again.")
		return
	}
	u.importFile(path)
}

// importFile reads path, off the UI goroutine, and shows what it holds.
// The file is only read: it is never changed, moved or copied.
func (u *UI) importFile(path string) {
	m := u.main
	if m == nil {
		return
	}
	if u.v.ReadOnly() {
		u.showError(fmt.Errorf("%w: keys cannot be imported", vault.ErrReadOnly))
		return
	}
	m.setStatus("Reading " + filepath.Base(path) + "…")
	u.cfg.Go(func() {
		r := readImport(path)
		fyne.Do(func() {
			if u.main != m {
				return // locked meanwhile: what was read is dropped
			}
			if errors.Is(r.err, importers.ErrNeedsPassword) || errors.Is(r.err, importers.ErrBackupNeedsPassphrase) {
				m.setStatus("")
				u.askExportPassword(path, r.data, r.format)
				return
			}
			if r.err != nil {
				m.setStatus("")
				u.show(u.errorDialog("Could not import "+filepath.Base(path), r.message, technicalReason(r.err),
					widget.NewButton("OK", func() {})))
				return
			}
			m.setStatus("")
			u.showImportPreview(path, r)
		})
	})
}

// importRead is what reading a file to import gave.
type importRead struct {
	format  string
	cands   []importers.Candidate
	warns   []dotenv.Warning
	err     error
	message string // for err, in words the user can act on
	data    []byte // with ErrNeedsPassword or ErrBackupNeedsPassphrase: the file, still encrypted
}

func readImport(path string) importRead {
	data, err := readFileLimited(path, maxImportFile)
	if err != nil {
		msg := "The file could not be read."
		switch {
		case errors.Is(err, errTooLarge):
			msg = fmt.Sprintf("The file is larger than %d MiB; no export of API keys is that large.", maxImportFile>>20)
		case errors.Is(err, os.ErrNotExist):
			msg = "The file is no longer there."
		case errors.Is(err, os.ErrPermission):
			msg = "Keyshelf may not read this file."
		}
		return importRead{err: err, message: msg}
	}
	format := importers.Sniff(data)
	cands, warns, err := importers.Read(format, data)
	if errors.Is(err, importers.ErrNeedsPassword) || errors.Is(err, importers.ErrBackupNeedsPassphrase) {
		return importRead{format: format, err: err, data: data}
	}
	if err != nil {
		return importRead{err: err, message: "Keyshelf could not read this " + importers.FormatTitle(format) + "."}
	}
	return importRead{format: format, cands: cands, warns: warns}
}

// askExportPassword asks for the password of Bitwarden's
// password-protected export, or the passphrase of a Keyshelf backup
// (format), opens it off the UI goroutine (its key derivation takes a
// moment) and shows the preview; a wrong password says so and lets the
// user try again. Nothing decrypted is written.
func (u *UI) askExportPassword(path string, data []byte, format string) {
	m := u.main
	file := filepath.Base(path)
	pass := widget.NewPasswordEntry()
	pass.SetPlaceHolder("Password of the export")
	problem := widget.NewLabel("")
	problem.Importance = widget.DangerImportance
	problem.Hide()
	intro := widget.NewLabel(file + " is Bitwarden's password-protected export.\nEnter the password chosen when it was exported.")
	read, wrong, word := importers.FromBitwardenProtected, importers.ErrWrongPassword, "password"
	if format == importers.FormatBackup {
		pass.SetPlaceHolder("Passphrase of the backup")
		intro.SetText(file + " is a Keyshelf backup (or another vault).\nEnter the passphrase it was written with.")
		read, wrong, word = importers.FromBackup, vault.ErrWrongPassphrase, "passphrase"
	} else {
		format = importers.FormatBitwardenJSON
	}
	var d *dialog.CustomDialog
	var open *widget.Button
	busy := false
	submit := func() {
		if busy || pass.Text == "" {
			return
		}
		busy = true
		open.Disable()
		setMessage(problem, "Opening…")
		problem.Importance = widget.MediumImportance
		password := pass.Text
		u.cfg.Go(func() {
			cands, err := read(data, password)
			fyne.Do(func() {
				busy = false
				open.Enable()
				if u.main != m {
					return
				}
				problem.Importance = widget.DangerImportance
				switch {
				case errors.Is(err, wrong):
					setMessage(problem, "Wrong "+word+". Try again.")
					pass.SetText("")
					u.win.Canvas().Focus(pass)
					return
				case err != nil:
					setMessage(problem, "This file could not be read: "+technicalReason(err))
					return
				}
				d.Hide()
				u.showImportPreview(path, importRead{format: format, cands: cands})
			})
		})
	}
	pass.OnSubmitted = func(string) { submit() }
	cancel := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() { d.Hide() })
	open = widget.NewButtonWithIcon("Open", theme.ConfirmIcon(), submit)
	open.Importance = widget.HighImportance
	d = dialog.NewCustomWithoutButtons(capitalize(word)+" of "+file, container.NewVBox(intro, pass, problem), u.win)
	d.SetButtons([]fyne.CanvasObject{cancel, open})
	d.Resize(fyne.NewSize(460, d.MinSize().Height))
	u.modal = true
	u.show(d, func() {
		u.modal = false
		if u.main == m && u.imports == nil {
			m.focus()
		}
	})
	u.win.Canvas().Focus(pass)
}

// errTooLarge: a file to import is over maxImportFile.
var errTooLarge = errors.New("file too large")

// readFileLimited reads a whole file of at most limit bytes.
func readFileLimited(path string, limit int64) (_ []byte, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = cerr
		}
	}()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%w: over %d MiB", errTooLarge, limit>>20)
	}
	return data, nil
}

// importView is the import preview: one row per value found, each with a
// check box and an editable name; nothing is written until Import.
type importView struct {
	u       *UI
	m       *mainView
	path    string
	format  string
	steps   []importers.Step
	planned []string // each row's name as planned, to tell a rename
	list    *widget.List
	summary *widget.Label
	problem *widget.Label
	ok      *widget.Button
	dlg     *dialog.CustomDialog
}

// importRow is one row of the preview, a widget the list reuses.
type importRow struct {
	widget.BaseWidget
	check *widget.Check
	name  *widget.Entry
	prov  *widget.Label
	key   *widget.Label
	what  *widget.Label
}

// CreateRenderer lays the row out: the check box, then name, provider,
// masked key and where it was found, in equal columns.
func (r *importRow) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, r.check, nil,
		container.New(importColumns{}, r.name, r.prov, r.key, r.what)))
}

// importColumns lays out the preview's four columns (name, provider, key,
// where found and why) at fixed shares of the width, the last widest, so
// that the header and every row line up.
type importColumns struct{}

var importShares = [4]float32{0.27, 0.13, 0.23, 0.37}

// Layout places the objects side by side at their shares of size.
func (importColumns) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding()
	avail := size.Width - pad*float32(len(objs)-1)
	x := float32(0)
	for i, o := range objs {
		w := avail * importShares[i%len(importShares)]
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(w, size.Height))
		x += w + pad
	}
}

// MinSize is as tall as the tallest object and wide enough for each to
// get its minimum width at its share.
func (importColumns) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var w, h float32
	for i, o := range objs {
		m := o.MinSize()
		w = max(w, m.Width/importShares[i%len(importShares)])
		h = max(h, m.Height)
	}
	return fyne.NewSize(w+theme.Padding()*float32(len(objs)-1), h)
}

func (u *UI) showImportPreview(path string, r importRead) {
	m := u.main
	iv := &importView{u: u, m: m, path: path, format: r.format, steps: importers.Plan(u.v.List(), r.cands, false)}
	for _, s := range iv.steps {
		iv.planned = append(iv.planned, s.Name)
	}
	file := filepath.Base(path)
	if len(iv.steps) == 0 {
		u.show(dialog.NewInformation("Nothing to import",
			"No values were found in "+file+" ("+importers.FormatTitle(r.format)+").", u.win))
		return
	}

	intro := widget.NewLabel(fmt.Sprintf("%s in %s (%s). Ticked rows are imported; nothing is saved until you press Import.",
		capitalize(plural(len(iv.steps), "value")+" found"), file, importers.FormatTitle(r.format)))
	intro.Wrapping = fyne.TextWrapWord
	top := container.NewVBox(intro)
	if len(r.warns) > 0 {
		lines := make([]string, 0, len(r.warns))
		for _, w := range r.warns {
			lines = append(lines, w.String())
		}
		warn := widget.NewLabel(strings.Join(lines, "\n"))
		warn.Wrapping = fyne.TextWrapWord
		warn.Importance = widget.WarningImportance
		top.Add(warn)
	}
	head := func(s string) fyne.CanvasObject {
		return widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	checkWidth := widget.NewCheck("", nil).MinSize().Width
	top.Add(container.NewBorder(nil, nil, spacer(checkWidth), nil,
		container.New(importColumns{}, head("Name"), head("Provider"), head("Key"), head("Found"))))

	iv.list = widget.NewList(func() int { return len(iv.steps) }, iv.newRow, iv.updateRow)
	iv.summary = widget.NewLabel("")
	iv.problem = widget.NewLabel("")
	iv.problem.Importance = widget.DangerImportance
	iv.problem.Wrapping = fyne.TextWrapWord
	iv.problem.Hide()
	tickAll := widget.NewButton("Tick all", func() { iv.setAll(true) })
	untickAll := widget.NewButton("Untick all", func() { iv.setAll(false) })
	bottom := container.NewVBox(iv.problem,
		container.NewHBox(tickAll, untickAll, layout.NewSpacer(), iv.summary))
	body := container.NewBorder(top, bottom, nil, nil, iv.list)

	cancel := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() { iv.dlg.Hide() })
	iv.ok = widget.NewButtonWithIcon("Import", theme.DownloadIcon(), iv.confirm)
	iv.ok.Importance = widget.HighImportance
	iv.dlg = dialog.NewCustomWithoutButtons("Import keys from "+file, body, u.win)
	iv.dlg.SetButtons([]fyne.CanvasObject{cancel, iv.ok})
	winSize := u.win.Canvas().Size()
	iv.dlg.Resize(fyne.NewSize(min(900, max(winSize.Width-40, 600)), min(560, max(winSize.Height-40, 420))))
	iv.update()
	u.modal = true
	u.imports = iv
	u.show(iv.dlg, func() {
		u.modal = false
		if u.imports == iv {
			u.imports = nil
		}
		if u.main == m {
			m.focus()
		}
	})
	// Import is the default: Space presses it, Tab moves to the rows, and
	// Enter in a name field imports too.
	u.win.Canvas().Focus(iv.ok)
}

func (iv *importView) newRow() fyne.CanvasObject {
	r := &importRow{check: widget.NewCheck("", nil), name: widget.NewEntry(),
		prov: widget.NewLabel(""), key: widget.NewLabel(""), what: widget.NewLabel("")}
	for _, l := range []*widget.Label{r.prov, r.key, r.what} {
		l.Truncation = fyne.TextTruncateEllipsis
	}
	r.ExtendBaseWidget(r)
	return r
}

func (iv *importView) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	r := o.(*importRow)
	s := iv.steps[id]
	// The callbacks first: a reused row must not write into another step.
	r.check.OnChanged, r.name.OnChanged = nil, nil
	r.check.SetChecked(s.Take)
	r.name.SetText(s.Name)
	prov := "–"
	if s.C.Provider != "" {
		prov = provider.Name(s.C.Provider)
	}
	r.prov.SetText(prov)
	r.key.SetText(vault.Mask(s.C.Secret))
	r.what.SetText(stepNote(s, s.Name == iv.planned[id]))
	r.check.OnChanged = func(on bool) { iv.steps[id].Take = on; iv.update() }
	r.name.OnChanged = func(name string) { iv.steps[id].Name = name; iv.update() }
	r.name.OnSubmitted = func(string) { iv.confirm() }
}

// stepNote says where a value was found and why it is ticked or not;
// planned reports whether the name is still the one the plan gave.
func stepNote(s importers.Step, planned bool) string {
	var why string
	switch {
	case s.Duplicate != "" && s.InFile:
		why = "same key as " + s.Duplicate + " above"
	case s.Duplicate != "":
		why = "in the vault as " + s.Duplicate
	case !s.C.Key:
		why = s.C.Why
	case s.Renamed() && planned:
		why = "renamed: the name is taken"
	}
	if why == "" {
		return s.C.Source
	}
	if s.C.Source == "" {
		return why
	}
	return s.C.Source + " · " + why
}

// setAll ticks every row that is not a duplicate, or unticks every row.
func (iv *importView) setAll(on bool) {
	for i := range iv.steps {
		iv.steps[i].Take = on && iv.steps[i].Duplicate == ""
	}
	iv.list.Refresh()
	iv.update()
}

// taken counts the ticked rows.
func (iv *importView) taken() int {
	n := 0
	for _, s := range iv.steps {
		if s.Take {
			n++
		}
	}
	return n
}

// update shows how many rows will be imported and any problem with the
// ticked rows' names, and enables Import only when there is none.
func (iv *importView) update() {
	n := iv.taken()
	iv.summary.SetText(strconv.Itoa(n) + " of " + plural(len(iv.steps), "value") + " ticked")
	err := importers.CheckNames(iv.u.v.List(), iv.steps)
	msg := ""
	var ne *importers.NameError
	if errors.As(err, &ne) {
		msg = "Row " + strconv.Itoa(ne.Index+1) + ": " + ne.Reason + ". Rename it or untick it."
	}
	setMessage(iv.problem, msg)
	if n == 0 {
		iv.ok.SetText("Import")
	} else {
		iv.ok.SetText("Import " + plural(n, "key"))
	}
	if n == 0 || msg != "" {
		iv.ok.Disable()
	} else {
		iv.ok.Enable()
	}
}

// confirm adds the ticked rows to the vault in one save, then says what
// came in. A failed save keeps the preview open and offers to try again.
func (iv *importView) confirm() {
	u := iv.u
	if u.main != iv.m || u.v == nil {
		return
	}
	iv.update()
	if iv.ok.Disabled() {
		return
	}
	file := filepath.Base(iv.path)
	var drafts []vault.Draft
	skipped, left := 0, 0
	for _, s := range iv.steps {
		switch {
		case s.Take:
			drafts = append(drafts, s.Draft(file))
		case s.Duplicate != "":
			skipped++
		default:
			left++
		}
	}
	results, err := u.v.AddAll(drafts)
	if err != nil {
		if errors.Is(err, vault.ErrSave) {
			u.saveFailed(err, iv.confirm)
			return
		}
		setMessage(iv.problem, u.userMessage(err))
		return
	}
	iv.dlg.Hide()
	m := iv.m
	m.search.SetText("")
	m.reload(results[0].Entry.ID)
	done := "Imported " + plural(len(results), "key") + " from " + file
	m.setStatus(done)
	u.refreshTray()
	u.notifyAttention()

	lines := []string{done + "."}
	if skipped > 0 {
		lines = append(lines, capitalize(plural(skipped, "value"))+" already in the vault "+isAre(skipped)+" skipped.")
	}
	if left > 0 {
		lines = append(lines, capitalize(plural(left, "value"))+" not ticked "+isAre(left)+" left out.")
	}
	if iv.format != importers.FormatEnv {
		lines = append(lines, "", "The export holds your passwords unencrypted: delete "+file+" (and empty the trash) now that its keys are in Keyshelf.")
	}
	u.show(dialog.NewInformation("Import done", strings.Join(lines, "\n"), u.win))
}

func isAre(n int) string {
	if n == 1 {
		return "was"
	}
	return "were"
}
