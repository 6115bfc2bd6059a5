package importers

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"keyshelf/vault"
	"keyshelf/vault/dotenv"
)

// The formats Read knows, as the command line's --format names them.
const (
	FormatEnv           = "env"
	FormatKeePassXML    = "keepassxc-xml"
	FormatKeePassCSV    = "keepassxc-csv"
	FormatBitwardenJSON = "bitwarden-json"
	Format1PUX          = "1password-1pux"
	Format1PasswordCSV  = "1password-csv"
	FormatBackup        = "keyshelf-backup"
)

// Formats lists every format Read knows, in the order help texts give them.
var Formats = []string{FormatEnv, FormatKeePassXML, FormatKeePassCSV, FormatBitwardenJSON, Format1PUX, Format1PasswordCSV, FormatBackup}

// FormatTitle is how a format is named to users, such as "KeePassXC XML
// export"; "" for an unknown format.
func FormatTitle(format string) string {
	switch format {
	case FormatEnv:
		return ".env file"
	case FormatKeePassXML:
		return "KeePassXC XML export"
	case FormatKeePassCSV:
		return "KeePassXC CSV export"
	case FormatBitwardenJSON:
		return "Bitwarden JSON export"
	case Format1PUX:
		return "1Password 1PUX export"
	case Format1PasswordCSV:
		return "1Password CSV export"
	case FormatBackup:
		return "Keyshelf backup"
	}
	return ""
}

// ErrUnknownFormat: Read was given a format it does not know.
var ErrUnknownFormat = errors.New("unknown import format")

// Sniff recognises a file's format from its first bytes: a vault file is a
// Keyshelf backup, a zip archive is
// a 1PUX export, KeePass XML by its root element, the CSV exports by their
// header lines, Bitwarden's JSON by its "items"; anything else is read as
// a .env file.
func Sniff(data []byte) string {
	head := strings.TrimLeft(strings.TrimPrefix(string(data[:min(len(data), 4096)]), "\ufeff"), " \t\r\n")
	first, _, _ := strings.Cut(head, "\n")
	switch {
	case vault.IsVaultFile(data):
		return FormatBackup
	case strings.HasPrefix(string(data), "PK\x03\x04"):
		return Format1PUX
	case strings.HasPrefix(head, "<") && strings.Contains(head, "<KeePassFile"):
		return FormatKeePassXML
	case strings.Contains(first, `"Title"`) && strings.Contains(first, `"Password"`):
		return FormatKeePassCSV
	case onePasswordCSVHeader(first):
		return Format1PasswordCSV
	case strings.HasPrefix(head, "{") && (strings.Contains(head, `"items"`) || strings.Contains(head, `"encrypted"`)):
		return FormatBitwardenJSON
	}
	return FormatEnv
}

// Read reads data in format (one of Formats; "" to Sniff it) into
// candidates, with the .env reader's warnings (duplicate names, lines it
// could not read). It returns ErrUnknownFormat, wrapped, for any other
// format, ErrNeedsPassword for Bitwarden's password-protected export,
// which FromBitwardenProtected reads, and ErrBackupNeedsPassphrase for a
// Keyshelf backup, which FromBackup reads.
func Read(format string, data []byte) ([]Candidate, []dotenv.Warning, error) {
	if format == "" {
		format = Sniff(data)
	}
	var cands []Candidate
	var err error
	switch format {
	case FormatEnv:
		return FromEnv(data)
	case FormatKeePassXML:
		cands, err = FromKeePassXML(data)
	case FormatKeePassCSV:
		cands, err = FromKeePassCSV(data)
	case FormatBitwardenJSON:
		cands, err = FromBitwardenJSON(data)
	case Format1PUX:
		cands, err = From1PUX(data)
	case Format1PasswordCSV:
		cands, err = From1PasswordCSV(data)
	case FormatBackup:
		if err := vault.CheckHeader(data); err != nil {
			return nil, nil, err
		}
		return nil, nil, ErrBackupNeedsPassphrase
	default:
		return nil, nil, fmt.Errorf("%w %q", ErrUnknownFormat, format)
	}
	return cands, nil, err
}

// Step is what an import does with one candidate: the preview's row.
type Step struct {
	C Candidate
	// Name is the entry name it gets: the candidate's name, or with the
	// lowest free " (N)" when the vault or an earlier step has that name.
	// Every step has one, also those not taken, so that ticking one in the
	// preview needs no renaming.
	Name string
	// Take reports whether it is imported: a key that is not a duplicate
	// (or anything not a duplicate when Plan was given all).
	Take bool
	// Duplicate names the vault entry (or, with InFile, the earlier
	// candidate) that already holds this value; "" when none.
	Duplicate string
	InFile    bool
}

// Renamed reports whether the step's name differs from the candidate's.
func (s Step) Renamed() bool { return s.Name != s.C.Name }

// Plan decides per candidate, in order: a value the vault or an earlier
// candidate already holds is a duplicate and not taken; what is not a key
// is not taken unless all; the rest is. Taken steps get their names first,
// so that a left-out value never pushes a key's name to " (3)".
func Plan(have []vault.Entry, cands []Candidate, all bool) []Step {
	values := make(map[string]string, len(have)+len(cands)) // secret -> name
	names := make(map[string]bool, len(have)+len(cands))
	for _, e := range have {
		values[e.Secret] = e.Name
		names[strings.ToLower(e.Name)] = true
	}
	steps := make([]Step, len(cands))
	for i, c := range cands {
		s := Step{C: c}
		if n, ok := values[c.Secret]; ok {
			s.Duplicate = n
			s.InFile = !vaultHas(have, c.Secret)
		} else {
			s.Take = c.Key || all
			values[c.Secret] = c.Name
		}
		steps[i] = s
	}
	for _, pass := range []bool{true, false} {
		for i := range steps {
			if steps[i].Take == pass {
				steps[i].Name = FreeName(steps[i].C.Name, names)
				names[strings.ToLower(steps[i].Name)] = true
			}
		}
	}
	// An in-file duplicate names the earlier step as it will be called.
	for i := range steps {
		if !steps[i].InFile {
			continue
		}
		for j := range i {
			if steps[j].C.Secret == steps[i].C.Secret {
				steps[i].Duplicate = steps[j].Name
				break
			}
		}
	}
	return steps
}

func vaultHas(have []vault.Entry, secret string) bool {
	for _, e := range have {
		if e.Secret == secret {
			return true
		}
	}
	return false
}

// FreeName is name, or name with the lowest " (N)" whose lower-case form is
// not in taken.
func FreeName(name string, taken map[string]bool) string {
	if !taken[strings.ToLower(name)] {
		return name
	}
	for n := 2; ; n++ {
		c := fmt.Sprintf("%s (%d)", name, n)
		if !taken[strings.ToLower(c)] {
			return c
		}
	}
}

// NameError reports a taken step whose name cannot be used: empty, the
// name of a vault entry, or the name of another taken step.
type NameError struct {
	Index  int // into the steps
	Name   string
	Reason string
}

func (e *NameError) Error() string {
	if e.Name == "" {
		return fmt.Sprintf("row %d: %s", e.Index+1, e.Reason)
	}
	return fmt.Sprintf("%q: %s", e.Name, e.Reason)
}

// CheckNames checks the names of the taken steps after the user edited
// them: each must be non-empty and differ, ignoring case and surrounding
// spaces, from every vault entry and every other taken step. It returns
// the first problem as a *NameError, or nil.
func CheckNames(have []vault.Entry, steps []Step) error {
	inVault := make(map[string]bool, len(have))
	for _, e := range have {
		inVault[strings.ToLower(e.Name)] = true
	}
	seen := map[string]int{}
	for i, s := range steps {
		if !s.Take {
			continue
		}
		name := strings.TrimSpace(s.Name)
		k := strings.ToLower(name)
		switch j, dup := seen[k]; {
		case name == "":
			return &NameError{Index: i, Reason: "the name is empty"}
		case inVault[k]:
			return &NameError{Index: i, Name: name, Reason: "the vault already has a key with this name"}
		case dup:
			return &NameError{Index: i, Name: name, Reason: fmt.Sprintf("rows %d and %d have the same name", j+1, i+1)}
		}
		seen[k] = i
	}
	return nil
}

// Draft is the entry a taken step adds: its name, the candidate's
// provider, value, environment variable name (when a shell could use it),
// notes (or, without notes, which file it came from), tags, expiry, created
// date and earlier values. file is the name of the file read, without its folder.
func (s Step) Draft(file string) vault.Draft {
	c := s.C
	if c.Entry != nil {
		d := c.Entry.Draft()
		d.Name = strings.TrimSpace(s.Name)
		d.Created, d.History = c.Entry.Created, slices.Clone(c.Entry.History)
		return d
	}
	d := vault.Draft{Name: strings.TrimSpace(s.Name), Provider: c.Provider, Secret: c.Secret, Notes: c.Notes, Tags: c.Tags,
		Created: c.Created, History: slices.Clone(c.History)}
	if n, err := vault.CleanEnvName(c.EnvName); err == nil {
		d.EnvName = n
	}
	if d.Notes == "" {
		d.Notes = "Imported from " + file
	}
	if !c.Expires.IsZero() {
		t := c.Expires
		d.Expires = &t
	}
	return d
}
