package gui

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"keyshelf/vault"
	"keyshelf/vault/provider"
)

// mainView is the unlocked window: search, the list of keys, the reveal bar
// and the status bar.
type mainView struct {
	u       *UI
	content fyne.CanvasObject
	search  *searchEntry
	list    *widget.List
	empty   *widget.Label
	status  *widget.Label
	count   *widget.Label
	undoBtn *widget.Button
	reveal  *revealBar
	choose  *chooseBar     // several keys chosen for one Copy as
	show    *widget.Select // filter: all, needs attention, starred, a provider, a tag
	sort    *widget.Select
	panel   *attentionPanel
	headers *columnHeaders

	query    string
	shown    []vault.Entry // the filtered entries, in list order
	selected int           // index into shown, or -1

	// undo holds deleted entries, newest last, until the vault is locked.
	undo []vault.Entry

	defaultDays int // the vault's rotation interval

	testing   map[string]bool // entries whose check is running
	cancels   map[int]context.CancelFunc
	nextCheck int

	// takeWarning is the vault's TakeSaveWarning; statusNote is the
	// status bar's note about it, kept while a countdown ticks.
	takeWarning func() error
	statusNote  string
}

func newMainView(u *UI) *mainView {
	m := &mainView{u: u, selected: -1, testing: map[string]bool{}, cancels: map[int]context.CancelFunc{}}
	m.takeWarning = u.v.TakeSaveWarning
	m.search = newSearchEntry(m)
	m.search.SetPlaceHolder("Search keys…   (type, then Enter to copy)")
	m.status = widget.NewLabel("")
	m.status.Truncation = fyne.TextTruncateEllipsis
	m.count = widget.NewLabel("")
	m.empty = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{})
	m.empty.Importance = widget.LowImportance
	m.undoBtn = widget.NewButtonWithIcon("Undo", theme.ContentUndoIcon(), u.act(m.undoDelete))
	m.undoBtn.Hide()
	m.reveal = newRevealBar(m)
	m.choose = newChooseBar(m)
	m.show = widget.NewSelect([]string{showAll}, nil)
	m.show.SetSelected(showAll)
	m.show.OnChanged = func(string) { m.viewChanged() }
	m.sort = widget.NewSelect([]string{sortName, sortAttention, sortProvider, sortOldest, sortCheck}, nil)
	m.sort.SetSelected(sortName)
	m.sort.OnChanged = func(string) { m.viewChanged() }
	m.panel = newAttentionPanel(m)

	m.list = widget.NewList(
		func() int { return len(m.shown) },
		func() fyne.CanvasObject { return newKeyRow(m) },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(m.shown) {
				e := &m.shown[i]
				o.(*keyRow).bind(e, m.reveal.showing(e.ID), m.testing[e.ID])
			}
		},
	)
	m.list.OnSelected = func(i widget.ListItemID) {
		m.selected = i
		if !u.touch() {
			return
		}
		if !u.modal {
			m.focus() // a clicked row: Enter copies it, typing searches on
		}
	}
	m.list.OnUnselected = func(i widget.ListItemID) {
		if m.selected == i {
			m.selected = -1
		}
	}

	add := widget.NewButtonWithIcon("Add", theme.ContentAddIcon(), u.act(func() { m.showEditor(nil) }))
	testAll := widget.NewButtonWithIcon("Test all", theme.MediaPlayIcon(), u.act(m.testAll))
	lock := widget.NewButtonWithIcon("Lock", theme.LogoutIcon(), u.act(u.Lock))
	searchRow := container.NewBorder(nil, nil, nil, container.NewHBox(add, testAll, lock), m.search)
	viewRow := container.NewHBox(small("Show"), m.show, small("Sort"), fitChoices(m.sort))
	m.headers = newColumnHeaders(m)
	top := container.NewVBox(searchRow, viewRow, m.panel.content, m.headers.content)
	bottom := container.NewVBox(
		m.reveal.content,
		m.choose.content,
		container.NewBorder(nil, nil, nil, container.NewHBox(m.undoBtn, m.count), m.status),
	)
	m.content = container.NewBorder(top, bottom, nil, nil, container.NewStack(m.list, container.NewCenter(m.empty)))
	m.refreshChoices()
	m.filter("")
	m.panel.update()
	m.tickAges()
	return m
}

// refreshChoices offers the providers and tags now in the vault as filters.
func (m *mainView) refreshChoices() {
	m.show.SetOptions(m.showChoices())
	if !slices.Contains(m.show.Options, m.show.Selected) {
		m.show.SetSelected(showAll)
	}
}

// tickAges refreshes the list every minute so that ages and "checked 3 d
// ago" stay true while the window sits open. It stops once the view is
// gone (locked).
func (m *mainView) tickAges() {
	m.u.cfg.Clock.AfterFunc(time.Minute, func() {
		fyne.Do(func() {
			if m.u.main == m {
				m.list.Refresh()
				m.panel.update()
				m.u.notifyAttention()
				m.tickAges()
			}
		})
	})
}

func (m *mainView) focus() { m.u.win.Canvas().Focus(m.search) }

// fitChoices gives s the width of its longest choice, so that the choice
// shown is never cut off.
func fitChoices(s *widget.Select) fyne.CanvasObject {
	probe := widget.NewSelect(s.Options, nil)
	size := s.MinSize()
	for _, o := range s.Options {
		probe.SetSelected(o)
		size = size.Max(probe.MinSize())
	}
	return container.NewGridWrap(size, s)
}

// viewChanged applies a new Show or Sort choice. The selected key stays
// selected if it is still shown, so that Enter and the shortcuts act on the
// key the search picked, and the keyboard goes back to the search: typing
// after a choice made with the mouse searches on.
func (m *mainView) viewChanged() {
	if !m.u.touch() {
		return
	}
	id := m.selectedID()
	if m.headers != nil {
		m.headers.update(m.sort.Selected)
	}
	m.filter(m.query)
	for i := range m.shown {
		if id != "" && m.shown[i].ID == id {
			m.selectRow(i)
		}
	}
	if !m.u.modal {
		m.focus()
	}
}

// saveWarningNote follows the status when a save succeeded but the file
// system did not confirm it (see vault.TakeSaveWarning).
const saveWarningNote = " · Saved, but the file system did not confirm the folder write"

// setStatus shows s in the status bar, with saveWarningNote when a save
// since the last status gave a warning: each warning is mentioned once.
func (m *mainView) setStatus(s string) {
	m.statusNote = ""
	m.tickStatus(s)
}

// tickStatus updates a status that counts down (the clipboard's): it keeps
// the note that setStatus gave it, and adds one for a warning since.
func (m *mainView) tickStatus(s string) {
	if m.takeWarning() != nil {
		m.statusNote = saveWarningNote
	}
	m.status.SetText(s + m.statusNote)
}

// filter shows the entries matching query, the best match pre-selected.
func (m *mainView) filter(query string) {
	m.query = query
	m.defaultDays = m.u.v.RotationDays()
	m.shown = m.u.v.AppendSearch(m.shown[:0], query)
	m.arrange()
	// One list refresh per keystroke: Select refreshes, so refresh only
	// when it does not run.
	switch {
	case len(m.shown) > 0 && query != "" && m.selected != 0:
		m.list.Select(0)
	default:
		if query == "" || len(m.shown) == 0 {
			m.list.UnselectAll()
			m.selected = -1
		}
		m.list.Refresh()
	}
	total := m.u.v.Len()
	switch {
	case total == 0:
		setText(m.empty, "No keys yet. Add one with + Add ("+modKey()+"+N), or paste it here ("+modKey()+"+V)")
		m.empty.Show()
	case len(m.shown) == 0:
		setText(m.empty, "No key matches \""+query+"\"")
		m.empty.Show()
	default:
		m.empty.Hide()
	}
	if len(m.shown) == total {
		setText(m.count, plural(total, "key"))
	} else {
		setText(m.count, strconv.Itoa(len(m.shown))+" of "+plural(total, "key"))
	}
}

// reload shows the vault's current entries for the current search, keeping
// the entry with id selected if it is still shown ("" keeps nothing).
func (m *mainView) reload(id string) {
	m.reveal.sync()
	m.refreshChoices()
	m.panel.update()
	m.filter(m.query)
	for i := range m.shown {
		if m.shown[i].ID == id {
			m.selectRow(i)
			return
		}
	}
}

func (m *mainView) selectRow(i int) {
	if i < 0 || i >= len(m.shown) {
		return
	}
	m.list.Select(i) // scrolls to it
	m.selected = i
}

// move changes the selection by delta rows.
func (m *mainView) move(delta int) {
	if len(m.shown) == 0 {
		return
	}
	i := m.selected + delta
	if m.selected < 0 {
		i = 0
	}
	m.selectRow(min(max(i, 0), len(m.shown)-1))
}

// current is the selected entry, or the first match when nothing is
// selected.
func (m *mainView) current() (vault.Entry, bool) {
	i := max(m.selected, 0)
	if i >= len(m.shown) {
		return vault.Entry{}, false
	}
	return m.shown[i], true
}

// copySelected copies the selected key, or the first match, and reports
// whether it did.
func (m *mainView) copySelected() bool {
	if e, ok := m.current(); ok {
		return m.copyEntry(e.ID)
	}
	return false
}

// copyEntry copies the key of the entry with id, with the auto-clear, and
// reports whether it did.
func (m *mainView) copyEntry(id string) bool {
	if !m.u.touch() {
		return false
	}
	e, ok := m.u.v.Get(id)
	if !ok {
		return false
	}
	m.u.clip.Copy(e.Name, e.Secret, m.u.prefs.ClearAfter())
	m.u.record(e.ID, vault.ActionCopied, vault.SourceWindow, "")
	return true
}

// toggleFavorite stars or unstars the entry with id.
func (m *mainView) toggleFavorite(id string) {
	if !m.u.touch() {
		return
	}
	e, ok := m.u.v.Get(id)
	if !ok {
		return
	}
	if _, err := m.u.v.SetFavorite(id, !e.Favorite); err != nil {
		m.u.saveFailed(err, func() { m.toggleFavorite(id) })
		return
	}
	m.reload(m.selectedID())
	m.u.refreshTray()
}

func (m *mainView) selectedID() string {
	if m.selected >= 0 && m.selected < len(m.shown) {
		return m.shown[m.selected].ID
	}
	return ""
}

// showRowMenu opens the row's "more" menu below its button.
func (m *mainView) showRowMenu(r *keyRow) {
	if !m.u.touch() {
		return
	}
	e, ok := m.u.v.Get(r.id)
	if !ok {
		return
	}
	star := "Star (show in tray)"
	if e.Favorite {
		star = "Unstar"
	}
	id := e.ID
	menu := fyne.NewMenu("",
		fyne.NewMenuItem("Copy", func() { m.copyEntry(id) }),
		m.copyAsMenu(id),
		m.copyShownMenu(),
		fyne.NewMenuItem(chooseLabel(m.choose.isChosen(id)), func() { m.choose.set(id, !m.choose.isChosen(id)) }),
		fyne.NewMenuItem("Reveal for 10 s", func() { m.toggleReveal(id) }),
		fyne.NewMenuItem("Test", func() { m.testEntry(id) }),
		fyne.NewMenuItem("Edit…", func() { m.showEditor(&e) }),
		fyne.NewMenuItem("Rotate…", func() { m.showRotate(e) }),
		fyne.NewMenuItem("Details…", func() { m.showDetails(e) }),
		fyne.NewMenuItem("Share…", func() { m.showShare(e) }),
		fyne.NewMenuItem(star, func() { m.toggleFavorite(id) }),
		fyne.NewMenuItem("Open key page", func() { m.openKeyPage(e) }),
		m.exposedMenuItem(e),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Delete…", func() { m.confirmDelete(e) }),
	)
	c := m.u.app.Driver().CanvasForObject(r.more)
	if c == nil {
		return
	}
	pos := m.u.app.Driver().AbsolutePositionForObject(r.more).Add(fyne.NewPos(0, r.more.Size().Height))
	widget.ShowPopUpMenuAtPosition(menu, c, pos)
}

// age says how old a key is, in days.
func age(now, t time.Time) string {
	d := int(now.Sub(t).Hours() / 24)
	if d < 1 {
		return "today"
	}
	return strconv.Itoa(d) + " d"
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// searchEntry is the search field; it also steers the list: Up/Down select,
// Enter copies, Escape clears, Delete on an empty field removes the selected
// key (after asking).
type searchEntry struct {
	widget.Entry
	m *mainView
}

func newSearchEntry(m *mainView) *searchEntry {
	e := &searchEntry{m: m}
	e.ExtendBaseWidget(e)
	e.OnChanged = func(q string) {
		if m.u.touch() {
			m.filter(q)
		}
	}
	e.OnSubmitted = func(string) {
		if m.copySelected() {
			m.u.dismiss() // summoned by the shortcut: back to the user's program
		}
	}
	return e
}

// TypedKey handles the list-steering keys and passes the rest on.
func (e *searchEntry) TypedKey(k *fyne.KeyEvent) {
	if !e.m.u.touch() {
		return
	}
	switch k.Name {
	case fyne.KeyDown:
		e.m.move(1)
	case fyne.KeyUp:
		e.m.move(-1)
	case fyne.KeyPageDown:
		e.m.move(10)
	case fyne.KeyPageUp:
		e.m.move(-10)
	case fyne.KeyEscape:
		if e.Text == "" {
			e.m.u.dismiss()
			return
		}
		e.SetText("")
	case fyne.KeyDelete:
		if e.Text == "" && e.m.selected >= 0 {
			e.m.confirmDelete(e.m.shown[e.m.selected])
			return
		}
		e.Entry.TypedKey(k)
	default:
		e.Entry.TypedKey(k)
	}
}

// TypedShortcut catches a pasted key: it would show in clear in the search
// field, so a paste that looks like a key opens Add with it instead, or
// selects the entry that already holds it.
func (e *searchEntry) TypedShortcut(s fyne.Shortcut) {
	if !e.m.u.touch() {
		return
	}
	if _, ok := s.(*fyne.ShortcutUndo); ok && e.Text == "" && len(e.m.undo) > 0 {
		// Nothing typed to undo: Ctrl+Z (Cmd+Z) undoes the last delete.
		e.m.undoDelete()
		return
	}
	if p, ok := s.(*fyne.ShortcutPaste); ok && p.Clipboard != nil {
		if key, _ := vault.CleanSecret(p.Clipboard.Content()); looksLikeKey(key) {
			e.m.pastedKey(key)
			return
		}
	}
	e.Entry.TypedShortcut(s)
}

// looksLikeKey tells a pasted API key from a pasted search word: a known
// provider's shape, or a long run of letters and digits without spaces.
func looksLikeKey(s string) bool {
	if _, ok := provider.Detect(s); ok {
		return true
	}
	if len(s) < 20 || strings.ContainsAny(s, " \t\r\n") {
		return false
	}
	var letters, digits bool
	for _, r := range s {
		switch {
		case unicode.IsLetter(r):
			letters = true
		case unicode.IsDigit(r):
			digits = true
		}
	}
	return letters && digits
}

// pastedKey selects the entry holding key, or offers to add it.
func (m *mainView) pastedKey(key string) {
	for _, e := range m.u.v.List() {
		if e.Secret == key {
			m.search.SetText("")
			m.reload(e.ID)
			m.setStatus("That key is already saved as \"" + e.Name + "\"")
			return
		}
	}
	m.showEditorWith(nil, key)
}
