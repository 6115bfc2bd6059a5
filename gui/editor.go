package gui

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"keyshelf/vault"
	"keyshelf/vault/check"
	"keyshelf/vault/provider"
)

// Provider choices in the editor besides the catalogue's names.
const (
	providerDetect = "Detect from the key"
	providerCustom = provider.CustomName
)

// editor is the add/edit dialog. Its fields validate as the user types; Save
// is enabled only when the draft would be accepted.
type editor struct {
	m    *mainView
	orig *vault.Entry // nil when adding
	dlg  *dialog.CustomDialog

	name     *formEntry
	key      *formEntry
	provider *widget.Select
	// keyID is the public half of a two-part key (a Twilio SID, an AWS
	// access key id): a row of the form only for a two-part provider, or
	// while it holds a value (see wantKeyID).
	keyID    *formEntry
	form     *widget.Form
	items    []*widget.FormItem // every row, the key ID's included
	keyIDRow bool               // whether the form shows the key ID's row
	notes    *formEntry
	tags     *formEntry
	baseURL  *formEntry
	// envName is the environment variable the key goes in; its
	// placeholder names the provider's usual one, used when it is empty.
	envName *formEntry
	copyAs  *widget.Button
	rotate  *widget.Select
	expires *formEntry
	usedBy  *formEntry
	problem *widget.Label
	hint    *widget.Label
	save    *widget.Button
	// toKeyID moves a key ID pasted as the key into the Key ID field.
	toKeyID    *widget.Button
	toKeyIDRow *fyne.Container

	// The custom provider's check, shown only for it.
	customBox                                          *fyne.Container
	customURL, customHeader, customValue, customStatus *formEntry

	test     *widget.Button
	result   *widget.Label      // the outcome of Test
	body     *fyne.Container    // the form over the messages: laid out again as they change
	stopTest context.CancelFunc // ends the Test under way, if any

	// shared caches the other keys of the variable sharedFor (see sharing;
	// it is never asked for "").
	shared    []string
	sharedFor string

	touchedName, touchedKey bool
	opened                  []string // the fields as the dialog opened (see changed)
	asking                  bool     // the "discard changes?" question is on show
}

// showEditor opens the dialog to add a key (orig nil) or edit orig.
func (m *mainView) showEditor(orig *vault.Entry) { m.showEditorWith(orig, "") }

// showEditorWith opens the editor; a new key starts with pasted as its key.
func (m *mainView) showEditorWith(orig *vault.Entry, pasted string) {
	if m.u.modal || !m.u.touch() {
		return
	}
	ed := &editor{m: m, orig: orig}
	ed.name = newFormEntry(ed.escape)
	ed.name.SetPlaceHolder("e.g. OpenAI production")
	ed.key = newFormPasswordEntry(ed.escape)
	ed.key.SetPlaceHolder("Paste the key")
	options := []string{providerDetect}
	for _, p := range provider.All() {
		options = append(options, p.Name)
	}
	options = append(options, providerCustom)
	ed.provider = widget.NewSelect(options, nil)
	ed.provider.SetSelected(providerDetect)
	ed.keyID = newFormEntry(ed.escape)
	ed.keyID.SetPlaceHolder("Public half: AKIA… (AWS), AC… or SK… (Twilio)")
	ed.notes = newFormMultiLineEntry(ed.escape)
	ed.notes.SetMinRowsVisible(3)
	ed.notes.SetPlaceHolder("Where it is used, who owns it…")
	ed.tags = newFormEntry(ed.escape)
	ed.tags.SetPlaceHolder("Comma-separated, e.g. prod, billing")
	ed.baseURL = newFormEntry(ed.escape)
	ed.baseURL.SetPlaceHolder("Optional: a gateway or self-hosted server (https://…)")
	ed.envName = newFormEntry(ed.escape)
	ed.envName.SetPlaceHolder(envNameHint(""))
	ed.customURL = newFormEntry(ed.escape)
	ed.customURL.SetPlaceHolder("https://api.example.com/v1/me")
	ed.customHeader = newFormEntry(ed.escape)
	ed.customHeader.SetPlaceHolder("Authorization")
	ed.customValue = newFormEntry(ed.escape)
	ed.customValue.SetPlaceHolder("Bearer {key}")
	ed.customStatus = newFormEntry(ed.escape)
	ed.customStatus.SetPlaceHolder("200")
	ed.rotate = widget.NewSelect(rotationChoices(m.defaultDays, orig), nil)
	ed.rotate.SetSelected(rotationChoice(m.defaultDays, 0))
	ed.expires = newFormEntry(ed.escape)
	ed.expires.SetPlaceHolder("Optional: YYYY-MM-DD")
	ed.usedBy = newFormEntry(ed.escape)
	ed.usedBy.SetPlaceHolder("Where it is deployed, comma-separated: CI, prod server")
	ed.result = widget.NewLabel("")
	ed.result.Wrapping = fyne.TextWrapWord
	ed.result.Hide()
	ed.problem = widget.NewLabel("")
	ed.problem.Importance = widget.DangerImportance
	ed.problem.Wrapping = fyne.TextWrapWord
	ed.hint = widget.NewLabel("")
	ed.hint.Importance = widget.LowImportance
	ed.hint.Wrapping = fyne.TextWrapWord

	title := "Add key"
	if orig != nil {
		title = "Edit " + orig.Name
		ed.name.SetText(orig.Name)
		ed.key.SetText(orig.Secret)
		ed.keyID.SetText(orig.KeyID)
		ed.fitNotes(orig.Notes) // before the text: wrapping a long line is the slow part
		ed.notes.SetText(orig.Notes)
		ed.tags.SetText(strings.Join(orig.Tags, ", "))
		if orig.Provider == provider.Custom {
			ed.provider.SetSelected(providerCustom)
		} else if p, ok := provider.Get(orig.Provider); ok {
			ed.provider.SetSelected(p.Name)
		}
		ed.baseURL.SetText(orig.BaseURL)
		ed.envName.SetText(orig.EnvName)
		ed.rotate.SetSelected(rotationChoice(m.defaultDays, orig.RotationDays))
		if orig.Expires != nil {
			ed.expires.SetText(orig.Expires.In(loc).Format(dateLayout))
		}
		ed.usedBy.SetText(strings.Join(orig.UsedBy, ", "))
		if c := orig.Custom; c != nil {
			ed.customURL.SetText(c.URL)
			ed.customHeader.SetText(c.Header)
			ed.customValue.SetText(c.Value)
			ed.customStatus.SetText(strconv.Itoa(c.ValidStatus))
		}
	}
	if pasted != "" {
		ed.key.SetText(pasted)
	}
	ed.opened = ed.fields() // a pasted key is no edit: it is still on the clipboard
	ed.name.OnChanged = func(string) { ed.touchedName = true; ed.validate() }
	ed.key.OnChanged = func(string) { ed.touchedKey = true; ed.validate() }
	ed.notes.OnChanged = func(s string) {
		if m.u.touch() {
			ed.fitNotes(s)
			ed.validate()
		}
	}
	ed.notes.onPaste = ed.notesPaste
	ed.tags.OnChanged = func(string) { m.u.touch() }
	ed.rotate.OnChanged = func(string) { m.u.touch() }
	for _, f := range []*formEntry{ed.keyID, ed.baseURL, ed.envName, ed.expires, ed.usedBy, ed.customURL, ed.customHeader, ed.customValue, ed.customStatus} {
		f.OnChanged = func(string) { ed.validate() }
	}
	ed.name.OnSubmitted = func(string) { m.u.win.Canvas().Focus(ed.key) }
	ed.key.OnSubmitted = func(string) { ed.submit() }
	ed.tags.OnSubmitted = func(string) { ed.submit() }

	ed.save = widget.NewButtonWithIcon("Save", theme.DocumentSaveIcon(), ed.submit)
	ed.save.Importance = widget.HighImportance
	cancel := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), ed.close)
	ed.test = widget.NewButtonWithIcon("Test", theme.MediaPlayIcon(), ed.runTest)
	ed.copyAs = widget.NewButtonWithIcon("Copy as…", theme.ContentCopyIcon(), ed.showCopyAs)
	ed.provider.OnChanged = func(string) { ed.validate() }

	var notesRow fyne.CanvasObject = ed.notes
	if ed.notes.Wrapping == fyne.TextWrapOff {
		notesRow = ed.longNotes() // shown wrapped, in a preview, until the user edits them
	}
	ed.items = []*widget.FormItem{
		widget.NewFormItem("Name", ed.name),
		widget.NewFormItem("Key", ed.key),
		widget.NewFormItem("Provider", ed.provider),
		widget.NewFormItem("Key ID", ed.keyID),
		widget.NewFormItem("Address", ed.baseURL),
		widget.NewFormItem("Variable", container.NewBorder(nil, nil, nil, ed.copyAs, ed.envName)),
		widget.NewFormItem("Notes", notesRow),
		widget.NewFormItem("Tags", ed.tags),
		widget.NewFormItem("Rotate every", ed.rotate),
		widget.NewFormItem("Expires", ed.expires),
		widget.NewFormItem("Used by", ed.usedBy),
	}
	ed.keyIDRow = ed.wantKeyID()
	ed.form = widget.NewForm(ed.rows()...)
	form := ed.form
	ed.customBox = container.NewVBox(
		widget.NewLabelWithStyle("How to check a Custom key (optional)", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		widget.NewForm(
			widget.NewFormItem("Check URL", ed.customURL),
			widget.NewFormItem("Header", ed.customHeader),
			widget.NewFormItem("Value", ed.customValue),
			widget.NewFormItem("Valid status", ed.customStatus),
		))
	content := container.NewVBox(form, ed.customBox)
	// The form scrolls when the window is too small to show all of it; the
	// messages sit in a fixed area under it, above the buttons, so that a
	// problem or a Test result is always in sight. The dialog keeps its
	// size and the form's visible part shrinks as messages grow.
	// Room on the right for the scroll bar, so that it covers no field.
	scroll := container.NewVScroll(container.NewBorder(nil, nil, nil, spacer(theme.ScrollBarSize()), content))
	scroll.SetMinSize(fyne.NewSize(520, min(content.MinSize().Height, 200)))
	ed.toKeyID = widget.NewButtonWithIcon("Move it to Key ID", theme.NavigateNextIcon(), ed.moveToKeyID)
	ed.toKeyIDRow = container.NewHBox(ed.toKeyID)
	ed.toKeyIDRow.Hide()
	messages := container.NewVBox(ed.problem, ed.hint, ed.toKeyIDRow, ed.result)
	body := container.NewBorder(nil, messages, nil, nil, scroll)
	ed.body = body
	ed.dlg = dialog.NewCustomWithoutButtons(title, body, m.u.win)
	ed.dlg.SetButtons([]fyne.CanvasObject{cancel, ed.test, ed.save})
	ed.dlg.SetOnClosed(func() {
		ed.cancelTest()
		m.u.modal, m.u.editor = false, nil
		if m.u.dlg == ed.dlg {
			m.u.dlg = nil
		}
		m.focus()
	})
	ed.dlg.Resize(fyne.NewSize(580, min(content.MinSize().Height, 440)+110))
	ed.validate()
	m.u.modal = true
	m.u.editor = ed
	ed.dlg.Show()
	m.u.dlg = ed.dlg
	m.u.win.Canvas().Focus(ed.name)
}

// draft is what the fields say. Editing starts from the entry's own draft,
// so that nothing the dialog does not show is lost.
func (ed *editor) draft() vault.Draft {
	var d vault.Draft
	if ed.orig != nil {
		d = ed.orig.Draft()
	}
	d.Name, d.Secret, d.Notes, d.Tags = ed.name.Text, ed.key.Text, ed.notes.Text, strings.Split(ed.tags.Text, ",")
	d.KeyID = ed.keyID.Text
	d.BaseURL = ed.baseURL.Text
	d.EnvName = ed.envName.Text
	d.RotationDays = rotationDays(ed.rotate.Selected)
	d.Expires = nil
	if t, err := parseDate(ed.expires.Text); err == nil && !t.IsZero() {
		d.Expires = &t
	}
	d.UsedBy = strings.Split(ed.usedBy.Text, ",")
	d.Provider = ""
	switch sel := ed.provider.Selected; sel {
	case "", ed.provider.Options[0]: // detection, whatever it found
	case providerCustom:
		d.Provider = provider.Custom
	default:
		for _, p := range provider.All() {
			if p.Name == sel {
				d.Provider = p.ID
			}
		}
	}
	d.Custom = nil
	if d.Provider == provider.Custom && ed.customGiven() {
		status, _ := strconv.Atoi(strings.TrimSpace(ed.customStatus.Text))
		d.Custom = &check.Custom{URL: ed.customURL.Text, Header: ed.customHeader.Text, Value: ed.customValue.Text, ValidStatus: status}
	}
	return d
}

// rebase puts into d, for each field the user did not touch, the value that
// cur (the entry as it is now) has: another device's change that came in
// while the dialog was open stays, and only what was typed here replaces
// it. It returns d as it is when nothing changed meanwhile.
func (ed *editor) rebase(d vault.Draft, cur vault.Entry) vault.Draft {
	if cur.ChangedAt().Equal(ed.orig.ChangedAt()) && cur.Secret == ed.orig.Secret {
		return d
	}
	now, was, theirs := ed.fields(), ed.opened, cur.Draft()
	same := func(i ...int) bool {
		for _, j := range i {
			if now[j] != was[j] {
				return false
			}
		}
		return true
	}
	if same(fProvider) {
		d.Provider = theirs.Provider
	}
	if same(fRotate) {
		d.RotationDays = theirs.RotationDays
	}
	if same(fName) {
		d.Name = theirs.Name
	}
	if same(fKey) {
		d.Secret = theirs.Secret
	}
	if same(fKeyID) {
		d.KeyID = theirs.KeyID
	}
	if same(fNotes) {
		d.Notes = theirs.Notes
	}
	if same(fTags) {
		d.Tags = theirs.Tags
	}
	if same(fBaseURL) {
		d.BaseURL = theirs.BaseURL
	}
	if same(fEnvName) {
		d.EnvName = theirs.EnvName
	}
	if same(fExpires) {
		d.Expires = theirs.Expires
	}
	if same(fUsedBy) {
		d.UsedBy = theirs.UsedBy
	}
	if same(fProvider, fCustomURL, fCustomHeader, fCustomValue, fCustomStatus) {
		d.Custom = theirs.Custom
	}
	return d
}

// keyIDIndex is the key ID's row in editor.items.
const keyIDIndex = 3

// rows are the form's rows: every item, the key ID's only when shown.
func (ed *editor) rows() []*widget.FormItem {
	if ed.keyIDRow {
		return slices.Clone(ed.items)
	}
	return slices.Delete(slices.Clone(ed.items), keyIDIndex, keyIDIndex+1)
}

// keyIDWords names a provider's key ID: "an AWS access key ID", "a Twilio
// SID".
func keyIDWords(id string) string {
	switch id {
	case "aws":
		return "an AWS access key ID"
	case "twilio":
		return "a Twilio SID"
	}
	return "a " + provider.Name(id) + " key ID"
}

// moveToKeyID puts a key ID pasted as the key where it belongs, and the
// cursor where the secret goes.
func (ed *editor) moveToKeyID() {
	id := strings.TrimSpace(ed.key.Text)
	ed.showKeyID(true)
	ed.keyID.SetText(id)
	ed.key.SetText("")
	ed.m.u.win.Canvas().Focus(ed.key)
}

// detecting reports whether the provider is left to detection.
func (ed *editor) detecting() bool { return ed.provider.Selected == ed.provider.Options[0] }

// showDetected names the detected provider in the Provider box's first
// choice, "Detect from the key (OpenAI)", so that the box shows what the
// key will be saved as. It sets the choice without calling OnChanged.
func (ed *editor) showDetected(name string) {
	want := providerDetect
	if name != "" {
		want += " (" + name + ")"
	}
	if ed.provider.Options[0] == want {
		return
	}
	was := ed.detecting()
	ed.provider.Options[0] = want
	if was {
		ed.provider.Selected = want
	}
	ed.provider.Refresh()
}

// selectedProvider is the provider the user picked, nil for detection or
// Custom.
func (ed *editor) selectedProvider() (provider.Provider, bool) {
	for _, p := range provider.All() {
		if p.Name == ed.provider.Selected {
			return p, true
		}
	}
	return provider.Provider{}, false
}

// wantKeyID reports whether the key ID's row belongs in the form: for a
// two-part provider, or while it holds a value.
func (ed *editor) wantKeyID() bool {
	p, ok := ed.selectedProvider()
	return ok && p.TwoPart() || strings.TrimSpace(ed.keyID.Text) != ""
}

// showKeyID adds or removes the key ID's row. A Form only appends rows, so
// the rows from the key ID's on are dropped and added back in order.
func (ed *editor) showKeyID(show bool) {
	if show == ed.keyIDRow || ed.form == nil {
		return
	}
	ed.keyIDRow = show
	ed.form.Items = ed.items[:keyIDIndex]
	ed.form.Refresh()
	ed.form.Items = ed.rows()
	ed.form.Refresh()
}

// unusualNote is what the hint adds after the provider's name for a key
// that does not look like that provider's keys.
func unusualNote(unusual bool, id string) string {
	if !unusual {
		return ""
	}
	return ": the key looks unusual for " + provider.Name(id) + "; check that you copied all of it"
}

func (ed *editor) customGiven() bool {
	for _, f := range []*formEntry{ed.customURL, ed.customHeader, ed.customValue, ed.customStatus} {
		if strings.TrimSpace(f.Text) != "" {
			return true
		}
	}
	return false
}

// target is what Test checks: the draft, its provider detected when the
// user left it to detection.
func (ed *editor) target() check.Target {
	d := ed.draft()
	secret, _ := vault.CleanSecret(d.Secret)
	keyID := strings.TrimSpace(d.KeyID)
	prov := d.Provider
	if prov == "" {
		prov = provider.Custom
		if id, ok := provider.DetectKeyID(keyID); ok {
			prov = id
		} else if id, _, ok := provider.Identify(secret); ok {
			prov = id
		}
	}
	base, _ := check.ValidateBaseURL(d.BaseURL)
	var custom *check.Custom
	if d.Custom != nil {
		if c, err := d.Custom.Validate(); err == nil {
			custom = &c
		}
	}
	return check.Target{Provider: prov, Secret: secret, KeyID: keyID, BaseURL: base, Custom: custom}
}

// runTest checks the key as typed, off the UI goroutine, and shows the
// outcome in the dialog. Nothing is recorded, not even for a saved key:
// the check is of the fields, which the user may not save. Closing the
// dialog cancels the check, and a result that comes anyway is dropped.
func (ed *editor) runTest() {
	if !ed.m.u.touch() {
		return
	}
	t := ed.target()
	if t.Secret == "" {
		return
	}
	ed.cancelTest()
	ed.test.Disable()
	ed.result.Importance = widget.LowImportance
	ed.result.SetText("Testing…")
	ed.result.Show()
	ed.relayout()
	ctx, cancel := ed.m.track()
	ed.stopTest = cancel
	ed.m.u.cfg.Go(func() {
		r := ed.m.u.checker.Check(ctx, t)
		fyne.Do(func() {
			cancelled := ctx.Err() != nil // closed, or locked, meanwhile
			cancel()
			if cancelled || ed.m.u.editor != ed {
				return
			}
			ed.stopTest = nil
			ed.test.Enable()
			ed.result.Importance = outcomeImportance(r.Outcome)
			ed.result.SetText(describe("Test", r))
			ed.relayout()
		})
	})
}

// cancelTest stops the Test under way, if any.
func (ed *editor) cancelTest() {
	if ed.stopTest != nil {
		ed.stopTest()
		ed.stopTest = nil
	}
}

// validate checks the fields and says what is wrong, in the dialog, before
// anything is saved. It reports whether Save may go ahead.
func (ed *editor) validate() bool {
	if !ed.m.u.touch() {
		return false
	}
	name := vault.CleanName(ed.name.Text)
	secret, trimmed := vault.CleanSecret(ed.key.Text)
	keyID := strings.TrimSpace(ed.keyID.Text)
	var problems, hints []string
	detected := "" // the provider detected from the key, for the Provider box
	detectedID := ""
	switch {
	case name == "":
		if ed.touchedName {
			problems = append(problems, "Give the key a name.")
		}
	case strings.ContainsAny(name, "\n\r\t"):
		problems = append(problems, "The name cannot hold line breaks or tabs.")
	case len([]rune(name)) > vault.MaxNameLen:
		problems = append(problems, "The name is too long.")
	default:
		if other, ok := ed.m.u.v.Find(name); ok && (ed.orig == nil || other.ID != ed.orig.ID) {
			problems = append(problems, "You already have a key named \""+other.Name+"\".")
		}
	}
	idInKey := ""
	if id, ok := provider.DetectKeyID(secret); ok && keyID == "" {
		idInKey = id
	}
	if secret == "" {
		if ed.touchedKey {
			problems = append(problems, "Paste the key.")
		}
	} else if idInKey != "" {
		// The public half, pasted where the secret goes.
		problems = append(problems, "That is "+keyIDWords(idInKey)+", the public half of the key, not the secret: "+
			"move it to Key ID and paste the secret here.")
	} else {
		if trimmed {
			hints = append(hints, "Spaces and line breaks around the key will be removed.")
		}
		if strings.ContainsAny(secret, " \t\r\n") {
			hints = append(hints, "The key has spaces or line breaks inside it; check that you pasted the whole key and nothing else.")
		}
		if ed.detecting() {
			if id, ok := provider.DetectKeyID(keyID); ok {
				detected, detectedID = provider.Name(id), id
				hints = append(hints, "Detected from the key ID: "+provider.Name(id)+".")
			} else if id, unusual, ok := provider.Identify(secret); ok {
				detected, detectedID = provider.Name(id), id
				hints = append(hints, "Detected: "+provider.Name(id)+unusualNote(unusual, id)+".")
			} else if ids := provider.DetectAll(secret); len(ids) > 0 {
				names := make([]string, len(ids))
				for i, id := range ids {
					names[i] = provider.Name(id)
				}
				problems = append(problems, "A key of this shape could be from "+strings.Join(names, " or ")+
					": pick its provider (or Custom).")
			} else {
				hints = append(hints, "Provider not recognised from the key; it will be saved as Custom, or pick one.")
			}
		} else if p, ok := ed.selectedProvider(); ok && provider.Unusual(p.ID, secret) {
			hints = append(hints, p.Name+unusualNote(true, p.ID)+".")
		}
	}
	switch {
	case strings.ContainsFunc(keyID, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }):
		problems = append(problems, "Key ID: it cannot hold spaces or line breaks.")
	case utf8.RuneCountInString(keyID) > vault.MaxKeyIDLen:
		problems = append(problems, "Key ID: it is too long.")
	case keyID == "":
		if p, ok := ed.selectedProvider(); ok && p.TwoPart() {
			hints = append(hints, p.Name+" keys come in two parts: give the key ID too, or Test cannot check the key.")
		}
	}
	// The row stays while the user is in it, so it never goes from under
	// the cursor.
	ed.showKeyID(ed.wantKeyID() || ed.keyIDRow && ed.m.u.win.Canvas().Focused() == ed.keyID)
	if t, err := parseDate(ed.expires.Text); err != nil {
		problems = append(problems, "Expires: write the date as YYYY-MM-DD, e.g. 2027-03-31.")
	} else if !t.IsZero() && vault.CheckDate(t) != nil {
		problems = append(problems, "Expires: give a date from 1970 to 9999.")
	}
	problems, hints = ed.checkVariable(detectedID, problems, hints)
	if _, err := check.ValidateBaseURL(ed.baseURL.Text); err != nil {
		problems = append(problems, "Address: "+capitalize(err.Error())+".")
	}
	ed.showDetected(detected)
	if ed.toKeyIDRow != nil && (idInKey != "") != ed.toKeyIDRow.Visible() {
		if idInKey != "" {
			ed.toKeyIDRow.Show()
		} else {
			ed.toKeyIDRow.Hide()
		}
		ed.relayout()
	}
	custom := ed.provider.Selected == providerCustom
	if custom && ed.customGiven() {
		d := ed.draft()
		if _, err := d.Custom.Validate(); err != nil {
			problems = append(problems, "Check: "+capitalize(err.Error())+".")
		}
	}
	if custom {
		ed.customBox.Show()
	} else {
		ed.customBox.Hide()
	}
	if secret == "" {
		ed.test.Disable()
	} else {
		ed.test.Enable()
	}
	if err := vault.CheckNotes(ed.notes.Text); err != nil {
		problems = append(problems, "Notes: they are "+strconv.Itoa((len(strings.TrimSpace(ed.notes.Text))+1023)>>10)+
			" KiB; the limit is 64 KiB. Keep long text in a file and note here where it is.")
	}
	if ed.notes.Wrapping == fyne.TextWrapOff {
		hints = append(hints, "Notes: a line is very long, so while you edit them the notes scroll sideways.")
	}
	if ed.m.u.v.ReadOnly() {
		problems = append(problems, readOnlyMessage(vault.ErrReadOnly, ed.m.u.v))
	}
	ok := len(problems) == 0 && name != "" && secret != ""
	if !ok && len(problems) == 0 {
		// A greyed Save always says why.
		var missing []string
		if name == "" {
			missing = append(missing, "a name")
		}
		if secret == "" {
			missing = append(missing, "the key")
		}
		hints = append([]string{"To save, give " + strings.Join(missing, " and ") + "."}, hints...)
	}
	// Laid out again only when a message changed: a layout of the form
	// re-wraps the notes, the dearest part of a keystroke.
	p, h := setMessage(ed.problem, strings.Join(problems, "\n")), setMessage(ed.hint, strings.Join(hints, "\n"))
	if p || h {
		ed.relayout()
	}
	if ok {
		ed.save.Enable()
	} else {
		ed.save.Disable()
	}
	return ok
}

// fitNotes wraps the notes field unless text has a line too long to wrap
// quickly.
func (ed *editor) fitNotes(text string) {
	want := fyne.TextWrapWord
	if longestLine(text) > notesWrapLimit {
		want = fyne.TextWrapOff
	}
	if ed.notes.Wrapping != want {
		ed.notes.Wrapping = want
		ed.notes.Refresh()
	}
}

// notesPaste refuses a paste that would take the notes over the limit, and
// unwraps the field before a paste with a long line goes in.
func (ed *editor) notesPaste(pasted string) bool {
	if n := len(ed.notes.Text) + len(pasted); n > vault.MaxNotesLen {
		setMessage(ed.problem, "Notes: that paste would make them "+strconv.Itoa((n+1023)>>10)+
			" KiB; the limit is 64 KiB. Keep long text in a file and note here where it is.")
		ed.relayout()
		return false
	}
	ed.fitNotes(ed.notes.Text + pasted)
	return true
}

// setMessage shows text in l, hiding l when there is none, and reports
// whether anything changed.
func setMessage(l *widget.Label, text string) bool {
	if l.Text == text && l.Visible() == (text != "") {
		return false
	}
	l.SetText(text)
	if text == "" {
		l.Hide()
	} else {
		l.Show()
	}
	return true
}

// relayout gives the messages under the form the room they now need.
func (ed *editor) relayout() {
	if ed.body != nil {
		ed.body.Refresh()
	}
}

// submit saves the draft. A failed save keeps the dialog open and offers to
// retry; nothing typed is lost.
func (ed *editor) submit() {
	ed.touchedName, ed.touchedKey = true, true
	if !ed.validate() {
		return
	}
	v := ed.m.u.v
	var r vault.Result
	var err error
	recreated := false
	if ed.orig == nil {
		r, err = v.Add(ed.draft())
	} else {
		d := ed.draft()
		if cur, ok := v.Get(ed.orig.ID); ok {
			d = ed.rebase(d, cur)
		}
		r, err = v.Update(ed.orig.ID, d)
		if errors.Is(err, vault.ErrNotFound) {
			// Deleted while the dialog was open (on another device, synced
			// in): what was typed is kept, as a new key.
			r, err = v.Add(ed.draft())
			recreated = err == nil
		}
	}
	if err != nil {
		if errors.Is(err, vault.ErrSave) {
			ed.m.u.saveFailed(err, ed.submit)
			return
		}
		setMessage(ed.problem, ed.m.u.userMessage(err))
		ed.relayout()
		return
	}
	ed.close()
	ed.m.search.SetText("")
	ed.m.reload(r.Entry.ID)
	msg := "Saved \"" + r.Entry.Name + "\""
	if recreated {
		msg += " as a new key: it was deleted on another device meanwhile"
	}
	if r.SecretTrimmed {
		msg += " (spaces around the key were removed)"
	}
	ed.m.setStatus(msg)
	ed.m.u.refreshTray()
}

// fields are the texts and choices of every field, to tell whether the
// user changed anything.
func (ed *editor) fields() []string {
	prov := ed.provider.Selected
	if ed.detecting() {
		prov = providerDetect // whatever it detected: that follows the key
	}
	out := make([]string, numFields)
	out[fProvider], out[fRotate] = prov, ed.rotate.Selected
	for i, f := range []*formEntry{fName: ed.name, fKey: ed.key, fKeyID: ed.keyID, fNotes: ed.notes, fTags: ed.tags, fBaseURL: ed.baseURL,
		fEnvName: ed.envName, fExpires: ed.expires, fUsedBy: ed.usedBy, fCustomURL: ed.customURL, fCustomHeader: ed.customHeader,
		fCustomValue: ed.customValue, fCustomStatus: ed.customStatus} {
		if f != nil {
			out[i] = f.Text
		}
	}
	return out
}

// The places in editor.fields.
const (
	fProvider = iota
	fRotate
	fName
	fKey
	fKeyID
	fNotes
	fTags
	fBaseURL
	fEnvName
	fExpires
	fUsedBy
	fCustomURL
	fCustomHeader
	fCustomValue
	fCustomStatus
	numFields
)

// changed reports whether any field differs from what the dialog opened
// with (a pasted key counts as a change).
func (ed *editor) changed() bool { return !slices.Equal(ed.fields(), ed.opened) }

// escape closes the dialog, asking first when that would throw away edits.
func (ed *editor) escape() {
	if ed.asking {
		return
	}
	if !ed.changed() {
		ed.close()
		return
	}
	ed.asking = true
	what := "the new key"
	if ed.orig != nil {
		what = "\"" + ed.orig.Name + "\""
	}
	d := dialog.NewConfirm("Discard your changes?", "Your changes to "+what+" are not saved.", func(discard bool) {
		ed.asking = false
		if ed.m.u.editor != ed {
			return
		}
		ed.m.u.dlg = ed.dlg
		if discard {
			ed.close()
		}
	}, ed.m.u.win)
	d.SetConfirmText("Discard")
	d.SetDismissText("Keep editing")
	d.SetConfirmImportance(widget.DangerImportance)
	ed.m.u.dlg = d // Escape again keeps editing
	d.Show()
}

func (ed *editor) close() {
	ed.m.u.editor = nil
	ed.dlg.Hide()
}

// editSelected opens the editor on the selected key, or the first match.
func (m *mainView) editSelected() {
	if e, ok := m.current(); ok {
		m.showEditor(&e)
	}
}

// confirmDelete asks before deleting e; the deletion can be undone until
// the vault is locked.
func (m *mainView) confirmDelete(e vault.Entry) {
	if m.u.modal || !m.u.touch() {
		return
	}
	m.u.modal = true
	d := dialog.NewConfirm("Delete "+e.Name+"?",
		"\""+e.Name+"\" will be removed from the vault.\nYou can undo this until Keyshelf locks.",
		func(yes bool) {
			m.u.modal = false
			if yes {
				m.deleteEntry(e.ID)
			}
			m.focus()
		}, m.u.win)
	d.SetConfirmText("Delete")
	d.SetDismissText("Cancel")
	d.SetConfirmImportance(widget.DangerImportance)
	m.u.show(d)
}

func (m *mainView) deleteEntry(id string) {
	removed, err := m.u.v.Delete(id)
	if err != nil {
		if errors.Is(err, vault.ErrSave) {
			m.u.saveFailed(err, func() { m.deleteEntry(id) })
		} else {
			m.u.showError(err)
		}
		return
	}
	if m.reveal.showing(id) {
		m.reveal.hide()
	}
	m.undo = append(m.undo, removed)
	m.undoBtn.Show()
	m.reload("")
	m.setStatus("Deleted \"" + removed.Name + "\"")
	m.u.refreshTray()
}

// undoDelete puts back the most recently deleted key.
func (m *mainView) undoDelete() {
	if len(m.undo) == 0 {
		return
	}
	e := m.undo[len(m.undo)-1]
	if err := m.u.v.Restore(e); err != nil {
		if errors.Is(err, vault.ErrSave) {
			m.u.saveFailed(err, m.undoDelete)
		} else {
			m.u.showError(err)
		}
		return
	}
	m.undo[len(m.undo)-1] = vault.Entry{}
	m.undo = m.undo[:len(m.undo)-1]
	if len(m.undo) == 0 {
		m.undoBtn.Hide()
	}
	m.reload(e.ID)
	m.focus()
	m.setStatus("Restored \"" + e.Name + "\"")
	m.u.refreshTray()
}

const dateLayout = "2006-01-02"

// parseDate reads an optional YYYY-MM-DD date: the key stops working at the
// start of that day, in the user's time zone. Empty gives the zero time.
func parseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	return time.ParseInLocation(dateLayout, s, loc)
}

var rotationPresets = []int{30, 60, 90, 180, 365}

// rotationChoice names an entry's interval: 0 the vault default, < 0 never.
func rotationChoice(defaultDays, days int) string {
	switch {
	case days == 0:
		return "Default (" + plural(defaultDays, "day") + ")"
	case days < 0:
		return "Never"
	}
	return plural(days, "day")
}

// rotationChoices lists the intervals to pick from, including orig's own.
func rotationChoices(defaultDays int, orig *vault.Entry) []string {
	out := []string{rotationChoice(defaultDays, 0)}
	for _, d := range rotationPresets {
		out = append(out, rotationChoice(defaultDays, d))
	}
	if orig != nil && orig.RotationDays > 0 && !slices.Contains(rotationPresets, orig.RotationDays) {
		out = append(out, rotationChoice(defaultDays, orig.RotationDays))
	}
	return append(out, rotationChoice(defaultDays, -1))
}

// rotationDays reads a choice back: 0 default, -1 never, else days.
func rotationDays(choice string) int {
	switch {
	case choice == "Never":
		return -1
	case strings.HasPrefix(choice, "Default"), choice == "":
		return 0
	}
	n, _ := strconv.Atoi(strings.Fields(choice)[0])
	return n
}
