package vault

import (
	"cmp"
	"slices"
)

// Clash is an environment variable that more than one entry goes in.
type Clash struct {
	Variable string
	Names    []string // the entries' names, sorted
}

// Clashes lists the variables that several of entries go in (see
// Entry.Variable), sorted by variable. People keep a key per project under
// one variable, so a clash is allowed in the vault; it is reported where a
// variable must be filled from one entry (run, export, fill).
func Clashes(entries []Entry) []Clash {
	by := map[string][]string{}
	for _, e := range entries {
		if v := e.Variable(); v != "" {
			by[v] = append(by[v], e.Name)
		}
	}
	var out []Clash
	for v, names := range by {
		if len(names) > 1 {
			slices.Sort(names)
			out = append(out, Clash{Variable: v, Names: names})
		}
	}
	slices.SortFunc(out, func(a, b Clash) int { return cmp.Compare(a.Variable, b.Variable) })
	return out
}

// RecordMany adds the same event to the access log of each entry in ids,
// with one save (Record does one entry). Ids that are gone are skipped.
func (v *Vault) RecordMany(ids []string, action Action, src Source, detail string) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if err := v.usable(); err != nil {
		return err
	}
	var entries []Entry
	for _, id := range ids {
		i := v.indexOf(id)
		if i < 0 {
			continue
		}
		if entries == nil {
			entries = slices.Clone(v.doc.entries)
		}
		e := entries[i].clone()
		e.appendEvent(Event{Time: v.now(), Action: action, Source: src, Detail: detail})
		entries[i] = e
	}
	if entries == nil {
		return nil
	}
	v.logOnly = true // keep the backup of the last real change
	return v.commit(entries)
}
