package importers

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"keyshelf/vault/provider"
)

// opCategoryAPICredential is 1Password's category of API Credential items.
const opCategoryAPICredential = "112"

// opMaxData bounds export.data, the JSON inside a 1PUX archive.
const opMaxData = 64 << 20

// opFile is the part of a 1PUX archive's export.data that an import reads.
type opFile struct {
	Accounts []struct {
		Vaults []struct {
			Attrs struct {
				Name string `json:"name"`
			} `json:"attrs"`
			Items []opItem `json:"items"`
		} `json:"vaults"`
	} `json:"accounts"`
}

type opItem struct {
	CategoryUUID string `json:"categoryUuid"`
	CreatedAt    int64  `json:"createdAt"`
	State        string `json:"state"`
	Overview     struct {
		Title string   `json:"title"`
		URL   string   `json:"url"`
		Tags  []string `json:"tags"`
	} `json:"overview"`
	Details struct {
		LoginFields []struct {
			Designation string `json:"designation"`
			Value       string `json:"value"`
		} `json:"loginFields"`
		NotesPlain string `json:"notesPlain"`
		Password   string `json:"password"`
		Sections   []struct {
			Fields []opField `json:"fields"`
		} `json:"sections"`
		PasswordHistory []struct {
			Value string `json:"value"`
			Time  int64  `json:"time"`
		} `json:"passwordHistory"`
	} `json:"details"`
}

type opField struct {
	Title string `json:"title"`
	ID    string `json:"id"`
	Value struct {
		Concealed *string `json:"concealed"`
		String    *string `json:"string"`
		Date      *int64  `json:"date"`
	} `json:"value"`
}

// From1PUX reads 1Password's 1PUX export (a zip archive holding
// export.data). An API Credential item's credential comes ticked, with its
// expiry; concealed fields and text fields are judged by their names
// (Classify); a login's password comes unticked unless it has a provider's
// shape. Notes, tags, the vault (as a tag), the creation date and the
// password history carry over. Archived and deleted items are left out.
func From1PUX(data []byte) ([]Candidate, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("%w: not a 1PUX archive", ErrFormat)
	}
	var raw []byte
	for _, f := range zr.File {
		if f.Name != "export.data" {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("%w: export.data cannot be read", ErrFormat)
		}
		raw, err = io.ReadAll(io.LimitReader(rc, opMaxData+1))
		_ = rc.Close() // read only: the data is checked below
		if err != nil || len(raw) > opMaxData {
			return nil, fmt.Errorf("%w: export.data cannot be read or is too large", ErrFormat)
		}
	}
	if raw == nil {
		return nil, fmt.Errorf("%w: the archive has no export.data (not a 1PUX export)", ErrFormat)
	}
	var f opFile
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, fmt.Errorf("%w: export.data is not 1Password's JSON", ErrFormat)
	}
	var out []Candidate
	for _, a := range f.Accounts {
		for _, v := range a.Vaults {
			for _, it := range v.Items {
				if it.State == "archived" || it.State == "deleted" {
					continue
				}
				out = append(out, opCandidates(it, v.Attrs.Name)...)
			}
		}
	}
	return out, nil
}

func opCandidates(it opItem, vaultName string) []Candidate {
	title := strings.TrimSpace(it.Overview.Title)
	if title == "" {
		title = "Untitled"
	}
	base := Candidate{Notes: it.Details.NotesPlain, Tags: slices.Clone(it.Overview.Tags), Source: title}
	if vaultName != "" {
		base.Source = vaultName + " ▸ " + title
		if !slices.Contains(base.Tags, vaultName) {
			base.Tags = append(base.Tags, vaultName)
		}
	}
	if it.CreatedAt > 0 {
		base.Created = time.Unix(it.CreatedAt, 0).UTC()
	}
	apiCred := it.CategoryUUID == opCategoryAPICredential
	var expires time.Time
	for _, s := range it.Details.Sections {
		for _, fl := range s.Fields {
			if fl.Value.Date != nil && apiCred && strings.EqualFold(fl.ID, "expires") && *fl.Value.Date > 0 {
				expires = time.Unix(*fl.Value.Date, 0).UTC()
			}
		}
	}
	var out []Candidate
	for _, s := range it.Details.Sections {
		for _, fl := range s.Fields {
			val := ""
			switch {
			case fl.Value.Concealed != nil:
				val = *fl.Value.Concealed
			case fl.Value.String != nil:
				val = *fl.Value.String
			}
			if val == "" {
				continue
			}
			label := fl.Title
			if label == "" {
				label = fl.ID
			}
			c := base
			c.Secret = val
			c.Source += " (" + label + ")"
			if apiCred && strings.EqualFold(fl.ID, "credential") {
				c.Name, c.Key, c.Expires = title, true, expires
				if id, _, ok := provider.Identify(val); ok {
					c.Provider = id
				}
				c.Why = "the credential of an API Credential item"
				for i := len(it.Details.PasswordHistory) - 1; i >= 0; i-- { // newest first
					h := it.Details.PasswordHistory[i]
					var until time.Time
					if h.Time > 0 {
						until = time.Unix(h.Time, 0).UTC()
					}
					c.History = addOld(c.History, val, h.Value, until)
				}
			} else {
				if apiCred && fl.Value.Concealed == nil {
					continue // the item's user name, type, hostname: not secrets
				}
				c = fieldCandidate(base, title, label, val)
			}
			out = append(out, c)
		}
	}
	for _, lf := range it.Details.LoginFields {
		if lf.Designation != "password" || lf.Value == "" {
			continue
		}
		out = append(out, passwordCandidate(base, title, lf.Value, true))
	}
	return out
}
