package gui

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"keyshelf/vault"
	"keyshelf/vault/check"
	"keyshelf/vault/provider"
)

// outcomeWords are the outcomes as the window says them.
var outcomeWords = map[check.Outcome]string{
	check.Valid:        "valid",
	check.Invalid:      "invalid",
	check.NoCredit:     "no credit",
	check.RateLimited:  "rate limited",
	check.NoPermission: "no permission",
	check.Unknown:      "could not check",
}

// outcomeImportance colours an outcome: green valid, red invalid, amber for
// a working key with a problem, grey when nothing is known. A word always
// goes with the colour.
func outcomeImportance(o check.Outcome) widget.Importance {
	switch o {
	case check.Valid:
		return widget.SuccessImportance
	case check.Invalid:
		return widget.DangerImportance
	case check.NoCredit, check.RateLimited, check.NoPermission:
		return widget.WarningImportance
	}
	return widget.LowImportance
}

// checkMark is the list's check column: "● valid · 3 d ago".
func checkMark(r *check.Result, now time.Time) (string, widget.Importance) {
	if r == nil {
		return "○ unchecked", widget.LowImportance
	}
	when := strings.TrimSuffix(ago(now, r.Checked), " ago")
	if when == "just now" {
		when = "now"
	}
	// The same words as the status bar and the details, "could not check"
	// included: one word for one outcome everywhere.
	return "● " + outcomeWords[r.Outcome] + " · " + when, outcomeImportance(r.Outcome)
}

// ago says how long ago t was, in the largest whole unit.
func ago(now, t time.Time) string {
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return strconv.Itoa(int(d/time.Minute)) + " min ago"
	case d < 24*time.Hour:
		return strconv.Itoa(int(d/time.Hour)) + " h ago"
	}
	return strconv.Itoa(int(d/(24*time.Hour))) + " d ago"
}

// describe is one line about a result for the status bar or a dialog.
func describe(name string, r check.Result) string {
	s := name + ": " + outcomeWords[r.Outcome]
	if sum := r.Summary(); sum != "" {
		s += " (" + sum + ")"
	}
	return s
}

// testEntry checks the key with id against its provider, off the UI
// goroutine, then records and shows the result.
func (m *mainView) testEntry(id string) {
	if !m.u.touch() {
		return
	}
	e, ok := m.u.v.Get(id)
	if !ok || m.testing[id] {
		return
	}
	v := m.u.v
	m.testing[id] = true
	m.list.Refresh()
	m.setStatus("Testing \"" + e.Name + "\"…")
	ctx, cancel := m.track()
	m.u.cfg.Go(func() {
		r := m.u.checker.Check(ctx, e.Target())
		fyne.Do(func() {
			cancel()
			if m.u.v != v || m.u.main != m {
				return // locked meanwhile: the result goes nowhere
			}
			delete(m.testing, id)
			if err := v.RecordCheck(e, r); err != nil && !errors.Is(err, vault.ErrStaleCheck) &&
				!errors.Is(err, vault.ErrNotChecked) && !errors.Is(err, vault.ErrNotFound) && !errors.Is(err, vault.ErrReadOnly) {
				m.u.showError(err)
			}
			m.reload(m.selectedID())
			if !r.Cancelled() {
				m.setStatus(describe(e.Name, r))
			}
		})
	})
}

// testAll checks every key shown (all keys when the search is empty), a few
// at a time, with a progress bar and Cancel.
func (m *mainView) testAll() {
	if m.u.modal || len(m.shown) == 0 || !m.u.touch() {
		return
	}
	v := m.u.v
	entries := make([]vault.Entry, len(m.shown))
	copy(entries, m.shown)
	targets := make([]check.Target, len(entries))
	for i, e := range entries {
		targets[i] = e.Target()
	}
	ctx, cancel := m.track()

	bar := widget.NewProgressBar()
	bar.Max = float64(len(targets))
	label := widget.NewLabel("Testing " + plural(len(targets), "key") + "…")
	stop := widget.NewButton("Cancel", cancel)
	d := dialog.NewCustomWithoutButtons("Test all", container.NewVBox(label, bar), m.u.win)
	d.SetButtons([]fyne.CanvasObject{stop})
	d.Resize(fyne.NewSize(420, 160))
	m.u.modal = true
	m.u.show(d, func() { cancel(); m.u.modal = false })

	m.u.cfg.Go(func() {
		results := m.u.checker.CheckAll(ctx, targets, check.DefaultConcurrency, func(done, total int) {
			fyne.Do(func() { bar.SetValue(float64(done)) })
		})
		fyne.Do(func() {
			cancel()
			if m.u.v != v || m.u.main != m {
				return
			}
			m.u.modal = false
			d.Hide()
			if _, err := v.RecordChecks(entries, results); err != nil && !errors.Is(err, vault.ErrReadOnly) {
				if errors.Is(err, vault.ErrSave) {
					m.u.saveFailed(err, func() { _, _ = v.RecordChecks(entries, results); m.reload("") })
				} else {
					m.u.showError(err)
				}
			}
			m.reload(m.selectedID())
			m.setStatus(tally(results))
		})
	})
}

// tally sums up a Test all: "Tested 12 keys: 10 valid, 1 invalid, 1 could
// not check".
func tally(results []check.Result) string {
	counts := map[check.Outcome]int{}
	tested := 0
	for _, r := range results {
		if !r.Cancelled() {
			counts[r.Outcome]++
			tested++
		}
	}
	s := "Tested " + plural(tested, "key")
	if tested < len(results) {
		s += " of " + strconv.Itoa(len(results)) + " (cancelled)"
	}
	sep := ": "
	for _, o := range check.Outcomes {
		if counts[o] > 0 {
			s += sep + strconv.Itoa(counts[o]) + " " + outcomeWords[o]
			sep = ", "
		}
	}
	return s
}

// track gives a check its context; cancel ends it and forgets it, and
// stopTests cancels every check still running.
func (m *mainView) track() (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(context.Background())
	m.nextCheck++
	n := m.nextCheck
	m.cancels[n] = cancel
	return ctx, func() {
		cancel()
		delete(m.cancels, n)
	}
}

// stopTests cancels every check in flight (on lock).
func (m *mainView) stopTests() {
	for n, c := range m.cancels {
		c()
		delete(m.cancels, n)
	}
}

// openKeyPage opens the provider's page for managing the key.
func (m *mainView) openKeyPage(e vault.Entry) {
	p, ok := provider.Get(e.Provider)
	if !ok || p.KeyPage == "" {
		m.setStatus("Keyshelf does not know where " + provider.Name(e.Provider) + " keys are managed")
		return
	}
	u, err := url.Parse(p.KeyPage)
	if err != nil {
		m.u.showError(err)
		return
	}
	if err := m.u.app.OpenURL(u); err != nil {
		m.showAddress(p.Name, p.KeyPage)
	}
}

// showAddress gives the address of a key page to copy when no browser
// could be started for it (no xdg-open, say).
func (m *mainView) showAddress(name, address string) {
	addr := widget.NewEntry()
	addr.SetText(address)
	msg := widget.NewLabel("Keyshelf could not start a web browser here. Open this address in yours:")
	msg.Wrapping = fyne.TextWrapWord
	copyB := widget.NewButtonWithIcon("Copy address", theme.ContentCopyIcon(), func() {
		m.u.app.Clipboard().SetContent(address)
		m.setStatus("Copied the address of " + name + "'s key page")
	})
	d := dialog.NewCustom(name+" key page", "Close", container.NewVBox(msg, addr, container.NewHBox(copyB)), m.u.win)
	d.Resize(fyne.NewSize(520, 0))
	m.u.show(d)
}
