package vault

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Exposure is one place a key was seen where it should not be.
type Exposure struct {
	Where string    // a file and line ("src/app.py:12"), or the user's words
	When  time.Time // when it was found (UTC)
}

// MaxExposed bounds an entry's exposures (the newest are kept), and
// MaxWhereLen the length of each Where.
const (
	MaxExposed  = 20
	MaxWhereLen = 500
)

// ActionExposed is the access log event of a key marked exposed.
const ActionExposed Action = "exposed"

// MarkExposed records that the key with id was seen at where (a leak
// scan's find: "path:line"; the user's words: "pasted in a chat"), logs it,
// and saves. The same place again is not added twice. Rotating the key
// clears the marks.
func (v *Vault) MarkExposed(id, where string, src Source) (Entry, error) {
	if strings.TrimSpace(where) == "" {
		return Entry{}, errors.New("say where the key was exposed")
	}
	if _, err := v.MarkExposedMany([]Mark{{ID: id, Where: where}}, src); err != nil {
		return Entry{}, err
	}
	e, ok := v.Get(id)
	if !ok {
		return Entry{}, ErrNotFound
	}
	return e, nil
}

// ClearExposed takes the exposed marks off the key with id (the user says
// it is safe: revoked, or the leak was private), logs it, and saves.
func (v *Vault) ClearExposed(id string, src Source) (Entry, error) {
	return v.change(id, func(e *Entry) error {
		if len(e.Exposed) == 0 {
			return errUnchanged
		}
		e.Exposed = nil
		e.ExposedCleared = v.now()
		e.appendEvent(Event{Time: e.ExposedCleared, Action: ActionEdited, Source: src, Detail: "exposed mark cleared"})
		return nil
	})
}

// Mark is one exposure to record: the entry's id and where its key was
// seen.
type Mark struct{ ID, Where string }

// MarkExposedMany records several exposures (a scan's finds) with one
// save, as MarkExposed does each; ids that are gone and places already
// recorded are skipped. It returns how many entries got a new mark.
func (v *Vault) MarkExposedMany(marks []Mark, src Source) (int, error) {
	for _, m := range marks {
		if w := strings.TrimSpace(m.Where); w == "" || strings.ContainsAny(w, "\r\n") || utf8.RuneCountInString(w) > MaxWhereLen {
			return 0, fmt.Errorf("where the key was exposed must be one line of at most %d characters", MaxWhereLen)
		}
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if err := v.usable(); err != nil {
		return 0, err
	}
	var entries []Entry
	marked := map[string]bool{}
	now := v.now()
	for _, m := range marks {
		i := v.indexOf(m.ID)
		if i < 0 {
			continue
		}
		if entries == nil {
			entries = slices.Clone(v.doc.entries)
		}
		e := &entries[i]
		where := strings.TrimSpace(m.Where)
		if slices.ContainsFunc(e.Exposed, func(x Exposure) bool { return x.Where == where }) {
			continue
		}
		if !marked[m.ID] {
			*e = e.clone()
		}
		e.Exposed = append(e.Exposed, Exposure{Where: where, When: now})
		if n := len(e.Exposed) - MaxExposed; n > 0 {
			e.Exposed = e.Exposed[n:]
		}
		e.appendEvent(Event{Time: now, Action: ActionExposed, Source: src, Detail: where})
		marked[m.ID] = true
	}
	if len(marked) == 0 {
		return 0, nil
	}
	if err := v.commit(entries); err != nil {
		return 0, err
	}
	return len(marked), nil
}
