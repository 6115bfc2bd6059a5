package gui

import (
	"cmp"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"keyshelf/vault"
	"keyshelf/vault/lifecycle"
	"keyshelf/vault/provider"
)

// prefNotifiedDay is the last day (YYYY-MM-DD) the desktop was told that
// keys need attention: at most once a day.
const prefNotifiedDay = "attention.notifiedDay"

// maxPanelRows is how many keys the attention panel names.
const maxPanelRows = 4

// Filter and sort choices above the list.
const (
	showAll       = "All keys"
	showAttention = "Needs attention"
	showFavorites = "Starred"
	sortName      = "Name"
	sortAttention = "Needs attention first"
	sortProvider  = "Provider"
	sortOldest    = "Oldest key first"
)

// attentionPanel lists, after unlock, the keys that need attention, one
// click from each.
type attentionPanel struct {
	m       *mainView
	content *fyne.Container
	rows    *fyne.Container
	title   *widget.Label
	closed  bool // the user hid it for this session
}

func newAttentionPanel(m *mainView) *attentionPanel {
	p := &attentionPanel{m: m}
	p.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	p.title.Importance = widget.WarningImportance
	p.rows = container.NewVBox()
	all := widget.NewButton("Show them", m.u.act(func() { m.show.SetSelected(showAttention) }))
	all.Importance = widget.LowImportance
	hide := widget.NewButtonWithIcon("", theme.CancelIcon(), m.u.act(func() { p.closed = true; p.content.Hide() }))
	hide.Importance = widget.LowImportance
	head := container.NewBorder(nil, nil, widget.NewIcon(theme.WarningIcon()), container.NewHBox(all, hide), p.title)
	p.content = container.NewVBox(head, p.rows, widget.NewSeparator())
	p.content.Hide()
	return p
}

// update shows the keys needing attention now.
func (p *attentionPanel) update() {
	now := p.m.u.cfg.Clock.Now()
	due := p.m.u.v.NeedsAttention(now, loc)
	if len(due) == 0 || p.closed {
		p.content.Hide()
		return
	}
	p.title.SetText(plural(len(due), "key") + " need attention")
	if len(due) == 1 {
		p.title.SetText("1 key needs attention")
	}
	p.rows.RemoveAll()
	for i, e := range due {
		if i == maxPanelRows {
			p.rows.Add(small("and " + plural(len(due)-maxPanelRows, "more") + "…"))
			break
		}
		b := widget.NewButton(e.Name+" — "+attentionWords(&e, p.m.defaultDays, now), p.m.u.act(func() {
			p.m.search.SetText("")
			p.m.reload(e.ID)
			p.m.showRotate(e)
		}))
		b.Alignment = widget.ButtonAlignLeading
		b.Importance = widget.LowImportance
		p.rows.Add(b)
	}
	p.content.Show()
}

// notifyAttention tells the desktop, at most once a day, how many keys
// need attention. The notice names no key and holds no secret.
func (u *UI) notifyAttention() {
	if u.v == nil {
		return
	}
	now := u.cfg.Clock.Now()
	today := now.In(loc).Format(dateLayout)
	if u.app.Preferences().String(prefNotifiedDay) == today {
		return
	}
	n := len(u.v.NeedsAttention(now, loc))
	if n == 0 {
		return
	}
	u.app.Preferences().SetString(prefNotifiedDay, today)
	msg := plural(n, "key") + " need rotating or replacing. Open Keyshelf to see which."
	if n == 1 {
		msg = "1 key needs rotating or replacing. Open Keyshelf to see which."
	}
	u.app.SendNotification(fyne.NewNotification("Keyshelf", msg))
}

// showChoices are the filters: everything, attention, starred, then each
// provider and tag in the vault.
func (m *mainView) showChoices() []string {
	out := []string{showAll, showAttention, showFavorites}
	provs, tags := map[string]bool{}, map[string]bool{}
	for _, e := range m.u.v.List() {
		provs[provider.Name(e.Provider)] = true
		for _, t := range e.Tags {
			tags["#"+t] = true
		}
	}
	for _, set := range []map[string]bool{provs, tags} {
		keys := make([]string, 0, len(set))
		for k := range set {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		out = append(out, keys...)
	}
	return out
}

// keep reports whether e passes the filter chosen above the list.
func (m *mainView) keep(e *vault.Entry) bool {
	switch f := m.show.Selected; {
	case f == "" || f == showAll:
		return true
	case f == showAttention:
		return e.Attention(m.defaultDays, m.u.cfg.Clock.Now(), loc) != lifecycle.None
	case f == showFavorites:
		return e.Favorite
	case strings.HasPrefix(f, "#"):
		return slices.ContainsFunc(e.Tags, func(t string) bool { return strings.EqualFold(t, f[1:]) })
	default:
		return provider.Name(e.Provider) == f
	}
}

// arrange filters m.shown and, when no search is typed (a search ranks its
// matches itself), sorts it as chosen.
func (m *mainView) arrange() {
	if f := m.show.Selected; f != "" && f != showAll {
		m.shown = slices.DeleteFunc(m.shown, func(e vault.Entry) bool { return !m.keep(&e) })
	}
	if strings.TrimSpace(m.query) != "" {
		return
	}
	now := m.u.cfg.Clock.Now()
	urgency := map[lifecycle.Attention]int{lifecycle.Exposed: -1, lifecycle.Expired: 0, lifecycle.RotateOverdue: 1, lifecycle.Expiring: 2, lifecycle.RotateSoon: 3, lifecycle.None: 4}
	switch m.sort.Selected {
	case sortAttention:
		slices.SortStableFunc(m.shown, func(a, b vault.Entry) int {
			return cmp.Compare(urgency[a.Attention(m.defaultDays, now, loc)], urgency[b.Attention(m.defaultDays, now, loc)])
		})
	case sortProvider:
		slices.SortStableFunc(m.shown, func(a, b vault.Entry) int {
			return cmp.Compare(provider.Name(a.Provider), provider.Name(b.Provider))
		})
	case sortOldest:
		slices.SortStableFunc(m.shown, func(a, b vault.Entry) int { return a.LastRotated().Compare(b.LastRotated()) })
	case sortCheck:
		sortByCheck(m.shown)
	}
}
