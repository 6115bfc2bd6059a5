package gui

import (
	"errors"
	"os"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"keyshelf/vault"
	"keyshelf/vault/exportfile"
	"keyshelf/vault/shellvar"
)

// exportKind is one choice of File ▸ Export….
type exportKind struct {
	title string
	shell shellvar.Shell // "" for the encrypted backup
	file  string         // the file name offered
}

var exportKinds = []exportKind{
	{"Encrypted backup: every key, under a passphrase of its own", "", "keyshelf-backup.keyshelf"},
	{".env file (NAME=value)", shellvar.Dotenv, ".env"},
	{"Shell script (export NAME='…')", shellvar.POSIX, "keys.sh"},
	{"PowerShell script ($env:NAME = '…')", shellvar.PowerShell, "keys.ps1"},
	{"Command Prompt batch file (set \"NAME=…\")", shellvar.Cmd, "keys.cmd"},
}

// exporter is the File ▸ Export… dialog.
type exporter struct {
	u       *UI
	dlg     *dialog.CustomDialog
	kind    *widget.Select
	which   *widget.RadioGroup
	pass    *formEntry
	again   *formEntry
	meter   *strengthMeter
	passBox *fyne.Container
	warn    *widget.Label
	problem *widget.Label
	save    *widget.Button
}

const (
	exportAll   = "All keys"
	exportShown = "Only the keys the list shows now"
)

// showExport opens File ▸ Export….
func (u *UI) showExport() {
	m := u.main
	if m == nil || u.modal || !u.touch() {
		return
	}
	ex := &exporter{u: u}
	titles := make([]string, len(exportKinds))
	for i, k := range exportKinds {
		titles[i] = k.title
	}
	ex.kind = widget.NewSelect(titles, nil)
	ex.which = widget.NewRadioGroup([]string{exportAll, exportShown}, nil)
	ex.which.Required = true
	ex.which.SetSelected(exportAll)
	ex.pass = newFormPasswordEntry(func() { ex.dlg.Hide() })
	ex.pass.SetPlaceHolder("The backup's own passphrase")
	ex.again = newFormPasswordEntry(func() { ex.dlg.Hide() })
	ex.again.SetPlaceHolder("The same again")
	ex.meter = newStrengthMeter()
	ex.pass.OnChanged = func(s string) {
		if s == "" {
			ex.meter.SetScore(-1)
		} else {
			ex.meter.SetScore(vault.PassphraseStrength(s))
		}
		ex.validate()
	}
	ex.again.OnChanged = func(string) { ex.validate() }
	ex.pass.OnSubmitted = func(string) { u.win.Canvas().Focus(ex.again) }
	ex.again.OnSubmitted = func(string) { ex.submit() }
	ex.passBox = container.NewVBox(widget.NewForm(
		widget.NewFormItem("Passphrase", ex.pass),
		widget.NewFormItem("Again", ex.again),
		widget.NewFormItem("", ex.meter)))
	ex.warn = widget.NewLabel("")
	ex.warn.Wrapping = fyne.TextWrapWord
	ex.warn.Importance = widget.WarningImportance
	ex.problem = widget.NewLabel("")
	ex.problem.Wrapping = fyne.TextWrapWord
	ex.problem.Importance = widget.DangerImportance
	ex.save = widget.NewButtonWithIcon("Export…", theme.DocumentSaveIcon(), ex.submit)
	ex.save.Importance = widget.HighImportance
	cancel := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() { ex.dlg.Hide() })
	body := container.NewVBox(
		widget.NewForm(widget.NewFormItem("Export as", ex.kind), widget.NewFormItem("Keys", ex.which)),
		ex.passBox, ex.warn, ex.problem)
	ex.dlg = dialog.NewCustomWithoutButtons("Export keys", body, u.win)
	ex.dlg.SetButtons([]fyne.CanvasObject{cancel, ex.save})
	ex.kind.OnChanged = func(string) { ex.validate() }
	ex.which.OnChanged = func(string) { ex.validate() }
	ex.kind.SetSelectedIndex(0)
	ex.dlg.Resize(fyne.NewSize(600, body.MinSize().Height+120))
	u.modal = true
	u.exporter = ex
	u.show(ex.dlg, func() {
		u.modal, u.exporter = false, nil
		if u.main == m {
			m.focus()
		}
	})
	u.win.Canvas().Focus(ex.pass)
}

// chosen is the kind picked.
func (ex *exporter) chosen() exportKind {
	i := ex.kind.SelectedIndex()
	if i < 0 {
		i = 0
	}
	return exportKinds[i]
}

// validate shows what the choice needs and says, and enables Export.
func (ex *exporter) validate() {
	k := ex.chosen()
	ok := true
	problem := ""
	if k.shell == "" {
		ex.passBox.Show()
		ex.which.Disable()
		ex.which.SetSelected(exportAll)
		ex.warn.Importance = widget.MediumImportance
		setMessage(ex.warn, "The backup holds every key whole, with its earlier values and access log. "+
			"It opens with this passphrase only, not the vault's: as a vault, or through File ▸ Import keys…")
		switch {
		case ex.pass.Text == "":
			ok = false
		case vault.CheckNewPassphrase(ex.pass.Text) != nil:
			problem, ok = capitalize(vault.CheckNewPassphrase(ex.pass.Text).Error())+".", false
		case ex.again.Text != ex.pass.Text:
			ok = false
			if len(ex.again.Text) >= len(ex.pass.Text) {
				problem = "The two passphrases differ."
			}
		}
	} else {
		ex.passBox.Hide()
		ex.which.Enable()
		ex.warn.Importance = widget.WarningImportance
		setMessage(ex.warn, "The file will hold the keys in plain text, readable by anything that can read "+
			"your files. Keep it out of git and delete it when it is no longer needed.")
	}
	setMessage(ex.problem, problem)
	if ok {
		ex.save.Enable()
	} else {
		ex.save.Disable()
	}
	if ex.dlg != nil {
		ex.dlg.Refresh()
	}
}

// submit asks where to save and writes the export.
func (ex *exporter) submit() {
	if ex.save.Disabled() || !ex.u.touch() {
		return
	}
	k := ex.chosen()
	var data []byte
	var ids []string
	if k.shell != "" {
		var err error
		if data, ids, err = ex.plainText(k.shell); err != nil {
			setMessage(ex.problem, capitalize(err.Error())+".")
			return
		}
	}
	pass := ex.pass.Text
	ex.dlg.Hide()
	ex.u.pickSaveFile(k.file, func(path string) { ex.u.writeExport(path, k, data, ids, pass) })
}

// plainText is the export of the keys chosen in sh's form, and their ids;
// its error is said to the user as it is.
func (ex *exporter) plainText(sh shellvar.Shell) ([]byte, []string, error) {
	m := ex.u.main
	var entries []vault.Entry
	if ex.which.Selected == exportShown {
		for _, s := range m.shown {
			if e, ok := ex.u.v.Get(s.ID); ok {
				entries = append(entries, e)
			}
		}
	} else {
		entries = ex.u.v.List()
	}
	vars, ids, _, clash := assignments(entries)
	if clash != nil {
		return nil, nil, errors.New(clashWords(*clash) + ": export only the keys shown after a search, or give the others their own variable in Edit")
	}
	if len(vars) == 0 {
		return nil, nil, errors.New("none of these keys has an environment variable; give one in Edit (Variable)")
	}
	block, err := shellvar.Block(sh, vars)
	if err != nil {
		return nil, nil, err
	}
	return []byte(block), ids, nil
}

// pickSaveFile asks where to save a file named name; done gets its path.
func (u *UI) pickSaveFile(name string, done func(string)) {
	if u.savePicker != nil {
		u.savePicker(name, done)
		return
	}
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			u.showError(err)
			return
		}
		if w == nil {
			return // cancelled
		}
		path := w.URI().Path()
		// The dialog made (or emptied) the file; the export replaces it
		// whole, atomically, with mode 0600.
		if cerr := w.Close(); cerr != nil {
			u.showError(cerr)
			return
		}
		done(path)
	}, u.win)
	d.SetFileName(name)
	d.Resize(fyne.NewSize(700, 500))
	u.show(d)
}

// writeExport writes the export to path and says what it did.
func (u *UI) writeExport(path string, k exportKind, data []byte, ids []string, pass string) {
	m := u.main
	if m == nil {
		return
	}
	file := filepath.Base(path)
	var err error
	if k.shell == "" {
		// The save dialog has made the file, or emptied it after asking
		// whether to replace it: the backup takes its place.
		if info, serr := os.Stat(path); serr == nil && info.Size() == 0 {
			_ = os.Remove(path)
		}
		err = u.v.WriteBackup(path, pass)
	} else {
		err = exportfile.Write(path, data)
	}
	if err != nil {
		msg := "The export could not be written to " + path + "."
		if errors.Is(err, vault.ErrExists) {
			msg = path + " already exists; a backup never replaces a file. Choose another name."
		}
		u.show(u.errorDialog("Could not export", msg, technicalReason(err), widget.NewButton("OK", func() {})))
		return
	}
	if k.shell == "" {
		m.setStatus("Wrote an encrypted backup of " + plural(u.v.Len(), "key") + " to " + file + ".")
		return
	}
	u.recordMany(ids, vault.ActionExported, vault.SourceWindow, "exported ("+string(k.shell)+") to "+file)
	m.setStatus("Exported " + plural(len(ids), "key") + " in plain text to " + file + ". Delete it when it is no longer needed.")
	if exportfile.Unignored(path) {
		u.show(u.errorDialog("Not ignored by git", file+" holds keys in plain text, and it is inside a git repository that does not ignore it. "+
			"Add it to .gitignore before anything is committed.", "", widget.NewButton("OK", func() {})))
	}
}
