package gui

import (
	"errors"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"keyshelf/vault"
	"keyshelf/vault/lifecycle"
)

// record adds an event to the entry's access log in the background (it
// saves the vault). A read-only or locked vault records nothing; any other
// failure is said in the status bar, since the action itself succeeded.
func (u *UI) record(id string, a vault.Action, src vault.Source, detail string) {
	u.recordMany([]string{id}, a, src, detail)
}

// recordMany is record for several entries, with one save.
func (u *UI) recordMany(ids []string, a vault.Action, src vault.Source, detail string) {
	v := u.v
	if v == nil || v.ReadOnly() {
		return
	}
	u.cfg.Go(func() {
		var err error
		if len(ids) == 1 {
			err = v.Record(ids[0], a, src, detail)
		} else {
			err = v.RecordMany(ids, a, src, detail)
		}
		if err == nil || errors.Is(err, vault.ErrClosed) || errors.Is(err, vault.ErrNotFound) || errors.Is(err, vault.ErrReadOnly) {
			return
		}
		fyne.Do(func() {
			if u.main != nil && u.v == v {
				u.main.setStatus("Could not add to the access log: " + u.userMessage(err))
			}
		})
	})
}

// loc is the time zone the rotation and expiry rules are judged in.
var loc = time.Local

// attentionText is the age column: the key's age, and why it needs
// attention, in words and colour (amber soon, red overdue or expired).
func attentionText(e *vault.Entry, defaultDays int, now time.Time) (string, widget.Importance) {
	a := e.Attention(defaultDays, now, loc)
	days := age(now, e.LastRotated())
	switch a {
	case lifecycle.Exposed:
		return "exposed", widget.DangerImportance
	case lifecycle.Expired:
		return "expired", widget.DangerImportance
	case lifecycle.RotateOverdue:
		return days + " · overdue", widget.DangerImportance
	case lifecycle.Expiring:
		return "expires " + strconv.Itoa(max(lifecycle.DaysUntil(now, *e.Expires, loc), 0)) + " d", widget.WarningImportance
	case lifecycle.RotateSoon:
		return days + " · soon", widget.WarningImportance
	}
	return days, widget.MediumImportance
}

// attentionWords explains an attention state in a sentence part.
func attentionWords(e *vault.Entry, defaultDays int, now time.Time) string {
	switch e.Attention(defaultDays, now, loc) {
	case lifecycle.Exposed:
		x := e.Exposed[len(e.Exposed)-1]
		return "exposed (" + x.Where + ", " + daysAgo(int(now.Sub(x.When).Hours()/24)) + "): rotate it"
	case lifecycle.Expired:
		return "expired " + daysAgo(-lifecycle.DaysUntil(now, *e.Expires, loc))
	case lifecycle.RotateOverdue:
		return "rotation overdue by " + plural(-lifecycle.DaysUntil(now, e.RotationDue(defaultDays, loc), loc), "day")
	case lifecycle.Expiring:
		return "expires in " + plural(lifecycle.DaysUntil(now, *e.Expires, loc), "day")
	case lifecycle.RotateSoon:
		return "rotation due in " + plural(lifecycle.DaysUntil(now, e.RotationDue(defaultDays, loc), loc), "day")
	}
	return ""
}

func daysAgo(n int) string {
	if n <= 0 {
		return "today"
	}
	return plural(n, "day") + " ago"
}
