package gui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"keyshelf/vault"
	"keyshelf/vault/provider"
	"keyshelf/vault/shellvar"
)

// envNameHint is the Variable field's placeholder: the usual variable of
// the provider (by ID) in effect, which an empty field means.
func envNameHint(providerID string) string {
	if p, ok := provider.Get(providerID); ok && p.EnvVar != "" {
		return p.EnvVar + " (" + p.Name + "'s usual one)"
	}
	return "Optional: e.g. MY_SERVICE_TOKEN, for Copy as and keyshelf run"
}

// providerInEffect is the provider ID the key would be saved with: the one
// picked, else the one detected (detectedID), else "".
func (ed *editor) providerInEffect(detectedID string) string {
	if p, ok := ed.selectedProvider(); ok {
		return p.ID
	}
	if ed.detecting() {
		return detectedID
	}
	return provider.Custom
}

// variable is the variable the key would go in: the field's, else the
// provider's usual one.
func (ed *editor) variable(providerID string) string {
	if v := strings.TrimSpace(ed.envName.Text); v != "" {
		return v
	}
	if p, ok := provider.Get(providerID); ok {
		return p.EnvVar
	}
	return ""
}

// checkVariable checks the Variable field, keeps its placeholder on the
// provider in effect, and says which other keys go in the same variable
// (allowed: a key per project; keyshelf run then asks which).
func (ed *editor) checkVariable(detectedID string, problems, hints []string) ([]string, []string) {
	pid := ed.providerInEffect(detectedID)
	if h := envNameHint(pid); ed.envName.PlaceHolder != h {
		ed.envName.SetPlaceHolder(h)
	}
	if _, err := vault.CleanEnvName(ed.envName.Text); err != nil {
		return append(problems, "Variable: use only letters A-Z, digits and _, not starting with a digit."), hints
	}
	name := ed.variable(pid)
	if name == "" {
		return problems, hints
	}
	if others := ed.sharing(name); len(others) > 0 {
		hints = append(hints, "Variable: "+name+" is also the variable of "+quoteNames(others)+
			"; keyshelf run will ask which one to use.")
	}
	return problems, hints
}

// sharing lists the other keys that go in variable, cached while the
// variable stays the same (a vault may hold thousands of keys).
func (ed *editor) sharing(variable string) []string {
	if ed.sharedFor == variable {
		return ed.shared
	}
	ed.shared = ed.shared[:0]
	for _, e := range ed.m.u.v.List() {
		if e.Variable() == variable && (ed.orig == nil || e.ID != ed.orig.ID) {
			ed.shared = append(ed.shared, e.Name)
		}
	}
	ed.sharedFor = variable
	return ed.shared
}

// quoteNames is names in quotes, the first three and how many more.
func quoteNames(names []string) string {
	var q []string
	for i, n := range names {
		if i == 3 {
			q = append(q, plural(len(names)-3, "more"))
			break
		}
		q = append(q, "“"+n+"”")
	}
	return strings.Join(q, ", ")
}

// showCopyAs offers the shells to copy the key, as the fields say, as an
// assignment to its variable.
func (ed *editor) showCopyAs() {
	var items []*fyne.MenuItem
	for _, sh := range shellvar.Shells() {
		items = append(items, fyne.NewMenuItem(sh.Title(), func() { ed.copyAsShell(sh) }))
	}
	c := ed.m.u.app.Driver().CanvasForObject(ed.copyAs)
	if c == nil {
		return
	}
	pos := ed.m.u.app.Driver().AbsolutePositionForObject(ed.copyAs).Add(fyne.NewPos(0, ed.copyAs.Size().Height))
	widget.ShowPopUpMenuAtPosition(fyne.NewMenu("", items...), c, pos)
}

// copyAsShell copies the key in the fields as an assignment in sh's form.
func (ed *editor) copyAsShell(sh shellvar.Shell) {
	if !ed.m.u.touch() {
		return
	}
	secret, _ := vault.CleanSecret(ed.key.Text)
	pid := ed.providerInEffect(ed.detectedNow())
	name := ed.variable(pid)
	label := vault.CleanName(ed.name.Text)
	if label == "" {
		label = "the key"
	}
	switch {
	case secret == "":
		ed.problem.SetText("Paste the key first.")
		ed.relayout()
		return
	case name == "":
		ed.problem.SetText("Variable: give the variable to copy the key as, such as MY_SERVICE_TOKEN.")
		ed.relayout()
		ed.m.u.win.Canvas().Focus(ed.envName)
		return
	}
	text, err := shellvar.Assign(sh, name, secret)
	if err != nil {
		ed.m.cannotCopyAs(label, sh, err)
		return
	}
	ed.m.u.clip.Copy(label+" as "+name, text, ed.m.u.prefs.ClearAfter())
	if ed.orig != nil && secret == ed.orig.Secret {
		ed.m.u.record(ed.orig.ID, vault.ActionCopied, vault.SourceWindow, "as "+string(sh)+" "+name)
	}
}

// detectedNow is the provider ID detected from the fields, as validate
// finds it.
func (ed *editor) detectedNow() string {
	if !ed.detecting() {
		return ""
	}
	if id, ok := provider.DetectKeyID(strings.TrimSpace(ed.keyID.Text)); ok {
		return id
	}
	secret, _ := vault.CleanSecret(ed.key.Text)
	if id, _, ok := provider.Identify(secret); ok {
		return id
	}
	return ""
}
