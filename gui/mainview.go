package gui

import (
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"keyshelf/vault"
	"keyshelf/vault/provider"
)

// Keyboard shortcuts of the main view (Ctrl on Linux and Windows, Cmd on macOS).
var (
	lockShortcut = &desktop.CustomShortcut{KeyName: fyne.KeyL, Modifier: fyne.KeyModifierShortcutDefault}
	findShortcut = &desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault}
)

// mainView is the unlocked window: search, the list of keys, the status bar.
type mainView struct {
	u       *UI
	content fyne.CanvasObject
	search  *searchEntry
	list    *widget.List
	empty   *widget.Label
	status  *widget.Label
	count   *widget.Label

	shown    []vault.Entry // the filtered entries, in list order
	selected int           // index into shown, or -1
}

func newMainView(u *UI) *mainView {
	m := &mainView{u: u, selected: -1}
	m.search = newSearchEntry(m)
	m.search.SetPlaceHolder("Search keys…   (type, then Enter to copy)")
	m.status = widget.NewLabel("")
	m.count = widget.NewLabel("")
	m.empty = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{})
	m.empty.Importance = widget.LowImportance

	m.list = widget.NewList(
		func() int { return len(m.shown) },
		m.newRow,
		func(i widget.ListItemID, o fyne.CanvasObject) { m.updateRow(i, o) },
	)
	m.list.OnSelected = func(i widget.ListItemID) { m.selected = i }
	m.list.OnUnselected = func(i widget.ListItemID) {
		if m.selected == i {
			m.selected = -1
		}
	}

	lock := widget.NewButtonWithIcon("Lock", theme.LogoutIcon(), u.Lock)
	top := container.NewBorder(nil, nil, nil, lock, m.search)
	bottom := container.NewBorder(nil, nil, nil, m.count, m.status)
	m.content = container.NewBorder(top, bottom, nil, nil, container.NewStack(m.list, container.NewCenter(m.empty)))

	c := u.win.Canvas()
	c.AddShortcut(lockShortcut, func(fyne.Shortcut) { u.Lock() })
	c.AddShortcut(findShortcut, func(fyne.Shortcut) { m.focus() })
	m.filter("")
	return m
}

func (m *mainView) focus() { m.u.win.Canvas().Focus(m.search) }

func (m *mainView) setStatus(s string) { m.status.SetText(s) }

// filter shows the entries matching query, the best match pre-selected.
func (m *mainView) filter(query string) {
	m.shown = m.u.v.Search(query)
	m.list.UnselectAll()
	m.selected = -1
	m.list.Refresh()
	total := m.u.v.Len()
	switch {
	case total == 0:
		m.empty.SetText("No keys yet. Add one with: keyshelf add NAME")
		m.empty.Show()
	case len(m.shown) == 0:
		m.empty.SetText("No key matches \"" + query + "\"")
		m.empty.Show()
	default:
		m.empty.Hide()
	}
	if len(m.shown) == total {
		m.count.SetText(plural(total, "key"))
	} else {
		m.count.SetText(strconv.Itoa(len(m.shown)) + " of " + plural(total, "key"))
	}
	if len(m.shown) > 0 && query != "" {
		m.selectRow(0)
	}
}

func (m *mainView) selectRow(i int) {
	if i < 0 || i >= len(m.shown) {
		return
	}
	m.list.Select(i)
	m.selected = i
	m.list.ScrollTo(i)
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

// copySelected copies the selected key, or the first match.
func (m *mainView) copySelected() {
	i := m.selected
	if i < 0 {
		i = 0
	}
	if i >= len(m.shown) {
		return
	}
	m.copyEntry(m.shown[i].ID)
}

func (m *mainView) copyEntry(id string) {
	e, ok := m.u.v.Get(id)
	if !ok {
		return
	}
	m.u.clip.Copy(e.Name, e.Secret, m.u.prefs.ClearAfter())
}

func (m *mainView) newRow() fyne.CanvasObject {
	name := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	name.Truncation = fyne.TextTruncateEllipsis
	prov := widget.NewLabel("")
	masked := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	age := widget.NewLabel("")
	copyBtn := widget.NewButtonWithIcon("Copy", theme.ContentCopyIcon(), nil)
	cols := container.NewGridWithColumns(4, name, prov, masked, age)
	return container.NewBorder(nil, nil, nil, copyBtn, cols)
}

func (m *mainView) updateRow(i widget.ListItemID, o fyne.CanvasObject) {
	if i >= len(m.shown) {
		return
	}
	e := m.shown[i]
	row := o.(*fyne.Container)
	cols := row.Objects[0].(*fyne.Container)
	cols.Objects[0].(*widget.Label).SetText(e.Name)
	cols.Objects[1].(*widget.Label).SetText(provider.Name(e.Provider))
	cols.Objects[2].(*widget.Label).SetText(vault.Mask(e.Secret))
	cols.Objects[3].(*widget.Label).SetText(age(m.u.cfg.Clock.Now(), e.Updated))
	id := e.ID
	row.Objects[1].(*widget.Button).OnTapped = func() { m.copyEntry(id) }
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
// Enter copies, Escape clears.
type searchEntry struct {
	widget.Entry
	m *mainView
}

func newSearchEntry(m *mainView) *searchEntry {
	e := &searchEntry{m: m}
	e.ExtendBaseWidget(e)
	e.OnChanged = m.filter
	e.OnSubmitted = func(string) { m.copySelected() }
	return e
}

// TypedKey handles the list-steering keys and passes the rest on.
func (e *searchEntry) TypedKey(k *fyne.KeyEvent) {
	switch k.Name {
	case fyne.KeyDown:
		e.m.move(1)
	case fyne.KeyUp:
		e.m.move(-1)
	case fyne.KeyEscape:
		e.SetText("")
	default:
		e.Entry.TypedKey(k)
	}
}
