package gui

import (
	"cmp"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"keyshelf/vault"
	"keyshelf/vault/check"
)

// rowWeights are the list's columns (name, provider, key, age, check),
// shared by the rows and the headers so that they line up.
var rowWeights = []float32{2.8, 1.9, 4, 2.1, 3.2}

// sortCheck orders by the last check, problems first.
const sortCheck = "Check result, problems first"

// checkRank orders check results for sortCheck: invalid first, then the
// working keys with a problem, could not check, unchecked, valid last.
func checkRank(r *check.Result) int {
	if r == nil {
		return 5
	}
	switch r.Outcome {
	case check.Invalid:
		return 0
	case check.NoCredit, check.NoPermission, check.RateLimited:
		return 1
	case check.Unknown:
		return 2
	case check.Valid:
		return 6
	}
	return 3
}

// sortByCheck sorts entries for sortCheck, keeping the order of equals.
func sortByCheck(es []vault.Entry) {
	slices.SortStableFunc(es, func(a, b vault.Entry) int { return cmp.Compare(checkRank(a.LastCheck), checkRank(b.LastCheck)) })
}

// columnHeaders is the row of headers above the list: Name, Provider, Age
// and Check sort the list when clicked (as the Sort box does, which shows
// the choice); Key does not, a key's order would say something about it.
type columnHeaders struct {
	content *fyne.Container
	buttons map[string]*widget.Button // by the sort choice each one makes
	// pickSpace is the room of a row's tick box, shown while choosing.
	pickSpace fyne.CanvasObject
}

// showPicks makes room for the rows' tick boxes, or takes it away.
func (h *columnHeaders) showPicks(on bool) {
	if on == h.pickSpace.Visible() {
		return
	}
	if on {
		h.pickSpace.Show()
	} else {
		h.pickSpace.Hide()
	}
	h.content.Refresh()
}

func newColumnHeaders(m *mainView) *columnHeaders {
	h := &columnHeaders{buttons: map[string]*widget.Button{}}
	head := func(label, sort string) fyne.CanvasObject {
		if sort == "" {
			l := widget.NewLabelWithStyle(label, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			return l
		}
		b := widget.NewButton(label, m.u.act(func() { m.sort.SetSelected(sort) }))
		b.Alignment = widget.ButtonAlignLeading
		b.IconPlacement = widget.ButtonIconTrailingText
		b.Importance = widget.LowImportance
		h.buttons[sort] = b
		return b
	}
	cols := container.New(&columnsLayout{weights: rowWeights},
		head("Name", sortName), head("Provider", sortProvider), head("Key", ""), head("Age", sortOldest), head("Check", sortCheck))
	// Spacers as wide as the row's star and action buttons.
	probe := newKeyRow(m)
	// The tick box's room, shown while choosing keys (see chooseBar), so
	// that the columns stay under their headers.
	h.pickSpace = spacer(probe.pick.MinSize().Width)
	h.pickSpace.Hide()
	left := container.NewHBox(h.pickSpace, spacer(probe.star.MinSize().Width))
	right := spacer(container.NewHBox(probe.copyB, probe.reveal, probe.more).MinSize().Width)
	h.content = container.NewBorder(nil, nil, left, right, cols)
	h.update(m.sort.Selected)
	return h
}

// update marks the header of the sort in use.
func (h *columnHeaders) update(sort string) {
	for s, b := range h.buttons {
		if s == sort {
			b.SetIcon(theme.MenuDropDownIcon())
		} else {
			b.SetIcon(nil)
		}
	}
}

func spacer(w float32) fyne.CanvasObject {
	r := widget.NewLabel("")
	return container.NewGridWrap(fyne.NewSize(w, 1), r)
}
