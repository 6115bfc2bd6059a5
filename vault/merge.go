package vault

import (
	"bytes"
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/go-json-experiment/json/jsontext"

	"keyshelf/vault/check"
)

// The merge of two copies of a vault (one computer's and another's, or a
// sync service's conflict copy), entry by entry, by entry id. The rules,
// modelled on KeePassXC's merge:
//
//   - An entry in one copy only is kept, unless the other copy deleted it
//     (a Tombstone) and it last changed before the deletion; an entry
//     changed after its deletion (or in the same second) is kept, and the
//     deletion forgotten.
//   - An entry in both copies takes everything the user sets from the copy
//     changed last (Entry.ChangedAt; a tie goes to the larger content, so
//     the result does not depend on which copy is which). The other copy's
//     key, when it differs, joins the history: no value is lost.
//   - Histories, access logs and exposed marks are united; the newer check
//     of the current key is kept.
//   - Two entries that end up with the same name both stay; the one created
//     later is renamed "NAME (2)".
//   - Vault-wide settings come from the copy whose settings changed last;
//     fields this build does not know are kept from both.
//
// The merge is pure: it reads two documents and returns a third. merge(a,
// b) and merge(b, a) give the same document; only the reports differ.

// MergeReport says what merging another copy changed in this one, by entry
// name (as the names are after the merge).
type MergeReport struct {
	// Added are the entries that came from the other copy.
	Added []string
	// Updated are the entries the other copy changed last: they now read as
	// there.
	Updated []string
	// Combined are the entries changed in both copies: the one changed last
	// is current, and the other key, if different, is in the history.
	Combined []string
	// Deleted are the entries the other copy deleted.
	Deleted []string
	// Revived are the entries one copy deleted that the other changed
	// later: they are kept.
	Revived []string
	// Renamed are the entries renamed because two had the same name.
	Renamed []Rename
	// Settings is set when the vault-wide settings came from the other copy.
	Settings bool
}

// Rename is an entry renamed by a merge.
type Rename struct{ From, To string }

// Empty reports whether the merge changed nothing here.
func (r MergeReport) Empty() bool {
	return len(r.Added)+len(r.Updated)+len(r.Combined)+len(r.Deleted)+len(r.Revived)+len(r.Renamed) == 0 && !r.Settings
}

// String is the report in a few words: "2 added, 1 updated".
func (r MergeReport) String() string {
	if r.Empty() {
		return "no changes"
	}
	var b []byte
	part := func(n int, what string) {
		if n == 0 {
			return
		}
		if len(b) > 0 {
			b = append(b, ", "...)
		}
		b = strconv.AppendInt(b, int64(n), 10)
		b = append(b, ' ')
		b = append(b, what...)
	}
	part(len(r.Added), "added")
	part(len(r.Updated), "updated")
	part(len(r.Combined), "changed on both sides (both values kept)")
	part(len(r.Deleted), "deleted")
	part(len(r.Revived), "kept though deleted (changed after the deletion)")
	part(len(r.Renamed), "renamed (same name)")
	if r.Settings {
		if len(b) > 0 {
			b = append(b, ", "...)
		}
		b = append(b, "settings updated"...)
	}
	return string(b)
}

// ChangedAt is when anything the user sets in the entry last changed: the
// later of Changed and Updated (a build from before Changed keeps the field
// as it found it while its edits move Updated).
func (e Entry) ChangedAt() time.Time {
	if e.Updated.After(e.Changed) {
		return e.Updated
	}
	return e.Changed
}

// mergeDocs merges other into local at now (the time a renamed entry gets
// as its change). The report is from local's side.
func mergeDocs(local, other document, now time.Time) (document, MergeReport) {
	var rep MergeReport
	type pair struct{ l, o *Entry }
	pairs := make(map[string]*pair, len(local.entries)+len(other.entries))
	for i := range local.entries {
		e := &local.entries[i]
		pairs[e.ID] = &pair{l: e}
	}
	for i := range other.entries {
		e := &other.entries[i]
		if p, ok := pairs[e.ID]; ok {
			p.o = e
		} else {
			pairs[e.ID] = &pair{o: e}
		}
	}
	tombs := map[string]time.Time{}
	for _, d := range [][]Tombstone{local.deleted, other.deleted} {
		for _, t := range d {
			if old, ok := tombs[t.ID]; !ok || t.Time.After(old) {
				tombs[t.ID] = t.Time
			}
		}
	}

	// The entries, and what happened to each from local's side.
	merged := make([]Entry, 0, len(pairs))
	why := map[string]outcome{}
	var deleted []string
	for id, p := range pairs {
		var m Entry
		switch {
		case p.l != nil && p.o != nil && sameJSON(*p.l, *p.o):
			m = p.l.clone() // the usual case: unchanged on both sides
			why[id] = same
		case p.l != nil && p.o != nil:
			m = mergeEntry(*p.l, *p.o)
		case p.l != nil:
			m = mergeEntry(*p.l, *p.l) // in the same order as a merged one
		default:
			m = mergeEntry(*p.o, *p.o)
		}
		if t, dead := tombs[id]; dead {
			if m.ChangedAt().Before(t) { // a tie keeps the key: nothing is lost
				if p.l != nil {
					deleted = append(deleted, p.l.Name)
				}
				continue
			}
			delete(tombs, id) // changed after the deletion: kept
			if p.l == nil {
				why[id] = revived // deleted here, changed there later
			}
		}
		if _, ok := why[id]; !ok {
			why[id] = judge(m, p.l, p.o)
		}
		merged = append(merged, m)
	}
	slices.SortFunc(merged, func(a, b Entry) int {
		if c := a.Created.Compare(b.Created); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	rep.Renamed = renameClashes(merged, now)
	for _, m := range merged {
		switch why[m.ID] {
		case added:
			rep.Added = append(rep.Added, m.Name)
		case updated:
			rep.Updated = append(rep.Updated, m.Name)
		case combined:
			rep.Combined = append(rep.Combined, m.Name)
		case revived:
			rep.Revived = append(rep.Revived, m.Name)
		}
	}
	slices.Sort(deleted)
	rep.Deleted = deleted

	out := document{entries: merged}
	for id, t := range tombs {
		out.deleted = append(out.deleted, Tombstone{ID: id, Time: t})
	}
	slices.SortFunc(out.deleted, func(a, b Tombstone) int {
		if c := a.Time.Compare(b.Time); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	if n := len(out.deleted) - MaxTombstones; n > 0 {
		out.deleted = slices.Delete(out.deleted, 0, n)
	}

	// Vault-wide settings from the copy changed last; a tie goes to the
	// larger value, so that the order of the copies does not matter.
	c := other.changed.Compare(local.changed)
	if c == 0 {
		c = cmp.Compare(other.rotationDays, local.rotationDays)
	}
	if c > 0 {
		out.rotationDays, out.changed = other.rotationDays, other.changed
		out.extra = unionExtra(other.extra, local.extra, false)
	} else {
		out.rotationDays, out.changed = local.rotationDays, local.changed
		out.extra = unionExtra(local.extra, other.extra, c == 0)
	}
	rep.Settings = out.rotationDays != local.rotationDays
	out.retired = slices.Compact(slices.Sorted(slices.Values(slices.Concat(local.retired, other.retired))))
	if n := len(out.retired) - MaxRetired; n > 0 {
		out.retired = out.retired[n:]
	}
	return out, rep
}

// outcome is what a merge did to one entry, from the local copy's side.
type outcome int

const (
	same     outcome = iota // nothing the user sets (a log line or a check may have come in)
	added                   // the entry came from the other copy
	updated                 // the other copy's change won
	combined                // both copies changed it: both keys are kept
	revived                 // deleted here, but changed there after the deletion
)

// judge says what merging made of local entry l (nil when new) and other
// entry o (nil when local only) as m.
func judge(m Entry, l, o *Entry) outcome {
	switch {
	case l == nil:
		return added
	case o == nil || sameMain(m, *l) && (o.Secret == m.Secret || holds(l.History, o.Secret)):
		return same
	case sameMain(m, *l):
		return combined // local won, and the other copy's key joined the history
	case l.Secret == m.Secret || holds(o.History, l.Secret):
		return updated // the other copy had seen this one's key
	}
	return combined
}

func holds(hist []OldSecret, secret string) bool {
	return slices.ContainsFunc(hist, func(h OldSecret) bool { return h.Secret == secret })
}

// unionExtra is win's unknown fields and those of other that win lacks. A
// field both hold with different values is win's or, when tie is set (no
// side won), the larger value's, so that the order does not matter.
func unionExtra(win, other map[string]jsontext.Value, tie bool) map[string]jsontext.Value {
	if len(win)+len(other) == 0 {
		return nil
	}
	out := maps.Clone(win)
	if out == nil {
		out = map[string]jsontext.Value{}
	}
	for k, v := range other {
		if w, ok := out[k]; !ok || tie && bytes.Compare(v, w) > 0 {
			out[k] = v
		}
	}
	return out
}

// addTombstone records a deletion in deleted (a new slice), replacing an
// older one of the same id and keeping at most MaxTombstones.
func addTombstone(deleted []Tombstone, t Tombstone) []Tombstone {
	out := slices.DeleteFunc(slices.Clone(deleted), func(o Tombstone) bool { return o.ID == t.ID })
	out = append(out, t)
	if n := len(out) - MaxTombstones; n > 0 {
		out = slices.Delete(out, 0, n)
	}
	return out
}

// mergeEntry merges two versions of one entry (the same id).
func mergeEntry(a, b Entry) Entry {
	w, l := a, b
	if winsOver(b, a) {
		w, l = b, a
	}
	m := w.clone()
	if l.Created.Before(m.Created) {
		m.Created = l.Created
	}
	if l.ExposedCleared.After(m.ExposedCleared) {
		m.ExposedCleared = l.ExposedCleared
	}
	m.extra = unionExtra(w.extra, l.extra, false)

	// Every value either side held: the winner's key is current; the other
	// key and both histories make the history.
	hist := slices.Concat(w.History, l.History)
	if l.Secret != m.Secret {
		until := w.ChangedAt()
		if from := l.LastRotated(); until.Before(from) {
			until = from
		}
		hist = append(hist, OldSecret{Secret: l.Secret, From: l.LastRotated(), Until: until})
	}
	m.History = uniteHistory(hist, m.Secret)

	m.Log = uniteLog(w.Log, l.Log)

	// The newer check of the current key (and of the same provider and
	// address); a check of another key is no check of this one.
	if l.LastCheck != nil && sameCheck(l, m) && l.Secret == m.Secret &&
		(m.LastCheck == nil || newerCheck(*l.LastCheck, *m.LastCheck)) {
		r := *l.LastCheck
		m.LastCheck = &r
	}

	// Exposed marks of either side, but none from before the key's last
	// rotation or before the user last cleared them.
	var ex []Exposure
	for _, x := range slices.Concat(w.Exposed, l.Exposed) {
		if x.When.Before(m.LastRotated()) || !x.When.After(m.ExposedCleared) && !m.ExposedCleared.IsZero() {
			continue
		}
		if i := slices.IndexFunc(ex, func(y Exposure) bool { return y.Where == x.Where }); i >= 0 {
			if x.When.Before(ex[i].When) {
				ex[i].When = x.When
			}
			continue
		}
		ex = append(ex, x)
	}
	slices.SortFunc(ex, func(x, y Exposure) int {
		if c := x.When.Compare(y.When); c != 0 {
			return c
		}
		return cmp.Compare(x.Where, y.Where)
	})
	if n := len(ex) - MaxExposed; n > 0 {
		ex = ex[n:]
	}
	m.Exposed = ex
	return m
}

// winsOver reports whether b's user-set fields win over a's: b changed
// later, or at the same second with the larger content.
func winsOver(b, a Entry) bool {
	if c := b.ChangedAt().Compare(a.ChangedAt()); c != 0 {
		return c > 0
	}
	return bytes.Compare(mainJSON(b), mainJSON(a)) > 0
}

// mainJSON is e as stored without its bookkeeping (history, log, check,
// exposed marks): what the user set.
func mainJSON(e Entry) []byte {
	e.History, e.Log, e.LastCheck, e.Exposed, e.ExposedCleared = nil, nil, nil, nil, time.Time{}
	return e.appendJSON(nil)
}

func sameMain(a, b Entry) bool { return bytes.Equal(mainJSON(a), mainJSON(b)) }

func sameJSON(a, b Entry) bool { return bytes.Equal(a.appendJSON(nil), b.appendJSON(nil)) }

// uniteHistory is the earlier values in hist once each (the widest dates),
// without current, oldest first, at most MaxStoredHistory (the newest).
func uniteHistory(hist []OldSecret, current string) []OldSecret {
	var out []OldSecret
	for _, h := range hist {
		if h.Secret == current {
			continue
		}
		if i := slices.IndexFunc(out, func(o OldSecret) bool { return o.Secret == h.Secret }); i >= 0 {
			if h.From.Before(out[i].From) {
				out[i].From = h.From
			}
			if h.Until.After(out[i].Until) {
				out[i].Until = h.Until
			}
			continue
		}
		out = append(out, h)
	}
	slices.SortFunc(out, func(x, y OldSecret) int {
		if c := x.Until.Compare(y.Until); c != 0 {
			return c
		}
		if c := x.From.Compare(y.From); c != 0 {
			return c
		}
		return cmp.Compare(x.Secret, y.Secret)
	})
	if n := len(out) - MaxStoredHistory; n > 0 {
		out = out[n:]
	}
	return out
}

// uniteLog is the events of a and b, oldest first, at most MaxLog (the
// newest). An event in both is there once; an event that one side logged
// twice in a second (two copies) stays twice: the union of the two logs as
// multisets.
func uniteLog(a, b []Event) []Event {
	order := func(x, y Event) int {
		if c := x.Time.Compare(y.Time); c != 0 {
			return c
		}
		return cmp.Or(cmp.Compare(x.Action, y.Action), cmp.Compare(x.Source, y.Source), cmp.Compare(x.Detail, y.Detail))
	}
	a, b = slices.SortedStableFunc(slices.Values(a), order), slices.SortedStableFunc(slices.Values(b), order)
	all := make([]Event, 0, max(len(a), len(b)))
	for len(a) > 0 || len(b) > 0 {
		switch {
		case len(b) == 0:
			all, a = append(all, a...), nil
		case len(a) == 0:
			all, b = append(all, b...), nil
		default:
			switch c := order(a[0], b[0]); {
			case c == 0:
				all, a, b = append(all, a[0]), a[1:], b[1:]
			case c < 0:
				all, a = append(all, a[0]), a[1:]
			default:
				all, b = append(all, b[0]), b[1:]
			}
		}
	}
	if n := len(all) - MaxLog; n > 0 {
		all = all[n:]
	}
	if len(all) == 0 {
		return nil
	}
	return all
}

// newerCheck reports whether a is the newer check of the two (a tie goes
// to the larger outcome and detail, for an order-free result).
func newerCheck(a, b check.Result) bool {
	if c := a.Checked.Compare(b.Checked); c != 0 {
		return c > 0
	}
	return cmp.Or(cmp.Compare(a.Outcome, b.Outcome), cmp.Compare(a.Detail, b.Detail), cmp.Compare(a.Account, b.Account),
		cmp.Compare(a.Scopes, b.Scopes), cmp.Compare(a.Credit, b.Credit), a.Expires.Compare(b.Expires)) > 0
}

// renameClashes gives each entry after the first (in the order of entries)
// that has a name already taken, case-insensitively, a free name "NAME
// (2)", "NAME (3)", …, logged as an edit at now.
func renameClashes(entries []Entry, now time.Time) []Rename {
	taken := make(map[string]bool, len(entries))
	for _, e := range entries {
		taken[nameKey(e.Name)] = true
	}
	seen := make(map[string]bool, len(entries))
	var out []Rename
	for i := range entries {
		e := &entries[i]
		k := nameKey(e.Name)
		if !seen[k] {
			seen[k] = true
			continue
		}
		var name string
		for n := 2; ; n++ {
			suffix := fmt.Sprintf(" (%d)", n)
			base := []rune(e.Name)
			base = base[:min(len(base), MaxNameLen-len(suffix))]
			if name = string(base) + suffix; !taken[nameKey(name)] {
				break
			}
		}
		taken[nameKey(name)], seen[nameKey(name)] = true, true
		out = append(out, Rename{From: e.Name, To: name})
		e.Name = name
		// Just after its own last change, so that the renamed entry wins
		// over the unrenamed one elsewhere, but not over a deletion there
		// (now would be later than any).
		e.Changed = e.ChangedAt().Add(time.Second)
		e.appendEvent(Event{Time: now, Action: ActionEdited, Source: SourceSync, Detail: "renamed: another key had the same name"})
	}
	return out
}
