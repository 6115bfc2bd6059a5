package cmdline

import (
	"errors"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"

	"keyshelf/vault"
	"keyshelf/vault/lifecycle"
	"keyshelf/vault/provider"
)

var errNoNewKey = errors.New(`no new key on standard input (pipe it in: printf '%s\n' "$NEW" | keyshelf rotate NAME)`)

func runRotate(r *runner, fs *flag.FlagSet, _ any) error {
	name, err := needName(fs)
	if err != nil {
		return err
	}
	v, err := r.openWritable()
	if err != nil {
		return err
	}
	defer v.Close()
	e, err := find(v, name)
	if err != nil {
		return err
	}
	secret, err := r.readSecret("New key: ")
	if err != nil {
		return err
	}
	if strings.TrimSpace(secret) == "" {
		return errNoNewKey
	}
	res, err := v.Rotate(e.ID, secret, vault.SourceCommand)
	if err != nil {
		return err
	}
	r.noteSecret(res)
	r.noteOtherShape(e.Provider, res.Entry.Secret)
	var b strings.Builder
	fmt.Fprintf(&b, "Rotated %s; the old key is kept in its history\n", res.Entry.Name)
	if len(res.Entry.UsedBy) > 0 {
		b.WriteString("Update it in:\n")
		for _, p := range res.Entry.UsedBy {
			fmt.Fprintf(&b, "  - %s\n", p)
		}
	}
	if _, err := fmt.Fprint(r.env.Stdout, b.String()); err != nil {
		return err
	}
	return v.Close()
}

// noteOtherShape warns when a new key for a key of provider is shaped
// like another provider's (a key pasted into the wrong entry). A Custom
// entry's key may have any shape.
func (r *runner) noteOtherShape(id, secret string) {
	other, _, ok := provider.Identify(secret)
	if !ok || other == id || id == provider.Custom {
		return
	}
	fmt.Fprintf(r.env.Stderr, "keyshelf: warning: the new key looks like %s key, not %s one; check that you rotated the right key\n",
		article(provider.Name(other)), article(provider.Name(id)))
}

// article puts "a" or "an" before a name, by its first letter.
func article(name string) string {
	if name != "" && strings.ContainsRune("AEIOUaeiou", rune(name[0])) {
		return "an " + name
	}
	return "a " + name
}

type dueOptions struct{ json bool }

func dueFlags(fs *flag.FlagSet) any {
	o := &dueOptions{}
	fs.BoolVar(&o.json, "json", false, "print a JSON array instead of lines")
	return o
}

// dueItem is one key in `due --json`.
type dueItem struct {
	ID          string     `json:"id"`
	Name        string     `json:"name"`
	Attention   string     `json:"attention"`
	RotationDue *time.Time `json:"rotation_due"` // null: never rotates
	Expires     *time.Time `json:"expires"`      // null: does not expire
	// Days is the calendar days from today to the date that matters (the
	// expiry for "expired" and "expiring", else the rotation due date):
	// negative when it is past.
	Days int `json:"days"`
}

// errAttention is `due`'s failure: keys need attention.
type errAttention int

func (n errAttention) Error() string {
	if n == 1 {
		return "1 key needs attention"
	}
	return strconv.Itoa(int(n)) + " keys need attention"
}

func runDue(r *runner, fs *flag.FlagSet, opts any) error {
	if err := noArgs(fs); err != nil {
		return err
	}
	v, err := r.open(true)
	if err != nil {
		return err
	}
	defer v.Close()
	days, now, loc := v.RotationDays(), r.now(), r.loc()
	entries := v.NeedsAttention(now, loc)
	items := make([]dueItem, len(entries))
	for i, e := range entries {
		it := newListItem(e, days, now, loc)
		items[i] = dueItem{ID: e.ID, Name: e.Name, Attention: it.Attention, RotationDue: it.RotationDue, Expires: it.Expires}
		if when := dueDate(it); when != nil {
			items[i].Days = lifecycle.DaysUntil(now, *when, loc)
		}
	}
	if opts.(*dueOptions).json {
		if err := r.printJSON(items); err != nil {
			return err
		}
	} else {
		if len(items) == 0 {
			_, err := fmt.Fprintln(r.env.Stdout, "Nothing needs attention")
			return err
		}
		for _, it := range items {
			if _, err := fmt.Fprintln(r.env.Stdout, dueLine(it, loc)); err != nil {
				return err
			}
		}
	}
	if len(items) > 0 {
		return errAttention(len(items))
	}
	return nil
}

// dueDate is the date that matters for it's attention.
func dueDate(it listItem) *time.Time {
	switch lifecycle.Attention(it.Attention) {
	case lifecycle.Expired, lifecycle.Expiring:
		return it.Expires
	}
	return it.RotationDue
}

// dueLine is "NAME: rotate-overdue (due 2026-03-01, 12 days ago)"; the date
// is the calendar day in loc, the one the days are counted in.
func dueLine(it dueItem, loc *time.Location) string {
	word, when := "due", it.RotationDue
	switch lifecycle.Attention(it.Attention) {
	case lifecycle.Exposed:
		return it.Name + ": exposed (found where it should not be): rotate it now"
	case lifecycle.Expired:
		word, when = "expired", it.Expires
	case lifecycle.Expiring:
		word, when = "expires", it.Expires
	}
	if when == nil {
		return it.Name + ": " + it.Attention
	}
	return fmt.Sprintf("%s: %s (%s %s, %s)", it.Name, it.Attention, word, when.In(loc).Format("2006-01-02"), inDays(it.Days))
}

// inDays says a day count in words: "today", "in 3 days", "1 day ago".
func inDays(n int) string {
	unit := func(n int) string {
		if n == 1 {
			return "1 day"
		}
		return strconv.Itoa(n) + " days"
	}
	switch {
	case n == 0:
		return "today"
	case n > 0:
		return "in " + unit(n)
	}
	return unit(-n) + " ago"
}
