package vault

import (
	"fmt"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"keyshelf/vault/lifecycle"
)

// Bounds that keep a vault from growing without end.
const (
	// MaxHistory is how many earlier values of a key a rotation keeps.
	MaxHistory = 10
	// MaxStoredHistory is how many earlier values a vault file may hold per
	// key: a merge unites two histories and drops no value (up to this), so
	// a merged key may hold more than MaxHistory until its next rotation.
	MaxStoredHistory = 100
	// MaxLog is how many access log events are kept per entry; the oldest
	// are dropped first.
	MaxLog = 200
	// MaxUsedBy bounds the "used by" list.
	MaxUsedBy = 50
)

// OldSecret is an earlier value of a key, from when it was set until it was
// replaced.
type OldSecret struct {
	Secret string
	From   time.Time // when this value was set (UTC)
	Until  time.Time // when it was replaced (UTC)
}

// Action is what an access log event records.
type Action string

// The actions in an entry's access log.
const (
	ActionCopied   Action = "copied"
	ActionRevealed Action = "revealed"
	ActionTested   Action = "tested"
	ActionRotated  Action = "rotated"
	ActionEdited   Action = "edited"
	ActionExported Action = "exported"
	ActionRestored Action = "restored" // an old value put back from history
)

// Source is where an action came from.
type Source string

// The sources of access log events.
const (
	SourceWindow  Source = "window"
	SourceTray    Source = "tray"
	SourceCommand Source = "command line"
	SourceSync    Source = "sync" // a merge with another computer's copy
)

// Event is one line of an entry's access log. Detail never holds a key.
type Event struct {
	Time   time.Time
	Action Action
	Source Source
	Detail string // e.g. a check's outcome
}

// LastRotated is when the key got its current value: its last rotation, or
// its creation.
func (e Entry) LastRotated() time.Time {
	if e.Rotated.IsZero() {
		return e.Created
	}
	return e.Rotated
}

// IntervalDays is the entry's rotation interval given the vault's default:
// 0 or less means never.
func (e Entry) IntervalDays(defaultDays int) int {
	switch {
	case e.RotationDays < 0:
		return 0
	case e.RotationDays > 0:
		return e.RotationDays
	}
	return defaultDays
}

// RotationDue is when the key falls due for rotation (zero: never), judged
// in loc.
func (e Entry) RotationDue(defaultDays int, loc *time.Location) time.Time {
	return lifecycle.RotationDue(e.LastRotated(), e.IntervalDays(defaultDays), loc)
}

// Attention says whether the key needs looking at, at now in loc.
func (e Entry) Attention(defaultDays int, now time.Time, loc *time.Location) lifecycle.Attention {
	if len(e.Exposed) > 0 {
		return lifecycle.Exposed
	}
	return lifecycle.Assess(lifecycle.Key{LastRotated: e.LastRotated(), IntervalDays: e.IntervalDays(defaultDays), Expires: e.Expires}, now, loc)
}

// RotationDays is the vault's default rotation interval in days.
func (v *Vault) RotationDays() int {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.doc.rotationDays > 0 {
		return v.doc.rotationDays
	}
	return lifecycle.DefaultIntervalDays
}

// SetRotationDays sets the vault's default rotation interval and saves.
func (v *Vault) SetRotationDays(days int) error {
	if days < 1 || days > lifecycle.MaxIntervalDays {
		return fmt.Errorf("the rotation interval must be from 1 to %d days", lifecycle.MaxIntervalDays)
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if err := v.usable(); err != nil {
		return err
	}
	old, oldChanged := v.doc.rotationDays, v.doc.changed
	v.doc.rotationDays = days
	if days == lifecycle.DefaultIntervalDays {
		v.doc.rotationDays = 0
	}
	if v.doc.rotationDays == old {
		return nil
	}
	v.doc.changed = v.now()
	if err := v.save(); err != nil {
		v.doc.rotationDays, v.doc.changed = old, oldChanged
		return err
	}
	return nil
}

// NeedsAttention returns the entries that need attention at now (in loc),
// most urgent first, then by name.
func (v *Vault) NeedsAttention(now time.Time, loc *time.Location) []Entry {
	days := v.RotationDays()
	rank := map[lifecycle.Attention]int{lifecycle.Exposed: -1, lifecycle.Expired: 0, lifecycle.RotateOverdue: 1, lifecycle.Expiring: 2, lifecycle.RotateSoon: 3}
	var out []Entry
	for _, e := range v.List() {
		if e.Attention(days, now, loc) != lifecycle.None {
			out = append(out, e)
		}
	}
	slices.SortStableFunc(out, func(a, b Entry) int {
		return rank[a.Attention(days, now, loc)] - rank[b.Attention(days, now, loc)]
	})
	return out
}

// appendEvent adds ev to e's log, dropping the oldest beyond MaxLog.
func (e *Entry) appendEvent(ev Event) {
	e.Log = append(slices.Clip(e.Log), ev)
	if n := len(e.Log) - MaxLog; n > 0 {
		e.Log = slices.Clone(e.Log[n:])
	}
}

// Record adds an event to the access log of the entry with id and saves.
// The time is the vault's clock. A read-only vault records nothing and says
// so with ErrReadOnly.
func (v *Vault) Record(id string, action Action, src Source, detail string) error {
	_, err := v.change(id, func(e *Entry) error {
		e.appendEvent(Event{Time: v.now(), Action: action, Source: src, Detail: detail})
		v.logOnly = true // keep the backup of the last real change
		return nil
	})
	return err
}

// Rotate gives the entry with id a new key. The old value goes into the
// history with its dates, the age starts again, the last check is dropped
// (it was of the old key) and the rotation is logged. The new key is
// trimmed like any pasted key; it must differ from the current one.
func (v *Vault) Rotate(id, newSecret string, src Source) (Result, error) {
	secret, trimmed := CleanSecret(newSecret)
	if err := checkSecret(secret); err != nil {
		return Result{}, err
	}
	e, err := v.change(id, func(e *Entry) error {
		if e.Secret == secret {
			return ErrSameSecret
		}
		v.replaceSecret(e, secret, ActionRotated, src)
		return nil
	})
	if err != nil {
		return Result{}, err
	}
	return Result{Entry: e, SecretTrimmed: trimmed}, nil
}

// RestoreOld puts back the earlier value at index n of the entry's history
// (the current value joins the history). The restored key keeps its own
// age: it counts from when that value was first set.
func (v *Vault) RestoreOld(id string, n int, src Source) (Entry, error) {
	return v.change(id, func(e *Entry) error {
		if n < 0 || n >= len(e.History) {
			return fmt.Errorf("%w: no earlier value %d", ErrNotFound, n)
		}
		old := e.History[n]
		if old.Secret == e.Secret {
			return ErrSameSecret
		}
		e.History = slices.Delete(e.History, n, n+1)
		v.replaceSecret(e, old.Secret, ActionRestored, src)
		// The key put back is as old as it was: its age does not start again.
		e.Rotated = old.From
		return nil
	})
}

// replaceSecret moves e's current key into its history and sets secret.
func (v *Vault) replaceSecret(e *Entry, secret string, why Action, src Source) {
	now := v.now()
	e.History = append(e.History, OldSecret{Secret: e.Secret, From: e.LastRotated(), Until: now})
	if n := len(e.History) - MaxHistory; n > 0 {
		e.History = slices.Clone(e.History[n:])
	}
	e.Secret = secret
	e.Rotated, e.Updated, e.Changed = now, now, now
	e.LastCheck = nil
	e.Exposed = nil // the exposed value is gone
	e.appendEvent(Event{Time: now, Action: why, Source: src})
}

// importedHistory is a new entry's earlier values from a Draft: see
// Draft.History. Times are clamped into [created, now], and From is never
// after Until. rotated is the newest kept value's Until when the draft
// gave it (when the current value was set), else zero.
func importedHistory(in []OldSecret, current string, created, now time.Time) (out []OldSecret, rotated time.Time, err error) {
	seen := map[string]bool{current: true}
	var known []bool
	for _, h := range in {
		if h.Secret == "" || seen[h.Secret] {
			continue
		}
		if !utf8.ValidString(h.Secret) {
			return nil, time.Time{}, fmt.Errorf("an earlier value %w", ErrNotText)
		}
		seen[h.Secret] = true
		from, until := created, now
		if !h.From.IsZero() {
			from = within(clampTime(h.From), created, now)
		}
		if !h.Until.IsZero() {
			until = within(clampTime(h.Until), created, now)
		}
		if from.After(until) {
			from = until
		}
		out = append(out, OldSecret{Secret: h.Secret, From: from, Until: until})
		known = append(known, !h.Until.IsZero())
	}
	if n := len(out); n > 0 && known[n-1] {
		rotated = out[n-1].Until
	}
	return out[max(0, len(out)-MaxHistory):], rotated, nil
}

// within is t moved into [lo, hi].
func within(t, lo, hi time.Time) time.Time {
	switch {
	case t.Before(lo):
		return lo
	case t.After(hi):
		return hi
	}
	return t
}

// cleanUsedBy trims the "used by" list, drops empty and repeated places and
// bounds its length.
func cleanUsedBy(places []string) ([]string, error) {
	out := cleanTags(places)
	if len(out) > MaxUsedBy {
		return nil, fmt.Errorf("the \"used by\" list has %d places; the limit is %d", len(out), MaxUsedBy)
	}
	return out, nil
}

// decodeLifecycle copies the rotation, expiry, history and log fields.
func decodeLifecycle(e *Entry, w *wireEntry) {
	e.RotationDays = w.Rotation
	if !w.Rotated.IsZero() {
		e.Rotated = clampTime(w.Rotated)
	}
	if w.Expires != nil {
		t := clampTime(*w.Expires)
		e.Expires = &t
	}
	e.UsedBy = w.UsedBy
	// Another writer may have stored more than this build keeps: keep the
	// newest, as appending would.
	hist := w.History[max(0, len(w.History)-MaxStoredHistory):]
	for _, h := range hist {
		e.History = append(e.History, OldSecret{Secret: h.Secret, From: clampTime(h.From), Until: clampTime(h.Until)})
	}
	events := w.Log[max(0, len(w.Log)-MaxLog):]
	for _, ev := range events {
		e.Log = append(e.Log, Event{Time: clampTime(ev.Time), Action: Action(ev.Action), Source: Source(ev.Source), Detail: ev.Detail})
	}
	for _, x := range w.Exposed[max(0, len(w.Exposed)-MaxExposed):] {
		e.Exposed = append(e.Exposed, Exposure{Where: x.Where, When: clampTime(x.When)})
	}
	e.ExposedCleared = clampZero(w.Cleared)
	e.Changed = clampZero(w.Changed)
}

func appendTime(b []byte, name string, t time.Time) []byte {
	b = append(b, `,"`+name+`":"`...)
	b = appendRFC3339(b, t)
	return append(b, '"')
}

// appendLifecycle writes the rotation, expiry, history and log fields,
// each omitted when empty.
func (e *Entry) appendLifecycle(b []byte) []byte {
	if e.RotationDays != 0 {
		b = append(b, `,"rotation_days":`...)
		b = strconv.AppendInt(b, int64(e.RotationDays), 10)
	}
	if !e.Rotated.IsZero() {
		b = appendTime(b, "rotated", e.Rotated)
	}
	if e.Expires != nil {
		b = appendTime(b, "expires", *e.Expires)
	}
	if len(e.UsedBy) > 0 {
		b = appendStrings(b, "used_by", e.UsedBy)
	}
	if len(e.History) > 0 {
		b = append(b, `,"history":[`...)
		for i, h := range e.History {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"secret":`...)
			b = appendString(b, h.Secret)
			b = appendTime(b, "from", h.From)
			b = appendTime(b, "until", h.Until)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if len(e.Log) > 0 {
		b = append(b, `,"log":[`...)
		for i, ev := range e.Log {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"time":"`...)
			b = appendRFC3339(b, ev.Time)
			b = append(b, `","action":`...)
			b = appendString(b, string(ev.Action))
			b = append(b, `,"source":`...)
			b = appendString(b, string(ev.Source))
			if ev.Detail != "" {
				b = append(b, `,"detail":`...)
				b = appendString(b, ev.Detail)
			}
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if len(e.Exposed) > 0 {
		b = append(b, `,"exposed":[`...)
		for i, x := range e.Exposed {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"where":`...)
			b = appendString(b, x.Where)
			b = appendTime(b, "time", x.When)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if !e.ExposedCleared.IsZero() {
		b = appendTime(b, "exposed_cleared", e.ExposedCleared)
	}
	if !e.Changed.IsZero() {
		b = appendTime(b, "changed", e.Changed)
	}
	return b
}
