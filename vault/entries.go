package vault

import (
	"cmp"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"keyshelf/vault/check"
	"keyshelf/vault/lifecycle"
	"keyshelf/vault/provider"
)

// MaxNameLen is the longest name, in characters.
const MaxNameLen = 200

// MaxKeyIDLen is the longest key ID, in characters.
const MaxKeyIDLen = 128

// cleanKeyID trims a key ID and checks it.
func cleanKeyID(s string) (string, error) {
	s = strings.TrimSpace(s)
	if strings.ContainsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) {
		return "", errors.New("the key ID may not hold spaces, line breaks or control characters")
	}
	if n := utf8.RuneCountInString(s); n > MaxKeyIDLen {
		return "", fmt.Errorf("the key ID is %d characters long; the limit is %d", n, MaxKeyIDLen)
	}
	return s, nil
}

// MaxEnvNameLen bounds an entry's environment variable name.
const MaxEnvNameLen = 128

// ErrBadEnvName: an environment variable name that a shell could not use.
var ErrBadEnvName = errors.New("the environment variable name may hold only letters A-Z, digits and _, and may not start with a digit")

// CleanEnvName trims an environment variable name and checks it: empty (no
// name), or ASCII letters, digits and _ not starting with a digit, at most
// MaxEnvNameLen characters, which every shell and .env reader takes. The
// error never quotes the name: a key pasted into the wrong field would
// show.
func CleanEnvName(s string) (string, error) {
	s = strings.TrimSpace(s)
	if len(s) > MaxEnvNameLen {
		return "", fmt.Errorf("the environment variable name is %d characters long; the limit is %d", len(s), MaxEnvNameLen)
	}
	for i, r := range s {
		switch {
		case r == '_', r >= 'A' && r <= 'Z', r >= 'a' && r <= 'z':
		case r >= '0' && r <= '9' && i > 0:
		default:
			return "", ErrBadEnvName
		}
	}
	return s, nil
}

// Draft is what a user types to add or edit an entry.
type Draft struct {
	Name     string
	Provider string // empty: detected from the key's shape or prefix (provider.Identify), else "custom"
	Secret   string
	// KeyID is the public half of a two-part credential (a Twilio SID, an
	// AWS access key id): trimmed, without white space or control
	// characters, at most MaxKeyIDLen characters; "" for none. With an empty
	// Provider, its shape names the provider (provider.DetectKeyID). Update
	// replaces it.
	KeyID string
	Notes string
	Tags  []string
	// EnvName is the environment variable the key goes in, such as
	// OPENAI_API_KEY: trimmed, checked by CleanEnvName; "" for none.
	// Update replaces it.
	EnvName string
	// BaseURL replaces the provider's default address for checks: https,
	// or http only to this computer (see check.ValidateBaseURL). Update
	// replaces it too, so an editor starts from Entry.Draft.
	BaseURL string
	// Custom is how to check a key of the custom provider; it is kept only
	// when the provider is "custom".
	Custom *check.Custom
	// RotationDays overrides the vault's rotation interval: 0 for the
	// default, a negative number for never.
	RotationDays int
	// Expires is when the key stops working; nil when it does not.
	Expires *time.Time
	// UsedBy lists where the key is deployed.
	UsedBy []string

	// Created and History are for keys that existed before they came into
	// the vault (an import): Add and AddAll take them, Update ignores them.
	// Created, when not zero and before now, is the entry's creation time.
	// History holds the key's earlier values, oldest first: empty values,
	// repeats and the current value are dropped, and the newest MaxHistory
	// kept. A zero From is taken as Created, a zero Until as now; the
	// newest known Until is when the current value was set (Rotated).
	Created time.Time
	History []OldSecret
}

// Result is a saved entry and what was cleaned up on the way in.
type Result struct {
	Entry Entry
	// SecretTrimmed reports that spaces, tabs or line breaks around the key
	// were removed; tell the user.
	SecretTrimmed bool
}

// CleanSecret trims white space (spaces, tabs, line breaks) around a pasted
// key and reports whether there was any.
func CleanSecret(s string) (clean string, trimmed bool) {
	clean = strings.TrimSpace(s)
	return clean, clean != s
}

// CleanName trims a name and puts it in Unicode NFC form.
func CleanName(s string) string { return norm.NFC.String(strings.TrimSpace(s)) }

// nameKey is the form in which names are compared: case-insensitively.
func nameKey(name string) string { return strings.ToLower(name) }

// sameName compares two cleaned names case-insensitively.
func sameName(a, b string) bool { return nameKey(a) == nameKey(b) }

// SameName reports whether a and b name the same entry: names are compared
// as Find compares them, ignoring case and surrounding white space.
func SameName(a, b string) bool { return sameName(CleanName(a), CleanName(b)) }

func validateName(name string) error {
	if name == "" {
		return ErrEmptyName
	}
	if strings.IndexFunc(name, unicode.IsControl) >= 0 || !utf8.ValidString(name) {
		return ErrBadName
	}
	if n := len([]rune(name)); n > MaxNameLen {
		return fmt.Errorf("the name is %d characters long; the limit is %d", n, MaxNameLen)
	}
	return nil
}

// checkSecret refuses an empty key and one that is not text: bytes that are
// not UTF-8 could not be stored as they are.
func checkSecret(secret string) error {
	switch {
	case secret == "":
		return ErrEmptySecret
	case !utf8.ValidString(secret):
		return ErrBadSecret
	}
	return nil
}

// ErrNotText: a field of an entry holds bytes that are not text (UTF-8).
// The file stores text only; such bytes would come back changed.
var ErrNotText = errors.New("holds bytes that are not text (UTF-8)")

// checkText refuses a draft whose other text fields (the name and key are
// checked on their own) hold bytes that are not UTF-8.
func checkText(d Draft) error {
	fields := []struct {
		what string
		v    []string
	}{{"the key ID", []string{d.KeyID}}, {"the notes", []string{d.Notes}}, {"a tag", d.Tags}, {"the provider", []string{d.Provider}},
		{"the base URL", []string{d.BaseURL}}, {"the \"used by\" list", d.UsedBy}}
	if c := d.Custom; c != nil {
		fields = append(fields, struct {
			what string
			v    []string
		}{"the custom check", []string{c.URL, c.Header, c.Value}})
	}
	for _, f := range fields {
		for _, v := range f.v {
			if !utf8.ValidString(v) {
				return fmt.Errorf("%s %w", f.what, ErrNotText)
			}
		}
	}
	return nil
}

func cleanTags(tags []string) []string {
	var out []string
	for _, t := range tags {
		t = CleanName(t)
		if t == "" || slices.ContainsFunc(out, func(o string) bool { return strings.EqualFold(o, t) }) {
			continue
		}
		out = append(out, t)
	}
	return out
}

// prepare validates a draft for the entry with id (empty for a new one).
func (v *Vault) prepare(d Draft, id string) (Entry, bool, error) {
	return prepareDraft(d, func(name string) (string, bool) {
		for _, e := range v.doc.entries {
			if e.ID != id && sameName(e.Name, name) {
				return e.Name, true
			}
		}
		return "", false
	})
}

// prepareDraft validates a draft; taken reports the existing name that a
// name would clash with.
func prepareDraft(d Draft, taken func(name string) (string, bool)) (Entry, bool, error) {
	name := CleanName(d.Name)
	if err := validateName(name); err != nil {
		return Entry{}, false, err
	}
	secret, trimmed := CleanSecret(d.Secret)
	if err := checkSecret(secret); err != nil {
		return Entry{}, false, err
	}
	if other, ok := taken(name); ok {
		return Entry{}, false, fmt.Errorf("%w: %q", ErrDuplicateName, other)
	}
	if err := checkText(d); err != nil {
		return Entry{}, false, err
	}
	if err := CheckNotes(d.Notes); err != nil {
		return Entry{}, false, err
	}
	keyID, err := cleanKeyID(d.KeyID)
	if err != nil {
		return Entry{}, false, err
	}
	envName, err := CleanEnvName(d.EnvName)
	if err != nil {
		return Entry{}, false, err
	}
	prov := strings.ToLower(strings.TrimSpace(d.Provider))
	if prov == "" {
		if p, ok := provider.DetectKeyID(keyID); ok {
			prov = p
		} else if p, _, ok := provider.Identify(secret); ok {
			prov = p
		} else {
			prov = provider.Custom
		}
	}
	base, err := check.ValidateBaseURL(d.BaseURL)
	if err != nil {
		return Entry{}, false, fmt.Errorf("base URL: %w", err)
	}
	var custom *check.Custom
	if d.Custom != nil && prov == provider.Custom {
		c, err := d.Custom.Validate()
		if err != nil {
			return Entry{}, false, err
		}
		custom = &c
	}
	usedBy, err := cleanUsedBy(d.UsedBy)
	if err != nil {
		return Entry{}, false, err
	}
	days := d.RotationDays
	if days > lifecycle.MaxIntervalDays {
		return Entry{}, false, fmt.Errorf("the rotation interval is %d days; the limit is %d", days, lifecycle.MaxIntervalDays)
	}
	if days < 0 {
		days = -1
	}
	var expires *time.Time
	if d.Expires != nil {
		t, err := checkTypedDate("the expiry date", *d.Expires)
		if err != nil {
			return Entry{}, false, err
		}
		expires = &t
	}
	return Entry{Name: name, Provider: prov, Secret: secret, KeyID: keyID, Notes: strings.TrimSpace(d.Notes), Tags: cleanTags(d.Tags),
		EnvName: envName, BaseURL: base, Custom: custom, RotationDays: days, Expires: expires, UsedBy: usedBy}, trimmed, nil
}

// Draft returns the entry's editable fields, for an editor to start from.
func (e Entry) Draft() Draft {
	e = e.clone()
	return Draft{Name: e.Name, Provider: e.Provider, Secret: e.Secret, KeyID: e.KeyID, Notes: e.Notes, Tags: e.Tags, EnvName: e.EnvName, BaseURL: e.BaseURL, Custom: e.Custom,
		RotationDays: e.RotationDays, Expires: e.Expires, UsedBy: e.UsedBy}
}

// Target is what package check needs to check the entry's key.
func (e Entry) Target() check.Target {
	e = e.clone()
	return check.Target{Provider: e.Provider, Secret: e.Secret, KeyID: e.KeyID, BaseURL: e.BaseURL, Custom: e.Custom}
}

// sameCheck reports whether a check of a would be a check of b: the same
// key, key ID, provider and address.
func sameCheck(a, b Entry) bool {
	return a.Secret == b.Secret && a.KeyID == b.KeyID && a.Provider == b.Provider && a.BaseURL == b.BaseURL && equalCustom(a.Custom, b.Custom)
}

func equalCustom(a, b *check.Custom) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

func (v *Vault) now() time.Time { return v.opts.Now().UTC().Truncate(time.Second) }

func (v *Vault) newID() (string, error) {
	var b [16]byte
	if _, err := io.ReadFull(v.opts.Rand, b[:]); err != nil {
		return "", fmt.Errorf("make an id: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}

// commit replaces the entries and saves; on a failed save the entries in
// memory go back to what they were, so memory always matches the file.
func (v *Vault) commit(entries []Entry) error {
	old := v.doc.entries
	v.doc.entries = entries
	v.index = nil
	if err := v.save(); err != nil {
		v.doc.entries = old
		return err
	}
	return nil
}

// Add stores a new entry and saves.
func (v *Vault) Add(d Draft) (Result, error) {
	rs, err := v.AddAll([]Draft{d})
	if err != nil {
		return Result{}, err
	}
	return rs[0], nil
}

// AddAll stores several new entries with a single save: all of them or, on
// any error, none. An error names the draft's position (1-based) when a draft
// is refused.
func (v *Vault) AddAll(ds []Draft) ([]Result, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if err := v.usable(); err != nil {
		return nil, err
	}
	entries := slices.Clip(v.doc.entries)
	names := make(map[string]string, len(entries)+len(ds))
	for _, e := range entries {
		names[nameKey(e.Name)] = e.Name
	}
	taken := func(name string) (string, bool) { n, ok := names[nameKey(name)]; return n, ok }
	results := make([]Result, len(ds))
	for i, d := range ds {
		e, trimmed, err := prepareDraft(d, taken)
		if err != nil {
			if len(ds) > 1 {
				return nil, fmt.Errorf("key %d: %w", i+1, err)
			}
			return nil, err
		}
		if e.ID, err = v.newID(); err != nil {
			return nil, err
		}
		now := v.now()
		e.Created, e.Updated, e.Changed = now, now, now
		if c := clampTime(d.Created); !d.Created.IsZero() && c.Before(now) {
			e.Created = c
		}
		if e.History, e.Rotated, err = importedHistory(d.History, e.Secret, e.Created, now); err != nil {
			if len(ds) > 1 {
				return nil, fmt.Errorf("key %d: %w", i+1, err)
			}
			return nil, err
		}
		entries = append(entries, e)
		names[nameKey(e.Name)] = e.Name
		results[i] = Result{Entry: e.clone(), SecretTrimmed: trimmed}
	}
	if err := v.commit(entries); err != nil {
		return nil, err
	}
	return results, nil
}

// errUnchanged tells change that there is nothing to save.
var errUnchanged = errors.New("unchanged")

// change applies f to a copy of the entry with id, under the lock, and
// saves the result; memory keeps the old entry if the save fails. When f
// returns errUnchanged nothing is saved and the entry is returned as it is.
func (v *Vault) change(id string, f func(e *Entry) error) (Entry, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if err := v.usable(); err != nil {
		return Entry{}, err
	}
	i := v.indexOf(id)
	if i < 0 {
		return Entry{}, ErrNotFound
	}
	e := v.doc.entries[i].clone()
	err := f(&e)
	if err != nil {
		v.logOnly = false
	}
	switch {
	case errors.Is(err, errUnchanged):
		return v.doc.entries[i].clone(), nil
	case err != nil:
		return Entry{}, err
	}
	entries := slices.Clone(v.doc.entries)
	entries[i] = e
	if err := v.commit(entries); err != nil {
		return Entry{}, err
	}
	return e.clone(), nil
}

// Update replaces the user-editable fields of the entry with id and saves.
// Fields this build does not know are kept. Updated changes only when
// something did.
func (v *Vault) Update(id string, d Draft) (Result, error) {
	var trimmed bool
	e, err := v.change(id, func(e *Entry) error {
		n, t, err := v.prepare(d, id)
		if err != nil {
			return err
		}
		trimmed = t
		if e.Name == n.Name && e.Notes == n.Notes && slices.Equal(e.Tags, n.Tags) && e.EnvName == n.EnvName && sameCheck(*e, n) &&
			e.RotationDays == n.RotationDays && equalTime(e.Expires, n.Expires) && slices.Equal(e.UsedBy, n.UsedBy) {
			return errUnchanged
		}
		if !sameCheck(*e, n) {
			e.LastCheck = nil // it was a check of something else
		}
		if n.Secret != e.Secret {
			// A new key typed over the old one is a rotation: the old value
			// is kept in the history, and the age starts again.
			v.replaceSecret(e, n.Secret, ActionRotated, v.opts.Source)
		}
		e.Name, e.Provider, e.Notes, e.Tags, e.BaseURL, e.Custom = n.Name, n.Provider, n.Notes, n.Tags, n.BaseURL, n.Custom
		e.KeyID, e.EnvName = n.KeyID, n.EnvName
		e.RotationDays, e.Expires, e.UsedBy = n.RotationDays, n.Expires, n.UsedBy
		e.Updated = v.now()
		e.Changed = e.Updated
		e.appendEvent(Event{Time: e.Updated, Action: ActionEdited, Source: v.opts.Source})
		return nil
	})
	if err != nil {
		return Result{}, err
	}
	return Result{Entry: e, SecretTrimmed: trimmed}, nil
}

// Delete removes the entry with id and saves. It returns the removed entry,
// which Restore can put back. The vault remembers the deletion (a
// Tombstone), so that merging an older copy does not bring the entry back.
func (v *Vault) Delete(id string) (Entry, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if err := v.usable(); err != nil {
		return Entry{}, err
	}
	i := v.indexOf(id)
	if i < 0 {
		return Entry{}, ErrNotFound
	}
	removed := v.doc.entries[i]
	oldDeleted := v.doc.deleted
	v.doc.deleted = addTombstone(oldDeleted, Tombstone{ID: id, Time: v.now()})
	if err := v.commit(slices.Delete(slices.Clone(v.doc.entries), i, i+1)); err != nil {
		v.doc.deleted = oldDeleted
		return Entry{}, err
	}
	return removed.clone(), nil
}

// Restore puts back an entry that Delete returned (undo), with its id, dates
// and every field, and forgets the deletion. It counts as a change (Changed
// is now), so that a copy synced in between with the deletion does not
// remove it again. It fails if its id or name has been taken since.
func (v *Vault) Restore(e Entry) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if err := v.usable(); err != nil {
		return err
	}
	if v.indexOf(e.ID) >= 0 {
		return fmt.Errorf("that key is already in the vault")
	}
	for _, o := range v.doc.entries {
		if sameName(o.Name, e.Name) {
			return fmt.Errorf("%w: %q", ErrDuplicateName, o.Name)
		}
	}
	e = e.clone()
	e.Changed = v.now()
	oldDeleted := v.doc.deleted
	v.doc.deleted = slices.DeleteFunc(slices.Clone(oldDeleted), func(t Tombstone) bool { return t.ID == e.ID })
	if err := v.commit(append(slices.Clip(v.doc.entries), e)); err != nil {
		v.doc.deleted = oldDeleted
		return err
	}
	return nil
}

func (v *Vault) indexOf(id string) int {
	return slices.IndexFunc(v.doc.entries, func(e Entry) bool { return e.ID == id })
}

// Get returns the entry with id.
func (v *Vault) Get(id string) (Entry, bool) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if i := v.indexOf(id); i >= 0 {
		return v.doc.entries[i].clone(), true
	}
	return Entry{}, false
}

// Find returns the entry whose name is name, ignoring case and surrounding
// white space.
func (v *Vault) Find(name string) (Entry, bool) {
	name = CleanName(name)
	v.mu.Lock()
	defer v.mu.Unlock()
	for _, e := range v.doc.entries {
		if sameName(e.Name, name) {
			return e.clone(), true
		}
	}
	return Entry{}, false
}

// Len is the number of entries.
func (v *Vault) Len() int {
	v.mu.Lock()
	defer v.mu.Unlock()
	return len(v.doc.entries)
}

// List returns every entry, sorted by name (case-insensitively), without
// their History and Log (see Search); Get returns an entry whole.
func (v *Vault) List() []Entry {
	v.mu.Lock()
	defer v.mu.Unlock()
	// Only the names are needed to sort: the search index (which also
	// lower-cases notes, tags and providers) is used only if it is built.
	names := make([]string, len(v.doc.entries))
	if len(v.index) == len(v.doc.entries) {
		for i := range v.index {
			names[i] = v.index[i].name
		}
	} else {
		for i, e := range v.doc.entries {
			names[i] = strings.ToLower(e.Name)
		}
	}
	order := make([]int, len(names))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		if c := cmp.Compare(names[a], names[b]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	out := make([]Entry, len(order))
	for n, i := range order {
		out[n] = v.doc.entries[i].summary()
	}
	return out
}

// SetFavorite stars or unstars the entry with id and saves. Starring is not
// an edit of the key, so Updated stays as it was (Changed does not).
func (v *Vault) SetFavorite(id string, on bool) (Entry, error) {
	return v.change(id, func(e *Entry) error {
		if e.Favorite == on {
			return errUnchanged
		}
		e.Favorite = on
		e.Changed = v.now()
		return nil
	})
}

// Favorites returns the starred entries, sorted by name.
func (v *Vault) Favorites() []Entry {
	all := v.List()
	return slices.DeleteFunc(all, func(e Entry) bool { return !e.Favorite })
}

// RecordCheck keeps a check's result with the entry it checked, logs it
// (ActionTested, see RecordChecks) and saves.
// checked is the entry as it was when the check started (the one Target was
// made from). A check is not an edit, so Updated stays as it was. It returns
// ErrNotFound when the entry is gone, ErrStaleCheck when its key, provider
// or address has changed since, and ErrNotChecked for a cancelled check.
func (v *Vault) RecordCheck(checked Entry, r check.Result) error {
	n, err := v.RecordChecks([]Entry{checked}, []check.Result{r})
	if err == nil && n == 0 {
		switch {
		case r.Cancelled() || !r.Outcome.Known():
			return ErrNotChecked
		case v.indexOfLocked(checked.ID) < 0:
			return ErrNotFound
		}
		return ErrStaleCheck
	}
	return err
}

// RecordChecks records many results (results[i] is the check of
// checked[i]) with a single save, as RecordCheck does, and returns how many
// it recorded. Each recorded check is also an ActionTested event in the
// entry's access log, with the outcome as its detail and Options.Source as
// its source. It skips, without an error, cancelled checks and entries that
// are gone or changed since.
func (v *Vault) RecordChecks(checked []Entry, results []check.Result) (int, error) {
	if len(checked) != len(results) {
		return 0, errors.New("record checks: entries and results differ in number")
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if err := v.usable(); err != nil {
		return 0, err
	}
	var entries []Entry
	n := 0
	for i, c := range checked {
		r := results[i]
		if r.Cancelled() || !r.Outcome.Known() {
			continue
		}
		j := v.indexOf(c.ID)
		if j < 0 || !sameCheck(v.doc.entries[j], c) {
			continue
		}
		if entries == nil {
			entries = slices.Clone(v.doc.entries)
		}
		r = r.Scrubbed(entries[j].Secret) // whoever made it, no part of the key is kept
		r.Checked = clampTime(r.Checked)
		r.Expires = clampZero(r.Expires) // a provider's word; never trusted to be in range
		e := entries[j].clone()
		e.LastCheck = &r
		e.appendEvent(Event{Time: v.now(), Action: ActionTested, Source: v.opts.Source, Detail: string(r.Outcome)})
		entries[j] = e
		n++
	}
	if n == 0 {
		return 0, nil
	}
	v.logOnly = true // a check result is bookkeeping: keep the backup
	if err := v.commit(entries); err != nil {
		return 0, err
	}
	return n, nil
}

func (v *Vault) indexOfLocked(id string) int {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.indexOf(id)
}

func equalTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(*b)
}
