package importers

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// ErrFormat is wrapped by the errors of the password managers' readers.
var ErrFormat = errors.New("not a file this import reads")

// kpFile is the part of a KeePass 2 XML file (KeePassXC's "XML" export,
// unencrypted) that an import reads.
type kpFile struct {
	XMLName xml.Name `xml:"KeePassFile"`
	Meta    struct {
		RecycleBinUUID string `xml:"RecycleBinUUID"`
	} `xml:"Meta"`
	Root struct {
		Groups []kpGroup `xml:"Group"`
	} `xml:"Root"`
}

type kpGroup struct {
	UUID    string    `xml:"UUID"`
	Name    string    `xml:"Name"`
	Entries []kpEntry `xml:"Entry"`
	Groups  []kpGroup `xml:"Group"`
}

type kpEntry struct {
	Strings []kpString `xml:"String"`
	Tags    string     `xml:"Tags"`
	Times   struct {
		CreationTime         string `xml:"CreationTime"`
		LastModificationTime string `xml:"LastModificationTime"`
		ExpiryTime           string `xml:"ExpiryTime"`
		Expires              string `xml:"Expires"`
	} `xml:"Times"`
	History struct {
		Entries []kpEntry `xml:"Entry"`
	} `xml:"History"`
}

type kpString struct {
	Key   string `xml:"Key"`
	Value string `xml:"Value"`
}

// kpStandard are the fields every KeePass entry has; the others are custom
// attributes.
var kpStandard = []string{"Title", "UserName", "Password", "URL", "Notes"}

// FromKeePassXML reads KeePassXC's XML export. Each entry's password and
// each custom attribute that holds a value become candidates: ticked when
// Classify (or the entry's title) says key; a website login (a user name or
// a URL beside the password) comes unticked unless the password has a
// provider's shape. Notes, tags and the folder path (as tags), the creation
// and expiry times and the password's history carry over. The recycle bin
// is left out.
func FromKeePassXML(data []byte) ([]Candidate, error) {
	var f kpFile
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	if err := d.Decode(&f); err != nil {
		return nil, fmt.Errorf("%w: not KeePass XML (%v)", ErrFormat, xmlWhere(err))
	}
	var out []Candidate
	var walk func(g kpGroup, path []string)
	walk = func(g kpGroup, path []string) {
		if g.UUID != "" && g.UUID == f.Meta.RecycleBinUUID {
			return
		}
		if len(path) > 0 || g.Name != "Root" {
			path = append(slices.Clone(path), g.Name)
		}
		for _, e := range g.Entries {
			out = append(out, kpCandidates(e, path)...)
		}
		for _, sub := range g.Groups {
			walk(sub, path)
		}
	}
	for _, g := range f.Root.Groups {
		walk(g, nil)
	}
	return out, nil
}

// xmlWhere is the decoder's error without any text of the file: a syntax
// error names its line only.
func xmlWhere(err error) string {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("XML error on line %d", se.Line)
	}
	return "unexpected content"
}

func (e kpEntry) field(k string) string {
	for _, s := range e.Strings {
		if s.Key == k {
			return s.Value
		}
	}
	return ""
}

func kpCandidates(e kpEntry, path []string) []Candidate {
	title := strings.TrimSpace(e.field("Title"))
	if title == "" {
		title = "Untitled"
	}
	base := Candidate{
		Notes:  e.field("Notes"),
		Tags:   kpTags(e.Tags, path),
		Source: strings.Join(append(slices.Clone(path), title), " ▸ "),
	}
	if t, err := time.Parse(time.RFC3339, e.Times.CreationTime); err == nil {
		base.Created = t.UTC()
	}
	if strings.EqualFold(e.Times.Expires, "True") {
		if t, err := time.Parse(time.RFC3339, e.Times.ExpiryTime); err == nil {
			base.Expires = t.UTC()
		}
	}
	var out []Candidate
	if pw := e.field("Password"); pw != "" {
		c := passwordCandidate(base, title, pw, e.field("UserName") != "" || e.field("URL") != "")
		// History holds snapshots, oldest first: a password was replaced
		// when the next state (a snapshot, or the entry itself) with
		// another password was saved.
		states := append(slices.Clone(e.History.Entries), e)
		for i := 0; i+1 < len(states); i++ {
			old := states[i].field("Password")
			for _, next := range states[i+1:] {
				if next.field("Password") != old {
					c.History = addOld(c.History, pw, old, kpTime(next.Times.LastModificationTime))
					break
				}
			}
		}
		out = append(out, c)
	}
	for _, s := range e.Strings {
		if slices.Contains(kpStandard, s.Key) || s.Value == "" {
			continue
		}
		out = append(out, fieldCandidate(base, title, s.Key, s.Value))
	}
	return out
}

// kpTime parses a KeePass XML time (RFC 3339, UTC); zero when absent or
// unreadable.
func kpTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}

// keyTitle reports whether an entry's title says it holds an API key.
func keyTitle(title string) bool {
	t := strings.ToLower(title)
	for _, w := range []string{"api key", "api-key", "apikey", "token", "secret key", "access key"} {
		if strings.Contains(t, w) {
			return true
		}
	}
	return keyName(title)
}

// kpTags are an entry's tags (KeePassXC separates them with ";" or ","),
// then its folders.
func kpTags(tags string, path []string) []string {
	var out []string
	for _, t := range strings.FieldsFunc(tags, func(r rune) bool { return r == ';' || r == ',' }) {
		if t = strings.TrimSpace(t); t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	for _, p := range path {
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// passwordCandidate is an item's password as a candidate: a key when it has
// a provider's shape; else a website login when the item has a user name or
// an address; else a key when the item's name says so and the value looks
// like one.
func passwordCandidate(base Candidate, title, secret string, login bool) Candidate {
	c := base
	c.Name, c.Secret = title, secret
	key, id, why := Classify(title, secret)
	switch {
	case id != "":
		// A provider's shape wins, login or not.
	case login:
		key, why = false, "a website login (user name or URL), not an API key"
	case !key && keyTitle(title) && keyLike(secret):
		key, why = true, "its name says it is a key"
	}
	c.Key, c.Provider, c.Why = key, id, why
	return c
}

// fieldCandidate is a custom field's value as a candidate named after the
// item and the field, judged by the field's name.
func fieldCandidate(base Candidate, item, field, value string) Candidate {
	c := base
	c.Name, c.Secret = item+" – "+field, value
	c.Source += " (" + field + ")"
	c.Key, c.Provider, c.Why = Classify(field, value)
	if envLike(field) {
		c.EnvName = field
	}
	return c
}

// envLike reports whether a field's name is written as an environment
// variable that holds a key (OPENAI_API_KEY, GITHUB_TOKEN): upper-case
// letters, digits and _, with a name that says key, token or secret.
func envLike(name string) bool {
	if name == "" || name[0] >= '0' && name[0] <= '9' || !keyName(name) {
		return false
	}
	for _, r := range name {
		if !(r == '_' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}
