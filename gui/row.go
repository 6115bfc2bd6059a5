package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"keyshelf/vault"
	"keyshelf/vault/provider"
)

// keyRow is one line of the key list: star, name, provider, masked key, age,
// and the row's actions. Rows are recycled by the list; bind fills one in.
type keyRow struct {
	widget.BaseWidget
	m *mainView

	star   *widget.Button
	name   *widget.Label
	prov   *widget.Label
	masked *widget.Label
	age    *widget.Label
	state  *widget.Label // the last check
	copyB  *widget.Button
	reveal *widget.Button
	more   *widget.Button

	id string // the entry shown, "" before the first bind
}

func newKeyRow(m *mainView) *keyRow {
	r := &keyRow{m: m}
	r.star = widget.NewButtonWithIcon("", starOffIcon, func() { m.toggleFavorite(r.id) })
	r.star.Importance = widget.LowImportance
	r.name = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	r.name.Truncation = fyne.TextTruncateClip
	r.prov = widget.NewLabel("")
	r.prov.Truncation = fyne.TextTruncateEllipsis
	r.masked = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	r.masked.Truncation = fyne.TextTruncateClip
	r.age = widget.NewLabel("")
	r.age.Truncation = fyne.TextTruncateEllipsis
	r.state = widget.NewLabel("")
	r.state.Truncation = fyne.TextTruncateEllipsis
	r.copyB = widget.NewButtonWithIcon("Copy", theme.ContentCopyIcon(), func() { m.copyEntry(r.id) })
	r.reveal = widget.NewButtonWithIcon("", theme.VisibilityIcon(), func() { m.toggleReveal(r.id) })
	r.more = widget.NewButtonWithIcon("", theme.MoreHorizontalIcon(), func() { m.showRowMenu(r) })
	r.ExtendBaseWidget(r)
	return r
}

// CreateRenderer lays the row out as weighted columns between the star and
// the action buttons.
func (r *keyRow) CreateRenderer() fyne.WidgetRenderer {
	cols := container.New(&columnsLayout{weights: []float32{3, 2, 4, 2.3, 2.5}}, r.name, r.prov, r.masked, r.age, r.state)
	actions := container.NewHBox(r.copyB, r.reveal, r.more)
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, r.star, actions, cols))
}

// bind shows e in the row. Labels are only set when their text changes:
// setting one re-measures its text, the main cost of a search keystroke.
func (r *keyRow) bind(e *vault.Entry, revealed, testing bool) {
	r.id = e.ID
	setIcon(r.star, starOffIcon)
	if e.Favorite {
		setIcon(r.star, starOnIcon)
	}
	setText(r.name, e.Name)
	setText(r.prov, provider.Name(e.Provider))
	if revealed {
		setText(r.masked, e.Secret)
		setIcon(r.reveal, theme.VisibilityOffIcon())
	} else {
		setText(r.masked, vault.Mask(e.Secret))
		setIcon(r.reveal, theme.VisibilityIcon())
	}
	now := r.m.u.cfg.Clock.Now()
	ageText, ageImp := attentionText(e, r.m.defaultDays, now)
	if r.age.Importance != ageImp {
		r.age.Importance = ageImp
		r.age.Refresh()
	}
	setText(r.age, ageText)
	text, imp := checkMark(e.LastCheck, now)
	if testing {
		text, imp = "◌ testing…", widget.LowImportance
	}
	if r.state.Importance != imp {
		r.state.Importance = imp
		r.state.Refresh()
	}
	setText(r.state, text)
}

func setText(l *widget.Label, s string) {
	if l.Text != s {
		l.SetText(s)
	}
}

func setIcon(b *widget.Button, res fyne.Resource) {
	if b.Icon != res {
		b.SetIcon(res)
	}
}

// columnsLayout gives each object a share of the width proportional to its
// weight, so that the columns line up from row to row.
type columnsLayout struct{ weights []float32 }

func (c *columnsLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	var total float32
	for _, w := range c.weights {
		total += w
	}
	pad := theme.Padding()
	avail := size.Width - pad*float32(len(objs)-1)
	x := float32(0)
	for i, o := range objs {
		w := avail * c.weights[i] / total
		h := o.MinSize().Height
		o.Move(fyne.NewPos(x, (size.Height-h)/2))
		o.Resize(fyne.NewSize(w, h))
		x += w + pad
	}
}

func (c *columnsLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var h float32
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(float32(len(objs))*40, h)
}

var _ fyne.Layout = (*columnsLayout)(nil)

// Star icons for favourites (Fyne 2.7's theme has none): a five-pointed star,
// filled in the primary colour when on, outlined when off.
var (
	starOnIcon = theme.NewPrimaryThemedResource(fyne.NewStaticResource("star-on.svg", []byte(
		`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path fill="#000000" d="M12 2.5l2.9 6.1 6.6.8-4.9 4.6 1.3 6.6L12 17.3l-5.9 3.3 1.3-6.6-4.9-4.6 6.6-.8z"/></svg>`)))
	starOffIcon = theme.NewThemedResource(fyne.NewStaticResource("star-off.svg", []byte(
		`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path fill="none" stroke="#000000" stroke-width="1.6" stroke-linejoin="round" d="M12 2.5l2.9 6.1 6.6.8-4.9 4.6 1.3 6.6L12 17.3l-5.9 3.3 1.3-6.6-4.9-4.6 6.6-.8z"/></svg>`)))
)
