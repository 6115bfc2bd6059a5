package gui

import (
	"runtime"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"
)

// Keyboard shortcuts (Ctrl on Linux and Windows, Cmd on macOS).
var (
	lockShortcut     = shortcut(fyne.KeyL)
	findShortcut     = shortcut(fyne.KeyF)
	newShortcut      = shortcut(fyne.KeyN)
	editShortcut     = shortcut(fyne.KeyE)
	settingsShortcut = shortcut(fyne.KeyComma)
	testShortcut     = shortcut(fyne.KeyT)
	rotateShortcut   = shortcut(fyne.KeyR)
	detailsShortcut  = shortcut(fyne.KeyI)
)

func shortcut(k fyne.KeyName) *desktop.CustomShortcut {
	return &desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault}
}

// command is one thing the user can do from the menu and, when it has one,
// its shortcut. The same table builds the menu bar and the window's
// shortcuts, so the two cannot disagree.
type command struct {
	label    string
	shortcut *desktop.CustomShortcut
	run      func()
}

// commands lists what the user can do now: fewer things while locked.
func (u *UI) commands() (file, keys []command) {
	file = []command{
		{"Open another vault…", nil, u.chooseVault},
		{"Settings…", settingsShortcut, u.showSettings},
	}
	m := u.main
	if m == nil {
		return file, nil
	}
	if u.v != nil && !u.v.ReadOnly() {
		file = append(file, command{"Import keys…", nil, u.chooseImport})
	}
	file = append(file, command{"Export keys…", nil, u.showExport})
	file = append(file, command{"Scan a folder for keys…", nil, u.chooseScan})
	if u.v != nil && !u.v.ReadOnly() {
		file = append(file, command{"Receive a shared key…", nil, u.chooseReceive})
		file = append(file, command{"Merge another vault…", nil, u.chooseMerge})
	}
	file = append(file, command{"Lock", lockShortcut, u.Lock})
	keys = []command{
		{"Find", findShortcut, m.focus},
		{"New key…", newShortcut, func() { m.showEditor(nil) }},
		{"Edit…", editShortcut, m.editSelected},
		{"Copy (Enter)", nil, func() { m.copySelected() }},
		{"Choose several to copy as one block", chooseShortcut, m.choose.toggleCurrent},
		{"Reveal for 10 s", nil, func() {
			if e, ok := m.current(); ok {
				m.toggleReveal(e.ID)
			}
		}},
		{"Star / unstar", nil, func() {
			if e, ok := m.current(); ok {
				m.toggleFavorite(e.ID)
			}
		}},
		{"Delete… (Delete)", nil, func() {
			if e, ok := m.current(); ok {
				m.confirmDelete(e)
			}
		}},
		{"Undo delete (" + modKey() + "+Z)", nil, m.undoDelete},
		{"Test", testShortcut, func() {
			if e, ok := m.current(); ok {
				m.testEntry(e.ID)
			}
		}},
		{"Test all keys…", nil, m.testAll},
		{"Rotate…", rotateShortcut, func() {
			if e, ok := m.current(); ok {
				m.showRotate(e)
			}
		}},
		{"Details…", detailsShortcut, func() {
			if e, ok := m.current(); ok {
				m.showDetails(e)
			}
		}},
		{"Open key page", nil, func() {
			if e, ok := m.current(); ok {
				m.openKeyPage(e)
			}
		}},
	}
	return file, keys
}

// setMenus installs the menu bar and the shortcuts for the current screen.
func (u *UI) setMenus() {
	c := u.win.Canvas()
	for _, s := range u.shortcuts {
		c.RemoveShortcut(s)
	}
	u.shortcuts = nil
	file, keys := u.commands()
	if u.main != nil {
		// Ctrl+Z (Cmd+Z) with nothing focused undoes a delete. It is not a
		// menu shortcut: the menu's would run before a text field's own undo.
		undo := &fyne.ShortcutUndo{}
		c.AddShortcut(undo, func(fyne.Shortcut) {
			if !u.modal && u.main != nil {
				u.main.undoDelete()
			}
		})
		u.shortcuts = append(u.shortcuts, undo)
	}
	fileMenu := u.menu("File", file)
	// Our own Quit, so that Fyne does not add one that skips clearing the
	// clipboard and closing the vault.
	quit := fyne.NewMenuItem("Quit", u.quit)
	quit.IsQuit = true
	fileMenu.Items = append(fileMenu.Items, fyne.NewMenuItemSeparator(), quit)
	menus := []*fyne.Menu{fileMenu}
	if keys != nil {
		menus = append(menus, u.menu("Keys", keys))
	}
	menus = append(menus, fyne.NewMenu("Help",
		fyne.NewMenuItem("Keyboard shortcuts", u.showShortcuts),
		fyne.NewMenuItem("About Keyshelf", u.showAbout),
	))
	u.win.SetMainMenu(fyne.NewMainMenu(menus...))
}

func (u *UI) menu(title string, cmds []command) *fyne.Menu {
	items := make([]*fyne.MenuItem, 0, len(cmds))
	c := u.win.Canvas()
	for _, cmd := range cmds {
		run := u.act(func() {
			if !u.modal {
				cmd.run()
			}
		})
		it := fyne.NewMenuItem(cmd.label, run)
		if cmd.shortcut != nil {
			it.Shortcut = cmd.shortcut
			c.AddShortcut(cmd.shortcut, func(fyne.Shortcut) { run() })
			u.shortcuts = append(u.shortcuts, cmd.shortcut)
		}
		items = append(items, it)
	}
	return fyne.NewMenu(title, items...)
}

// modKey is how the shortcut modifier is written on this system.
func modKey() string {
	if runtime.GOOS == "darwin" {
		return "Cmd"
	}
	return "Ctrl"
}

// showShortcuts lists every keyboard shortcut.
func (u *UI) showShortcuts() {
	mod := modKey()
	rows := [][2]string{
		{"Type", "Search keys by name, provider, tag or notes"},
		{"Enter", "Copy the selected key (or the first match)"},
		{"Up / Down", "Select a key"},
		{mod + "+Space", "Choose the selected key for one block (Copy as: export lines, .env…)"},
		{"Page Up / Page Down", "Move the selection ten keys"},
		{"Escape", "Clear the search; close a dialog (the editor asks first when something changed)"},
		{mod + "+F", "Search"},
		{mod + "+N", "New key"},
		{mod + "+E", "Edit the selected key"},
		{"Delete", "Delete the selected key (asks first; empty search field)"},
		{mod + "+Z", "Undo the last delete (empty search field)"},
		{mod + "+T", "Test the selected key against its provider"},
		{mod + "+R", "Rotate the selected key"},
		{mod + "+I", "Details: history and access log"},
		{mod + "+L", "Lock"},
		{mod + "+,", "Settings"},
	}
	if u.hotkey.active {
		rows = append(rows, [2]string{u.hotkey.combo.String(), "From any program: bring up the search (global shortcut, Settings)"})
	}
	// Keys in a column as wide as the widest, what they do beside them.
	grid := container.New(layout.NewFormLayout())
	for _, r := range rows {
		grid.Add(widget.NewLabelWithStyle(r[0], fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		grid.Add(widget.NewLabel(r[1]))
	}
	u.show(dialog.NewCustom("Keyboard shortcuts", "Close", grid, u.win))
}

func (u *UI) showAbout() {
	text := []string{"Keyshelf " + u.cfg.Version,
		"Your API keys, encrypted on this computer.",
		"Vault: " + u.cfg.VaultPath}
	u.show(dialog.NewInformation("About Keyshelf", strings.Join(text, "\n"), u.win))
}

// chooseVault lets the user pick another vault file (or a place for a new
// one) and switches to it.
func (u *UI) chooseVault() {
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
		u.openChosen(path)
	}, u.win)
	d.SetFilter(vaultFilter{})
	d.Resize(fyne.NewSize(700, 500))
	u.show(d)
}
