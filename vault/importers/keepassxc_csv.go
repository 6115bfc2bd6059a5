package importers

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// FromKeePassCSV reads KeePassXC's CSV export (Database > Export > CSV
// File, or keepassxc-cli export -f csv): a header row naming the columns,
// of which Title and Password are needed and Group, Username, URL, Notes
// and Created are read. It decides as FromKeePassXML does; the CSV has no
// custom attributes, tags, expiry or history to carry over.
func FromKeePassCSV(data []byte) ([]Candidate, error) {
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
			return nil, fmt.Errorf("%w: the CSV has no %q column (KeePassXC's export has Group, Title, Username, Password, URL, Notes)", ErrFormat, need)
		}
	}
	var out []Candidate
	for line := 2; ; line++ {
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
				return rec[i]
			}
			return ""
		}
		e := kpEntry{Strings: []kpString{
			{"Title", get("title")}, {"UserName", get("username")}, {"Password", get("password")},
			{"URL", get("url")}, {"Notes", get("notes")},
		}}
		e.Times.CreationTime = get("created")
		var path []string
		for i, p := range strings.Split(get("group"), "/") {
			if p != "" && !(i == 0 && p == "Root") {
				path = append(path, p)
			}
		}
		out = append(out, kpCandidates(e, path)...)
	}
}
