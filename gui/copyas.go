package gui

import (
	"errors"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"keyshelf/vault"
	"keyshelf/vault/shellvar"
)

// copyAsMenu is the "Copy as" submenu for the entry with id: one item per
// shell, each copying `export NAME='…'` or the like (see copyAs).
func (m *mainView) copyAsMenu(id string) *fyne.MenuItem {
	item := fyne.NewMenuItem("Copy as", nil)
	var items []*fyne.MenuItem
	for _, sh := range shellvar.Shells() {
		items = append(items, fyne.NewMenuItem(sh.Title(), func() { m.copyAs(id, sh) }))
	}
	item.ChildMenu = fyne.NewMenu("", items...)
	return item
}

// copyShownMenu is the "Copy all shown as" submenu: the keys the list
// shows now (all, or what the search found) as one block.
func (m *mainView) copyShownMenu() *fyne.MenuItem {
	item := fyne.NewMenuItem("Copy all shown as", nil)
	var items []*fyne.MenuItem
	for _, sh := range shellvar.Shells() {
		items = append(items, fyne.NewMenuItem(sh.Title(), func() { m.copyShownAs(sh) }))
	}
	item.ChildMenu = fyne.NewMenu("", items...)
	return item
}

// copyAs copies the entry's key as an assignment to its environment
// variable in sh's form, with the usual clear, and reports whether it did.
// A key without a variable, or one sh cannot carry, is told in a dialog.
func (m *mainView) copyAs(id string, sh shellvar.Shell) bool {
	if !m.u.touch() {
		return false
	}
	e, ok := m.u.v.Get(id)
	if !ok {
		return false
	}
	name := e.Variable()
	if name == "" {
		m.noVariable(e)
		return false
	}
	text, err := shellvar.Assign(sh, name, e.Secret)
	if err != nil {
		m.cannotCopyAs(e.Name, sh, err)
		return false
	}
	m.u.clip.Copy(e.Name+" as "+name, text, m.u.prefs.ClearAfter())
	m.u.record(e.ID, vault.ActionCopied, vault.SourceWindow, "as "+string(sh)+" "+name)
	return true
}

// copyShownAs copies the keys the list shows as one block of assignments.
// Keys without a variable are left out and a variable that two shown keys
// go in is refused, both said in the status line or a dialog.
func (m *mainView) copyShownAs(sh shellvar.Shell) bool {
	ids := make([]string, len(m.shown))
	for i, s := range m.shown {
		ids[i] = s.ID
	}
	return m.copyBlockAs(ids, sh)
}

// copyBlockAs copies the keys with ids, in that order, as one block of
// assignments (see copyShownAs).
func (m *mainView) copyBlockAs(chosen []string, sh shellvar.Shell) bool {
	if !m.u.touch() || len(chosen) == 0 {
		return false
	}
	var entries []vault.Entry
	for _, id := range chosen {
		if e, ok := m.u.v.Get(id); ok {
			entries = append(entries, e)
		}
	}
	vars, ids, skipped, clash := assignments(entries)
	if clash != nil {
		m.u.show(m.u.errorDialog("Keys that share "+clash.Variable,
			clashWords(*clash)+". Choose only one of them, or give the others their own variable in Edit.",
			"", widget.NewButton("OK", func() {})))
		return false
	}
	if len(vars) == 0 {
		m.u.show(m.u.errorDialog("No variables to copy",
			"None of these keys has an environment variable. Give one in Edit (Variable).", "", widget.NewButton("OK", func() {})))
		return false
	}
	text, err := shellvar.Block(sh, vars)
	if err != nil {
		m.cannotCopyAs(strings.SplitN(err.Error(), ":", 2)[0], sh, err)
		return false
	}
	m.u.clip.Copy(plural(len(vars), "key")+" as variables", text, m.u.prefs.ClearAfter())
	m.u.recordMany(ids, vault.ActionCopied, vault.SourceWindow, "as "+string(sh)+", with "+strconv.Itoa(len(ids)-1)+" more")
	if skipped > 0 {
		m.setStatus("Copied " + plural(len(vars), "key") + " as variables; " + plural(skipped, "key") + " without a variable left out.")
	}
	return true
}

// assignments are entries' keys under their variables, in order, with
// their ids and how many had no variable; clash is the first variable that
// several of them go in (then nothing else is set).
func assignments(entries []vault.Entry) (vars []shellvar.Var, ids []string, skipped int, clash *vault.Clash) {
	if cs := vault.Clashes(entries); len(cs) > 0 {
		return nil, nil, 0, &cs[0]
	}
	for _, e := range entries {
		name := e.Variable()
		if name == "" {
			skipped++
			continue
		}
		vars = append(vars, shellvar.Var{Name: name, Value: e.Secret})
		ids = append(ids, e.ID)
	}
	return vars, ids, skipped, nil
}

// clashWords names the keys of a clash: "“a” and “b” both go in X".
func clashWords(c vault.Clash) string {
	q := make([]string, len(c.Names))
	for i, n := range c.Names {
		q[i] = "“" + n + "”"
	}
	both := "both"
	if len(q) > 2 {
		both = "all"
	}
	return strings.Join(q[:len(q)-1], ", ") + " and " + q[len(q)-1] + " " + both + " go in " + c.Variable
}

// noVariable says that e has no environment variable, and offers Edit.
func (m *mainView) noVariable(e vault.Entry) {
	edit := widget.NewButton("Edit…", func() { m.showEditor(&e) })
	edit.Importance = widget.HighImportance
	m.u.show(m.u.errorDialog("No environment variable",
		"“"+e.Name+"” has no environment variable to copy it as. Give it one in Edit, under Variable (for example MY_SERVICE_TOKEN).",
		"", widget.NewButton("Cancel", func() {}), edit))
}

// cannotCopyAs says that what the key holds cannot be written in sh.
func (m *mainView) cannotCopyAs(what string, sh shellvar.Shell, err error) {
	plain := "“" + what + "” cannot be copied as " + sh.Title() + "."
	var qe *shellvar.QuoteError
	if errors.As(err, &qe) {
		plain += " The key " + strings.TrimPrefix(qe.Reason, "it ") + "."
	}
	m.u.show(m.u.errorDialog("Cannot copy in this form", plain, "", widget.NewButton("OK", func() {})))
}
