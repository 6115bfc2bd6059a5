package vault

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"keyshelf/vault/check"
	"keyshelf/vault/provider"
)

// Entry is one stored API key.
type Entry struct {
	ID       string // stable random id, 32 hex digits
	Name     string // unique among entries, compared case-insensitively
	Provider string // a provider.Provider ID, or "custom"
	Secret   string // the key itself
	// KeyID is the public half of a two-part credential (a Twilio SID, an
	// AWS access key id), sent with Secret when the key is checked; "" for
	// a one-part key.
	KeyID string
	Notes string   // free text
	Tags  []string // free labels
	// EnvName is the environment variable the key goes in (OPENAI_API_KEY);
	// "" for none. Several entries may share one (a key per project).
	EnvName  string
	Created  time.Time // UTC, whole seconds
	Updated  time.Time // UTC, whole seconds
	Favorite bool      // starred: offered in the tray and listed first
	// BaseURL replaces the provider's default address for checks (an
	// OpenAI-compatible gateway, a self-hosted GitLab); "" for the default.
	BaseURL string
	// Custom is how to check a key of the custom provider; nil for none.
	Custom *check.Custom
	// LastCheck is the last recorded check of the key; nil when never
	// checked, or when the key, provider or address changed since.
	LastCheck *check.Result

	// RotationDays is how often the key should be replaced: 0 means the
	// vault's default (DefaultRotationDays), a negative number never.
	RotationDays int
	// Rotated is when the key was last replaced; zero means never, so the
	// age counts from Created (see LastRotated).
	Rotated time.Time
	// Expires is when the key stops working; nil when it does not expire.
	Expires *time.Time
	// UsedBy lists the apps and places where the key is deployed: the
	// checklist shown after a rotation.
	UsedBy []string
	// History holds the key's earlier values, newest last (at most
	// MaxHistory).
	History []OldSecret
	// Log is the entry's access log, oldest first (at most MaxLog events).
	Log []Event
	// Exposed lists where the key was seen where it should not be (a leak
	// scan's find, or the user's word), oldest first, at most MaxExposed;
	// empty when it is not known to be exposed. Rotating clears it.
	Exposed []Exposure
	// ExposedCleared is when the user last took the exposed marks off; a
	// merge drops the other copy's marks from before it. Zero when never.
	ExposedCleared time.Time
	// Changed is when anything the user sets last changed (the name, key,
	// notes, tags, star, settings; not the access log, checks or exposed
	// marks). A merge keeps the side changed last. Zero in files from
	// builds before sync: Updated stands in (see ChangedAt).
	Changed time.Time

	// extra holds the fields this build does not know, verbatim, so that a
	// rewrite never drops what a newer build stored.
	extra map[string]jsontext.Value
}

// clone returns a copy of e that shares no slices or maps with it.
func (e Entry) clone() Entry {
	e.Tags = slices.Clone(e.Tags)
	if e.Custom != nil {
		c := *e.Custom
		e.Custom = &c
	}
	if e.LastCheck != nil {
		r := *e.LastCheck
		e.LastCheck = &r
	}
	if e.Expires != nil {
		t := *e.Expires
		e.Expires = &t
	}
	e.UsedBy = slices.Clone(e.UsedBy)
	e.History = slices.Clone(e.History)
	e.Log = slices.Clone(e.Log)
	e.Exposed = slices.Clone(e.Exposed)
	if e.extra != nil {
		e.extra = maps.Clone(e.extra)
	}
	return e
}

// summary is a clone of e without its History and Log, for lists: they can
// hold hundreds of items per entry, and a list never shows them.
func (e Entry) summary() Entry {
	e.History, e.Log = nil, nil
	return e.clone()
}

// document is the decrypted payload.
type document struct {
	entries      []Entry
	rotationDays int // the vault's default interval; 0: DefaultRotationDays
	// changed is when the vault-wide settings (rotationDays) last changed;
	// zero when never. A merge keeps the settings changed last.
	changed time.Time
	// deleted remembers deleted entries, so that a merge with an older copy
	// does not bring them back; oldest first, at most MaxTombstones.
	deleted []Tombstone
	// retired are fingerprints (see retiredPrint) of the data keys this
	// vault had before a re-key, newest last (sorted after a merge), at
	// most MaxRetired: a
	// version sealed under one of them is older than a forgotten device
	// or passphrase change, and is never taken in as the current file.
	retired []string
	extra   map[string]jsontext.Value // unknown top-level fields
}

// Tombstone is a deleted entry: its id and when it was deleted.
type Tombstone struct {
	ID   string
	Time time.Time
}

// MaxTombstones bounds the deleted entries a vault remembers; the oldest
// are forgotten first.
const MaxTombstones = 5000

// contentVersion is the plaintext "version" this build writes and reads.
const contentVersion = 1

var errContent = errors.New("the vault's contents are not valid")

// wireEntry is an entry as stored. Fields this build does not know are
// collected in Extra (matching is exact and case-sensitive).
type wireEntry struct {
	ID        string                    `json:"id"`
	Name      string                    `json:"name"`
	Provider  string                    `json:"provider"`
	Secret    string                    `json:"secret"`
	KeyID     string                    `json:"key_id"`
	Notes     string                    `json:"notes"`
	Tags      []string                  `json:"tags"`
	EnvName   string                    `json:"env_name"`
	Created   time.Time                 `json:"created"`
	Updated   time.Time                 `json:"updated"`
	Favorite  bool                      `json:"favorite"`
	BaseURL   string                    `json:"base_url"`
	Check     *wireCustom               `json:"check"`
	LastCheck *wireCheck                `json:"last_check"`
	Rotation  int                       `json:"rotation_days"`
	Rotated   time.Time                 `json:"rotated"`
	Expires   *time.Time                `json:"expires"`
	UsedBy    []string                  `json:"used_by"`
	History   []wireOld                 `json:"history"`
	Log       []wireEvent               `json:"log"`
	Exposed   []wireExposure            `json:"exposed"`
	Cleared   time.Time                 `json:"exposed_cleared"`
	Changed   time.Time                 `json:"changed"`
	Extra     map[string]jsontext.Value `json:",embed"`
}

// wireOld is an earlier value of a key as stored.
type wireOld struct {
	Secret string    `json:"secret"`
	From   time.Time `json:"from"`
	Until  time.Time `json:"until"`
}

// wireEvent is an access log event as stored.
type wireEvent struct {
	Time   time.Time `json:"time"`
	Action string    `json:"action"`
	Source string    `json:"source"`
	Detail string    `json:"detail"`
}

// wireExposure is where a key was seen, as stored.
type wireExposure struct {
	Where string    `json:"where"`
	When  time.Time `json:"time"`
}

// wireCustom is a custom provider's check as stored.
type wireCustom struct {
	URL         string `json:"url"`
	Header      string `json:"header"`
	Value       string `json:"value"`
	ValidStatus int    `json:"valid_status"`
}

// wireCheck is a recorded check as stored.
type wireCheck struct {
	Time    time.Time `json:"time"`
	Outcome string    `json:"outcome"`
	Detail  string    `json:"detail"`
	Account string    `json:"account"`
	Scopes  string    `json:"scopes"`
	Expires time.Time `json:"expires"`
	Credit  string    `json:"credit"`
}

type wireDocument struct {
	Version  int                       `json:"version"`
	Entries  []wireEntry               `json:"entries"`
	Rotation int                       `json:"rotation_days"`
	Changed  time.Time                 `json:"changed"`
	Deleted  []wireTombstone           `json:"deleted"`
	Retired  []string                  `json:"retired_keys"`
	Extra    map[string]jsontext.Value `json:",embed"`
}

// wireTombstone is a deleted entry as stored.
type wireTombstone struct {
	ID   string    `json:"id"`
	Time time.Time `json:"time"`
}

// decodeDocument parses the plaintext. It uses go-json-experiment/json (the
// encoding/json/v2 design) because it keeps unknown members natively, matches
// names exactly, rejects duplicate names, and decodes a 10,000-entry vault in
// about half the time encoding/json takes.
func decodeDocument(pt []byte) (document, error) {
	// Room for every entry up front: the decoder appends into the spare
	// capacity instead of growing (and copying) the slice of large structs
	// about twenty times. Each entry has one "provider" member; a kept
	// unknown member of the same name only makes the guess too large.
	w := wireDocument{Entries: make([]wireEntry, 0, bytes.Count(pt, []byte(`"provider":`)))}
	if err := json.Unmarshal(pt, &w); err != nil {
		return document{}, fmt.Errorf("%w: %s", errContent, jsonProblem(err))
	}
	if err := checkVersion(w.Version); err != nil {
		return document{}, err
	}
	compactAll(w.Extra)
	doc := document{entries: make([]Entry, len(w.Entries)), rotationDays: w.Rotation, changed: clampZero(w.Changed), extra: w.Extra}
	for _, r := range w.Retired[max(0, len(w.Retired)-MaxRetired):] {
		if isLowerHexLen(r, 64) {
			doc.retired = append(doc.retired, r)
		}
	}
	for _, t := range w.Deleted[max(0, len(w.Deleted)-MaxTombstones):] {
		doc.deleted = append(doc.deleted, Tombstone{ID: t.ID, Time: clampTime(t.Time)})
	}
	for i := range w.Entries {
		we := &w.Entries[i]
		compactAll(we.Extra)
		doc.entries[i] = Entry{ID: we.ID, Name: we.Name, Provider: we.Provider, Secret: we.Secret, KeyID: we.KeyID, Notes: we.Notes,
			Tags: we.Tags, EnvName: we.EnvName, Created: clampTime(we.Created), Updated: clampTime(we.Updated), Favorite: we.Favorite, BaseURL: we.BaseURL, extra: we.Extra}
		if c := we.Check; c != nil {
			doc.entries[i].Custom = &check.Custom{URL: c.URL, Header: c.Header, Value: c.Value, ValidStatus: c.ValidStatus}
		}
		if c := we.LastCheck; c != nil {
			// Scrubbed: a check stored by an older build may hold part of the key.
			r := check.Result{Outcome: check.Outcome(c.Outcome), Detail: c.Detail, Account: c.Account,
				Scopes: c.Scopes, Expires: clampZero(c.Expires), Credit: c.Credit, Checked: clampTime(c.Time)}.Scrubbed(we.Secret)
			doc.entries[i].LastCheck = &r
		}
		decodeLifecycle(&doc.entries[i], we)
	}
	return doc, nil
}

// compactAll removes insignificant white space from kept unknown members, so
// that a rewrite writes them compactly like everything else.
func compactAll(m map[string]jsontext.Value) {
	for k, v := range m {
		if v.Compact() == nil {
			m[k] = v
		}
	}
}

func checkVersion(v int) error {
	switch {
	case v > contentVersion:
		return fmt.Errorf("%w (contents version %d)", ErrNewerVersion, v)
	case v < 1:
		return fmt.Errorf("%w: unsupported contents version %d", errContent, v)
	}
	return nil
}

// jsonProblem describes a JSON error by position only: the library's own
// messages may quote the offending value, which may be a key.
func jsonProblem(err error) string {
	var se *jsontext.SyntacticError
	var me *json.SemanticError
	switch {
	case errors.As(err, &se):
		return "malformed JSON at byte " + strconv.FormatInt(se.ByteOffset, 10)
	case errors.As(err, &me):
		return "a value of the wrong kind at " + strconv.Quote(string(me.JSONPointer))
	}
	return "malformed JSON"
}

// encode writes the document as compact JSON with a fixed field order.
func (d *document) encode() []byte {
	size := 64
	for i := range d.entries {
		e := &d.entries[i]
		size += 200 + len(e.Name) + len(e.Secret) + len(e.Notes) + len(e.ID)
	}
	b := make([]byte, 0, size)
	b = append(b, `{"version":`...)
	b = strconv.AppendInt(b, contentVersion, 10)
	b = append(b, `,"entries":[`...)
	for i := range d.entries {
		if i > 0 {
			b = append(b, ',')
		}
		b = d.entries[i].appendJSON(b)
	}
	b = append(b, ']')
	if d.rotationDays != 0 {
		b = append(b, `,"rotation_days":`...)
		b = strconv.AppendInt(b, int64(d.rotationDays), 10)
	}
	if !d.changed.IsZero() {
		b = appendTime(b, "changed", d.changed)
	}
	if len(d.deleted) > 0 {
		b = append(b, `,"deleted":[`...)
		for i, t := range d.deleted {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"id":`...)
			b = appendString(b, t.ID)
			b = appendTime(b, "time", t.Time)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if len(d.retired) > 0 {
		b = appendStrings(b, "retired_keys", d.retired)
	}
	b = appendExtra(b, d.extra)
	return append(b, '}')
}

func (e *Entry) appendJSON(b []byte) []byte {
	b = append(b, `{"id":`...)
	b = appendString(b, e.ID)
	b = append(b, `,"name":`...)
	b = appendString(b, e.Name)
	b = append(b, `,"provider":`...)
	b = appendString(b, e.Provider)
	b = append(b, `,"secret":`...)
	b = appendString(b, e.Secret)
	if e.KeyID != "" {
		b = append(b, `,"key_id":`...)
		b = appendString(b, e.KeyID)
	}
	b = append(b, `,"created":"`...)
	b = appendRFC3339(b, e.Created)
	b = append(b, `","updated":"`...)
	b = appendRFC3339(b, e.Updated)
	b = append(b, '"')
	if e.Notes != "" {
		b = append(b, `,"notes":`...)
		b = appendString(b, e.Notes)
	}
	if len(e.Tags) > 0 {
		b = appendStrings(b, "tags", e.Tags)
	}
	if e.EnvName != "" {
		b = append(b, `,"env_name":`...)
		b = appendString(b, e.EnvName)
	}
	if e.Favorite {
		b = append(b, `,"favorite":true`...)
	}
	if e.BaseURL != "" {
		b = append(b, `,"base_url":`...)
		b = appendString(b, e.BaseURL)
	}
	if c := e.Custom; c != nil {
		b = append(b, `,"check":{"url":`...)
		b = appendString(b, c.URL)
		b = append(b, `,"header":`...)
		b = appendString(b, c.Header)
		b = append(b, `,"value":`...)
		b = appendString(b, c.Value)
		b = append(b, `,"valid_status":`...)
		b = strconv.AppendInt(b, int64(c.ValidStatus), 10)
		b = append(b, '}')
	}
	if c := e.LastCheck; c != nil {
		b = append(b, `,"last_check":{"time":"`...)
		b = appendRFC3339(b, c.Checked)
		b = append(b, `","outcome":`...)
		b = appendString(b, string(c.Outcome))
		for _, f := range []struct{ name, v string }{{"detail", c.Detail}, {"account", c.Account}, {"scopes", c.Scopes}} {
			if f.v != "" {
				b = append(b, `,"`+f.name+`":`...)
				b = appendString(b, f.v)
			}
		}
		if !c.Expires.IsZero() {
			b = append(b, `,"expires":"`...)
			b = appendRFC3339(b, c.Expires)
			b = append(b, '"')
		}
		if c.Credit != "" {
			b = append(b, `,"credit":`...)
			b = appendString(b, c.Credit)
		}
		b = append(b, '}')
	}
	b = e.appendLifecycle(b)
	b = appendExtra(b, e.extra)
	return append(b, '}')
}

// appendExtra appends unknown fields, sorted by name for a stable output.
func appendExtra(b []byte, extra map[string]jsontext.Value) []byte {
	if len(extra) == 0 {
		return b
	}
	keys := make([]string, 0, len(extra))
	for k := range extra {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		b = append(b, ',')
		b = appendString(b, k)
		b = append(b, ':')
		b = append(b, extra[k]...)
	}
	return b
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string. Invalid UTF-8 becomes U+FFFD, as
// encoding/json does.
// appendStrings appends the member name with the array of strings ss,
// after a comma: `,"name":["a","b"]`.
func appendStrings(b []byte, name string, ss []string) []byte {
	b = append(b, `,"`+name+`":[`...)
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, s)
	}
	return append(b, ']')
}

func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// Variable is the environment variable the entry's key goes in: its own
// EnvName, else its provider's usual one (OPENAI_API_KEY for OpenAI), else
// "" (a custom key with no name set goes nowhere).
func (e Entry) Variable() string {
	if e.EnvName != "" {
		return e.EnvName
	}
	if p, ok := provider.Get(e.Provider); ok {
		return p.EnvVar
	}
	return ""
}
