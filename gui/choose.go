package gui

import (
	"runtime"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"keyshelf/vault/shellvar"
)

// chooseShortcut toggles the selected key in the keys chosen for one block:
// Ctrl+Space; on macOS Cmd+Return, since Cmd+Space is Spotlight's (and
// Ctrl+Space switches the input source).
var chooseShortcut = chooseKey(runtime.GOOS)

func chooseKey(goos string) *desktop.CustomShortcut {
	if goos == "darwin" {
		return shortcut(fyne.KeyReturn)
	}
	return shortcut(fyne.KeySpace)
}

// chooseBar is the bar over the status line while keys are being chosen
// for one block: how many, Copy as ▸ and Done. Each row then shows a box
// to tick; outside this mode the rows are laid out as always.
type chooseBar struct {
	m       *mainView
	content *fyne.Container
	count   *widget.Label
	copyAs  *widget.Button
	// on reports whether the rows show their boxes; chosen are the ids
	// ticked, in the order they were ticked.
	on     bool
	chosen []string
}

func newChooseBar(m *mainView) *chooseBar {
	b := &chooseBar{m: m}
	b.count = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	b.copyAs = widget.NewButtonWithIcon("Copy as…", theme.ContentCopyIcon(), m.u.act(b.showCopyAs))
	b.copyAs.Importance = widget.HighImportance
	done := widget.NewButtonWithIcon("Done", theme.CancelIcon(), m.u.act(b.stop))
	b.content = container.NewBorder(nil, nil, nil, container.NewHBox(b.copyAs, done), b.count)
	b.content.Hide()
	return b
}

// start shows the rows' boxes.
func (b *chooseBar) start() {
	if b.on {
		return
	}
	b.on = true
	b.update()
	b.m.headers.showPicks(true)
	b.m.list.Refresh()
}

// stop hides the boxes and forgets what was ticked.
func (b *chooseBar) stop() {
	if !b.on {
		return
	}
	b.on, b.chosen = false, nil
	b.update()
	b.m.headers.showPicks(false)
	b.m.list.Refresh()
	b.m.focus()
}

// isChosen reports whether the key with id is ticked.
func (b *chooseBar) isChosen(id string) bool {
	for _, c := range b.chosen {
		if c == id {
			return true
		}
	}
	return false
}

// set ticks or unticks the key with id (starting the mode).
func (b *chooseBar) set(id string, on bool) {
	if id == "" || on == b.isChosen(id) {
		return
	}
	if on {
		b.chosen = append(b.chosen, id)
	} else {
		for i, c := range b.chosen {
			if c == id {
				b.chosen = append(b.chosen[:i], b.chosen[i+1:]...)
				break
			}
		}
	}
	b.start()
	b.update()
	b.m.list.Refresh()
}

// toggleCurrent ticks or unticks the selected key (or the first match).
func (b *chooseBar) toggleCurrent() {
	if e, ok := b.m.current(); ok {
		b.set(e.ID, !b.isChosen(e.ID))
	}
}

// update shows the bar and its count.
func (b *chooseBar) update() {
	if !b.on {
		b.content.Hide()
		return
	}
	n := len(b.chosen)
	switch n {
	case 0:
		b.count.SetText("Tick the keys to copy as one block (" + modKey() + "+Space ticks the selected one)")
		b.copyAs.Disable()
	default:
		b.count.SetText(plural(n, "key") + " chosen")
		b.copyAs.Enable()
	}
	b.content.Show()
}

// showCopyAs offers the shells for the chosen keys.
func (b *chooseBar) showCopyAs() {
	var items []*fyne.MenuItem
	for _, sh := range shellvar.Shells() {
		items = append(items, fyne.NewMenuItem(sh.Title(), func() { b.m.copyBlockAs(b.chosen, sh) }))
	}
	c := b.m.u.app.Driver().CanvasForObject(b.copyAs)
	if c == nil {
		return
	}
	pos := b.m.u.app.Driver().AbsolutePositionForObject(b.copyAs)
	menu := fyne.NewMenu("", items...)
	pos.Y -= widget.NewPopUpMenu(menu, c).MinSize().Height
	widget.ShowPopUpMenuAtPosition(menu, c, pos)
}

// chooseLabel is the row menu's item that ticks or unticks the row.
func chooseLabel(chosen bool) string {
	if chosen {
		return "Unchoose (" + modKey() + "+Space)"
	}
	return "Choose for one block (" + modKey() + "+Space)"
}
