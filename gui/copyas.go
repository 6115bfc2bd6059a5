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
	var vars []shellvar.Var
	var ids []string
	by := map[string]string{}
	skipped := 0
	for _, id := range chosen {
		e, ok := m.u.v.Get(id)
		if !ok {
			continue
		}
		name := e.Variable()
		if name == "" {
			skipped++
			continue
		}
		if other, dup := by[name]; dup {
			m.u.show(m.u.errorDialog("Two keys go in "+name,
				"“"+other+"” and “"+e.Name+"” both go in "+name+". Choose only one of them, or give one its own variable in Edit.",
				"", widget.NewButton("OK", func() {})))
			return false
		}
		by[name] = e.Name
		vars = append(vars, shellvar.Var{Name: name, Value: e.Secret})
		ids = append(ids, e.ID)
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
	if errors.Is(err, shellvar.ErrCannotQuote) {
		_, why, _ := strings.Cut(err.Error(), "in this form: ")
		if why != "" {
			plain += " The key " + strings.TrimPrefix(why, "it ") + "."
		}
	}
	m.u.show(m.u.errorDialog("Cannot copy in this form", plain, "", widget.NewButton("OK", func() {})))
}
