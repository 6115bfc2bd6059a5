package vault

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"time"
	"unicode/utf8"
)

// Entry is one stored API key.
type Entry struct {
	ID       string    // stable random id, 32 hex digits
	Name     string    // unique among entries, compared case-insensitively
	Provider string    // a provider.Provider ID, or "custom"
	Secret   string    // the key itself
	Notes    string    // free text
	Tags     []string  // free labels
	Created  time.Time // UTC, whole seconds
	Updated  time.Time // UTC, whole seconds

	// extra holds the fields this build does not know, verbatim, so that a
	// rewrite never drops what a newer build stored.
	extra map[string]json.RawMessage
}

// clone returns a copy of e that shares no slices or maps with it.
func (e Entry) clone() Entry {
	e.Tags = slices.Clone(e.Tags)
	if e.extra != nil {
		m := make(map[string]json.RawMessage, len(e.extra))
		for k, v := range e.extra {
			m[k] = v
		}
		e.extra = m
	}
	return e
}

// document is the decrypted payload.
type document struct {
	entries []Entry
	extra   map[string]json.RawMessage // unknown top-level fields
}

// contentVersion is the plaintext "version" this build writes and reads.
const contentVersion = 1

var errContent = errors.New("the vault's contents are not valid")

// wireEntry is an entry as stored, for the fast decoding path.
type wireEntry struct {
	ID       string    `json:"id"`
	Name     string    `json:"name"`
	Provider string    `json:"provider"`
	Secret   string    `json:"secret"`
	Notes    string    `json:"notes"`
	Tags     []string  `json:"tags"`
	Created  time.Time `json:"created"`
	Updated  time.Time `json:"updated"`
}

// field returns a pointer to the field stored under the JSON name k, or nil
// when this build does not know k.
func (w *wireEntry) field(k string) any {
	switch k {
	case "id":
		return &w.ID
	case "name":
		return &w.Name
	case "provider":
		return &w.Provider
	case "secret":
		return &w.Secret
	case "notes":
		return &w.Notes
	case "tags":
		return &w.Tags
	case "created":
		return &w.Created
	case "updated":
		return &w.Updated
	}
	return nil
}

func (w wireEntry) entry() Entry {
	return Entry{ID: w.ID, Name: w.Name, Provider: w.Provider, Secret: w.Secret, Notes: w.Notes, Tags: w.Tags,
		Created: w.Created.UTC(), Updated: w.Updated.UTC()}
}

// decodeDocument parses the plaintext. Files written by this build take a
// fast typed path; anything with fields it does not know takes a slower path
// that keeps those fields.
func decodeDocument(pt []byte) (document, error) {
	var fast struct {
		Version int         `json:"version"`
		Entries []wireEntry `json:"entries"`
	}
	dec := json.NewDecoder(bytes.NewReader(pt))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&fast); err == nil && !dec.More() {
		if err := checkVersion(fast.Version); err != nil {
			return document{}, err
		}
		doc := document{entries: make([]Entry, len(fast.Entries))}
		for i, w := range fast.Entries {
			doc.entries[i] = w.entry()
		}
		return doc, nil
	}
	return decodeDocumentSlow(pt)
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

func decodeDocumentSlow(pt []byte) (document, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(pt, &top); err != nil {
		return document{}, fmt.Errorf("%w: %s", errContent, jsonProblem(err))
	}
	var version int
	if err := json.Unmarshal(top["version"], &version); err != nil {
		return document{}, fmt.Errorf("%w: no version number", errContent)
	}
	if err := checkVersion(version); err != nil {
		return document{}, err
	}
	var raws []map[string]json.RawMessage
	if r, ok := top["entries"]; ok {
		if err := json.Unmarshal(r, &raws); err != nil {
			return document{}, fmt.Errorf("%w: entries: %s", errContent, jsonProblem(err))
		}
	}
	doc := document{entries: make([]Entry, 0, len(raws))}
	for i, raw := range raws {
		var w wireEntry
		extra := map[string]json.RawMessage{}
		for k, v := range raw {
			dst := w.field(k)
			if dst == nil {
				extra[k] = compact(v)
				continue
			}
			if err := json.Unmarshal(v, dst); err != nil {
				return document{}, fmt.Errorf("%w: entry %d, field %q: %s", errContent, i+1, k, jsonProblem(err))
			}
		}
		e := w.entry()
		if len(extra) > 0 {
			e.extra = extra
		}
		doc.entries = append(doc.entries, e)
	}
	delete(top, "version")
	delete(top, "entries")
	for k, v := range top {
		top[k] = compact(v)
	}
	if len(top) > 0 {
		doc.extra = top
	}
	return doc, nil
}

// compact removes insignificant white space from a valid JSON value.
func compact(v json.RawMessage) json.RawMessage {
	var b bytes.Buffer
	if json.Compact(&b, v) != nil {
		return v
	}
	return b.Bytes()
}

// jsonProblem describes a JSON error without quoting the input, which may
// contain a secret.
func jsonProblem(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return "malformed JSON at byte " + strconv.FormatInt(se.Offset, 10)
	case errors.As(err, &te):
		return "a value of the wrong type"
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
	b = append(b, `,"created":"`...)
	b = e.Created.UTC().AppendFormat(b, time.RFC3339)
	b = append(b, `","updated":"`...)
	b = e.Updated.UTC().AppendFormat(b, time.RFC3339)
	b = append(b, '"')
	if e.Notes != "" {
		b = append(b, `,"notes":`...)
		b = appendString(b, e.Notes)
	}
	if len(e.Tags) > 0 {
		b = append(b, `,"tags":[`...)
		for i, t := range e.Tags {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, t)
		}
		b = append(b, ']')
	}
	b = appendExtra(b, e.extra)
	return append(b, '}')
}

// appendExtra appends unknown fields, sorted by name for a stable output.
func appendExtra(b []byte, extra map[string]json.RawMessage) []byte {
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
