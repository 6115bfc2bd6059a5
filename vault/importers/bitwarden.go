package importers

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"keyshelf/vault/provider"
)

// bwFile is the part of Bitwarden's unencrypted JSON export (Tools > Export
// vault > .json) that an import reads.
type bwFile struct {
	Encrypted         bool `json:"encrypted"`
	PasswordProtected bool `json:"passwordProtected"`
	Folders           []struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"folders"`
	Items *[]bwItem `json:"items"`
}

type bwItem struct {
	Type         int    `json:"type"` // 1 login, 2 secure note, 3 card, 4 identity
	Name         string `json:"name"`
	Notes        string `json:"notes"`
	FolderID     string `json:"folderId"`
	CreationDate string `json:"creationDate"`
	Fields       []struct {
		Name  string `json:"name"`
		Value string `json:"value"`
		Type  int    `json:"type"` // 0 text, 1 hidden, 2 boolean, 3 linked
	} `json:"fields"`
	Login *struct {
		Username string `json:"username"`
		Password string `json:"password"`
		URIs     []struct {
			URI string `json:"uri"`
		} `json:"uris"`
	} `json:"login"`
	PasswordHistory []struct {
		Password     string `json:"password"`
		LastUsedDate string `json:"lastUsedDate"`
	} `json:"passwordHistory"`
}

// FromBitwardenJSON reads Bitwarden's unencrypted JSON export. A login's
// password comes ticked only when it has a provider's shape or the item
// has no user name or address and its name says key; hidden and text
// custom fields are judged by their names (Classify); a secure note
// offers each word of its text that has a provider's shape. Notes, the
// folder (as a tag), the creation date and the password history carry
// over. The password-protected export gives ErrNeedsPassword (read it
// with FromBitwardenProtected); the account-restricted encrypted export,
// which only Bitwarden can open, is refused with a clear message.
func FromBitwardenJSON(data []byte) ([]Candidate, error) {
	var f bwFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("%w: not a Bitwarden JSON export", ErrFormat)
	}
	switch {
	case f.Encrypted && f.PasswordProtected:
		return nil, ErrNeedsPassword
	case f.Encrypted:
		return nil, fmt.Errorf("%w: this is Bitwarden's account-restricted encrypted export, which only Bitwarden can open; export the vault as \".json\", or as \"encrypted\" with \"password protected\", import that, then delete it", ErrFormat)
	case f.PasswordProtected || f.Items == nil:
		return nil, fmt.Errorf("%w: not a Bitwarden JSON export", ErrFormat)
	}
	folders := map[string]string{}
	for _, fo := range f.Folders {
		folders[fo.ID] = fo.Name
	}
	var out []Candidate
	for _, it := range *f.Items {
		name := strings.TrimSpace(it.Name)
		if name == "" {
			name = "Untitled"
		}
		base := Candidate{Notes: it.Notes, Source: name}
		if fo := folders[it.FolderID]; fo != "" {
			base.Tags = []string{fo}
			base.Source = fo + " ▸ " + name
		}
		if t, err := time.Parse(time.RFC3339, it.CreationDate); err == nil {
			base.Created = t.UTC()
		}
		if it.Login != nil && it.Login.Password != "" {
			c := passwordCandidate(base, name, it.Login.Password, it.Login.Username != "" || len(it.Login.URIs) > 0)
			for i := len(it.PasswordHistory) - 1; i >= 0; i-- { // Bitwarden lists the newest first
				h := it.PasswordHistory[i]
				var until time.Time
				if t, err := time.Parse(time.RFC3339, h.LastUsedDate); err == nil {
					until = t.UTC()
				}
				c.History = addOld(c.History, c.Secret, h.Password, until)
			}
			out = append(out, c)
		}
		for _, fl := range it.Fields {
			if fl.Value == "" || (fl.Type != 0 && fl.Type != 1) {
				continue
			}
			out = append(out, fieldCandidate(base, name, fl.Name, fl.Value))
		}
		if it.Type == 2 {
			n := 0
			for _, w := range strings.Fields(it.Notes) {
				w = strings.Trim(w, `"'.,;()[]{}<>`)
				if id, ok := provider.Detect(w); ok {
					n++
					c := base
					c.Name, c.Secret, c.Provider, c.Key = name, w, id, true
					if n > 1 {
						c.Name = fmt.Sprintf("%s %d", name, n)
					}
					c.Why = "a " + provider.Name(id) + " key in a secure note"
					c.Source += " (note)"
					out = append(out, c)
				}
			}
		}
	}
	return out, nil
}
