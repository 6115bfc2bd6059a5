package vault

import (
	"cmp"
	"slices"
	"strings"

	"keyshelf/vault/provider"
)

// searchKey holds an entry's text, lower-cased once, for fast filtering.
type searchKey struct {
	name  string // lower-case name
	other string // provider id and name, tags
	notes string
}

func (v *Vault) searchIndex() []searchKey {
	if v.index != nil && len(v.index) == len(v.doc.entries) {
		return v.index
	}
	idx := make([]searchKey, len(v.doc.entries))
	for i, e := range v.doc.entries {
		idx[i] = searchKey{
			name:  strings.ToLower(e.Name),
			other: strings.ToLower(e.Provider + " " + provider.Name(e.Provider) + " " + strings.Join(e.Tags, " ") + " " + e.EnvName),
			notes: strings.ToLower(e.Notes),
		}
	}
	v.index = idx
	return idx
}

// Match ranks: lower is better.
const (
	rankNamePrefix = iota // the name starts with the query
	rankNameWord          // a word of the name starts with the query
	rankName              // the name contains the query
	rankOther             // the provider, a tag or the environment variable name contains it
	rankNotes             // the notes contain it
	noMatch
)

func rank(k *searchKey, q string) int {
	switch i := strings.Index(k.name, q); {
	case i == 0:
		return rankNamePrefix
	case i > 0:
		for j := i; j >= 0; j = nextIndex(k.name, q, j+1) {
			if isWordStart(k.name, j) {
				return rankNameWord
			}
		}
		return rankName
	}
	if strings.Contains(k.other, q) {
		return rankOther
	}
	if strings.Contains(k.notes, q) {
		return rankNotes
	}
	return noMatch
}

func nextIndex(s, sub string, from int) int {
	if from >= len(s) {
		return -1
	}
	i := strings.Index(s[from:], sub)
	if i < 0 {
		return -1
	}
	return from + i
}

func isWordStart(s string, i int) bool {
	c := s[i-1]
	return c == ' ' || c == '-' || c == '_' || c == '.' || c == '/' || c == '(' || c == ':'
}

// Search returns the entries matching query, best first: a name starting with
// it, then a word of the name starting with it, then the name containing it,
// then provider or tags, then notes; ties by name. Each word of the query must
// match. An empty query returns every entry, sorted by name. Like List, it
// leaves out each entry's History and Log, which can be long: Get has them.
func (v *Vault) Search(query string) []Entry {
	return v.AppendSearch(nil, query)
}

// AppendSearch is Search appending to dst, which it may reuse: a window that
// searches on every keystroke passes its last result (as dst[:0]) instead of
// allocating a new slice of every entry each time. Entries of dst past the
// result are zeroed, so that the slice keeps nothing the vault dropped.
func (v *Vault) AppendSearch(dst []Entry, query string) []Entry {
	terms := strings.Fields(strings.ToLower(query))
	v.mu.Lock()
	defer v.mu.Unlock()
	idx := v.searchIndex()
	hits := v.hits[:0]
	if cap(hits) < len(idx) {
		hits = make([]searchHit, 0, len(idx))
	}
	for i := range idx {
		best := noMatch
		for n, t := range terms {
			r := rank(&idx[i], t)
			if r == noMatch {
				best = noMatch
				break
			}
			if n == 0 || r < best {
				best = r
			}
		}
		if len(terms) == 0 {
			best = 0
		}
		if best != noMatch {
			hits = append(hits, searchHit{i, best})
		}
	}
	slices.SortFunc(hits, func(a, b searchHit) int {
		if c := cmp.Compare(a.rank, b.rank); c != 0 {
			return c
		}
		if c := cmp.Compare(idx[a.i].name, idx[b.i].name); c != 0 {
			return c
		}
		return cmp.Compare(a.i, b.i) // the same name: in the order added
	})
	v.hits = hits
	out := slices.Grow(dst, len(hits))
	for _, h := range hits {
		out = append(out, v.doc.entries[h.i].summary())
	}
	clear(out[len(out):cap(out)])
	return out
}

// searchHit is an entry of the search index that matched, and how well.
type searchHit struct{ i, rank int }
