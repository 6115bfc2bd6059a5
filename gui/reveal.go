package gui

import (
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"keyshelf/vault"
)

// RevealFor is how long Reveal shows a whole key.
const RevealFor = 10 * time.Second

// revealBar shows one key in full for RevealFor: in its row, and whole
// (wrapped) in a bar under the list, since long keys do not fit a row. Only
// one key is revealed at a time; locking, searching or the timer hide it.
type revealBar struct {
	m       *mainView
	content *fyne.Container
	title   *widget.Label
	key     *widget.Label
	left    *widget.Label

	id    string // the entry revealed, "" when none
	shown moment
	stop  func()
	gen   int // counts cancels: a tick already queued by an old timer is dropped
}

func newRevealBar(m *mainView) *revealBar {
	b := &revealBar{m: m}
	b.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	b.key = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	b.key.Wrapping = fyne.TextWrapBreak
	b.left = widget.NewLabel("")
	b.left.Importance = widget.LowImportance
	hide := widget.NewButtonWithIcon("Hide", theme.VisibilityOffIcon(), m.u.act(b.hide))
	b.content = container.NewBorder(nil, nil, nil, container.NewVBox(b.left, hide),
		container.NewVBox(b.title, b.key))
	b.content.Hide()
	return b
}

func (b *revealBar) showing(id string) bool { return b.id != "" && b.id == id }

// toggle reveals the entry with id, or hides it when it is the one shown.
func (b *revealBar) toggle(id string) {
	if b.showing(id) {
		b.hide()
		return
	}
	e, ok := b.m.u.v.Get(id)
	if !ok {
		return
	}
	b.cancel()
	b.m.u.record(e.ID, vault.ActionRevealed, vault.SourceWindow, "")
	b.id = e.ID
	b.title.SetText(e.Name)
	b.key.SetText(e.Secret)
	b.shown = momentOf(b.m.u.cfg.Clock.Now())
	b.content.Show()
	b.m.list.Refresh()
	b.tick()
}

// recheck hides the key now if its time is up (after a sleep), and
// otherwise restarts the countdown from the time really left.
func (b *revealBar) recheck() {
	if b.id != "" {
		b.cancel()
		b.tick()
	}
}

func (b *revealBar) tick() {
	left := RevealFor - b.shown.since(b.m.u.cfg.Clock.Now())
	if left <= 0 {
		b.hide()
		return
	}
	b.left.SetText("Hides in " + strconv.Itoa(int((left+time.Second-1)/time.Second)) + " s")
	next := left % time.Second
	if next == 0 {
		next = time.Second
	}
	gen := b.gen
	b.stop = b.m.u.cfg.Clock.AfterFunc(next, func() {
		fyne.Do(func() {
			if b.gen == gen {
				b.tick()
			}
		})
	})
}

// sync hides the key when its entry no longer holds it (rotated, restored,
// edited or deleted): the bar must never show a value the entry lost, and a
// new value is revealed only when asked. A renamed entry keeps its reveal
// under its new name.
func (b *revealBar) sync() {
	if b.id == "" {
		return
	}
	e, ok := b.m.u.v.Get(b.id)
	if !ok || e.Secret != b.key.Text {
		b.hide()
		return
	}
	if b.title.Text != e.Name {
		b.title.SetText(e.Name)
	}
}

// hide masks the key again everywhere.
func (b *revealBar) hide() {
	b.cancel()
	if b.id == "" {
		return
	}
	b.id = ""
	b.key.SetText("")
	b.title.SetText("")
	b.content.Hide()
	b.m.list.Refresh()
}

func (b *revealBar) cancel() {
	b.gen++
	if b.stop != nil {
		b.stop()
		b.stop = nil
	}
}

// toggleReveal shows the key with id in full for RevealFor, or hides it.
func (m *mainView) toggleReveal(id string) {
	if m.u.touch() {
		m.reveal.toggle(id)
	}
}
