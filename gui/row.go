package gui

import (
	"strings"
	"unicode/utf8"

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

	pick   *widget.Check // ticks the row for one block; shown while choosing
	star   *widget.Button
	name   *fitLabel
	prov   *widget.Label
	masked *fitLabel
	age    *widget.Label
	state  *widget.Label // the last check
	copyB  *widget.Button
	reveal *widget.Button
	more   *widget.Button

	id string // the entry shown, "" before the first bind
}

func newKeyRow(m *mainView) *keyRow {
	r := &keyRow{m: m}
	r.pick = widget.NewCheck("", func(on bool) { m.choose.set(r.id, on) })
	r.pick.Hide()
	r.star = widget.NewButtonWithIcon("", starOffIcon, func() { m.toggleFavorite(r.id) })
	r.star.Importance = widget.LowImportance
	r.name = newNameLabel()
	r.prov = widget.NewLabel("")
	r.prov.Truncation = fyne.TextTruncateEllipsis
	r.masked = newMaskLabel()
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
	cols := container.New(&columnsLayout{weights: rowWeights}, r.name, r.prov, r.masked, r.age, r.state)
	actions := container.NewHBox(r.copyB, r.reveal, r.more)
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, container.NewHBox(r.pick, r.star), actions, cols))
}

// bind shows e in the row. Labels are only set when their text changes:
// setting one re-measures its text, the main cost of a search keystroke.
func (r *keyRow) bind(e *vault.Entry, revealed, testing bool) {
	r.id = e.ID
	if ch := r.m.choose; ch != nil && ch.on {
		if on := ch.isChosen(e.ID); r.pick.Checked != on {
			r.pick.Checked = on // not SetChecked: that would tick it again
			r.pick.Refresh()
		}
		if !r.pick.Visible() {
			r.pick.Show()
		}
	} else if r.pick.Visible() {
		r.pick.Hide()
	}
	setIcon(r.star, starOffIcon)
	if e.Favorite {
		setIcon(r.star, starOnIcon)
	}
	r.name.setFull(e.Name)
	setText(r.prov, provider.Name(e.Provider))
	if revealed {
		r.masked.setFull(e.Secret)
		setIcon(r.reveal, theme.VisibilityOffIcon())
	} else {
		r.masked.setFull(maskedColumn(e))
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

// maskedColumn is the key column of a row: the masked key, or for a two-part
// key whose secret has no telling prefix (AWS), its key ID masked, which
// tells the keys apart: "AKIA••••••••6789". A key ID is the public half.
func maskedColumn(e *vault.Entry) string {
	p, ok := provider.Get(e.Provider)
	if !ok || !p.TwoPart() || e.KeyID == "" || provider.KnownPrefix(e.Secret) != "" {
		return vault.Mask(e.Secret)
	}
	id := []rune(e.KeyID)
	if len(id) <= 8 {
		return vault.MaskDots
	}
	return string(id[:4]) + vault.MaskDots + string(id[len(id)-4:])
}

func setIcon(b *widget.Button, res fyne.Resource) {
	if b.Icon != res {
		b.SetIcon(res)
	}
}

// newMaskLabel is the masked key column. Like the name it is not
// ellipsised by Fyne, to keep the filter fast (see docs/benchmarks.md), and
// a clip would cut off the last four characters, which tell keys apart. So
// a mask too long for the column is shortened in its middle instead (see
// fitMask): fewer dots, then less of the prefix, never the last four. A
// revealed key is clipped.
func newMaskLabel() *fitLabel {
	return newFitLabel(fyne.TextStyle{Monospace: true}, fitMask)
}

// maskWidths caches the width of a character and of a dot in the monospace
// font, by text size: fitting a mask is then arithmetic, with no text shaped.
var maskWidths = map[float32][2]float32{}

// fitMask shortens mask (vault.Mask's prefix, dots and last four) to fit
// width: dots down to three, then the prefix from its end (back to a "-" or
// "_"), then the dots down to none. Text that is not a mask comes back
// whole.
func fitMask(mask string, width, textSize float32) string {
	cw, ok := maskWidths[textSize]
	if !ok {
		style := fyne.TextStyle{Monospace: true}
		cw = [2]float32{fyne.MeasureText("0", textSize, style).Width, fyne.MeasureText("•", textSize, style).Width}
		maskWidths[textSize] = cw
	}
	measure := func(prefix string, dots int, tail string) float32 {
		return float32(utf8.RuneCountInString(prefix)+utf8.RuneCountInString(tail))*cw[0] + float32(dots)*cw[1]
	}
	i := strings.Index(mask, vault.MaskDots)
	if i < 0 {
		return mask
	}
	prefix, tail := mask[:i], mask[i+len(vault.MaskDots):]
	dots := utf8.RuneCountInString(vault.MaskDots)
	if tail == "" || measure(prefix, dots, tail) <= width {
		return mask
	}
	for dots > 3 && measure(prefix, dots, tail) > width {
		dots--
	}
	if measure(prefix, dots, tail) > width {
		for prefix != "" && measure(prefix, dots, tail) > width {
			_, n := utf8.DecodeLastRuneInString(prefix)
			prefix = prefix[:len(prefix)-n]
		}
		// Cut back to a separator: "sk-ant-" reads better than "sk-ant-ap".
		prefix = prefix[:strings.LastIndexAny(prefix, "-_")+1]
	}
	for dots > 0 && measure(prefix, dots, tail) > width {
		dots--
	}
	return prefix + strings.Repeat("•", dots) + tail
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
