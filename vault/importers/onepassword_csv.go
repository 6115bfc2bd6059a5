package importers

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// onePasswordCSVHeader reports whether a CSV header line is 1Password's:
// 1Password 8 writes Title,Url,Username,Password,OTPAuth,Favorite,Archived,
// Tags,Notes; KeePassXC's has a Group column and quotes every name.
func onePasswordCSVHeader(line string) bool {
	l := strings.ToLower(line)
	return strings.Contains(l, "title") && strings.Contains(l, "password") &&
		strings.Contains(l, "url") && strings.Contains(l, "otpauth")
}

// From1PasswordCSV reads 1Password's CSV export (File > Export, CSV): a
// header row naming the columns, of which Title and Password are needed and
// Url, Username, Archived, Tags and Notes are read. 1Password writes only
// Login and Password items to it, so an item's password is judged as in
// the other exports: a provider's shape makes it a key, a user name or an
// address makes it a website login, else the title decides. Archived items
// are left out; the CSV has no custom fields, expiry or history to carry
// over (the 1PUX export has them).
func From1PasswordCSV(data []byte) ([]Candidate, error) {
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%w: no CSV header row", ErrFormat)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	for _, need := range []string{"title", "password"} {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("%w: the CSV has no %q column (1Password's export has Title, Url, Username, Password, Notes)", ErrFormat, need)
		}
	}
	var out []Candidate
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, fmt.Errorf("%w: CSV error on line %d", ErrFormat, pe.Line)
			}
			return nil, fmt.Errorf("%w: unreadable CSV", ErrFormat)
		}
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		line, _ := r.FieldPos(0)
		password := get("password")
		if password == "" || strings.EqualFold(get("archived"), "true") {
			continue
		}
		title := get("title")
		if title == "" {
			title = "Imported key"
		}
		base := Candidate{Source: fmt.Sprintf("line %d", line), Notes: get("notes"), Tags: opCSVTags(get("tags"))}
		login := get("username") != "" || get("url") != ""
		out = append(out, passwordCandidate(base, title, password, login))
	}
}

// opCSVTags splits 1Password's Tags cell, which separates tags with commas
// (inside the quoted cell) or semicolons.
func opCSVTags(cell string) []string {
	var out []string
	for _, t := range strings.FieldsFunc(cell, func(r rune) bool { return r == ',' || r == ';' }) {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}
