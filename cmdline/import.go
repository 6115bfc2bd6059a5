package cmdline

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"keyshelf/vault"
	"keyshelf/vault/dotenv"
	"keyshelf/vault/importers"
	"keyshelf/vault/provider"
)

const importHelp = `Reads FILE and lists what it found, keys masked: each value's name, the
provider its shape shows, where in the file it was, and what happens to it.
Values that look like API keys are imported; settings and values that do not
look like keys are listed and left out unless --all is given. A key whose
value the vault already holds is skipped, so importing the same file again
adds nothing; a name already taken gets " (2)" (or the next free number).
--dry-run lists without importing. FILE is only read, never changed.

Formats: env (a .env file: NAME=value lines, export prefixes, quotes,
comments; nothing in it is run or expanded) and keepassxc-xml (KeePassXC's
Database > Export > XML File, or keepassxc-cli export -f xml: passwords and
custom attributes, with notes, tags and folders, and expiry; website logins
are listed but left out unless --all), keepassxc-csv (its CSV export:
passwords, notes and folders only) and bitwarden-json (Bitwarden's
unencrypted .json export: passwords, hidden and text fields, keys in secure
notes, with notes, folders and password history; the encrypted export is
refused) and 1password-1pux (1Password's File > Export > 1PUX: API
Credential items with their expiry and history, concealed fields; logins
listed but left out unless --all). The format is recognised from the
file when --format is not given. Delete the export once imported: it holds
your passwords unencrypted.`

type importOptions struct {
	format string
	dryRun bool
	all    bool
}

func importFlags(fs *flag.FlagSet) any {
	o := &importOptions{}
	fs.StringVar(&o.format, "format", "", "the file's `FORMAT`: env, keepassxc-xml, keepassxc-csv, bitwarden-json or 1password-1pux (default: recognised from the file)")
	fs.BoolVar(&o.dryRun, "dry-run", false, "list what would be imported; change nothing")
	fs.BoolVar(&o.all, "all", false, "import every value listed, also those that do not look like keys")
	return o
}

// maxImportFile is the largest file import reads.
const maxImportFile = 16 << 20

func runImport(r *runner, fs *flag.FlagSet, opts any) error {
	o := opts.(*importOptions)
	if fs.NArg() != 1 {
		return &usageError{msg: "name the file to import: keyshelf import FILE"}
	}
	switch o.format {
	case "", "env", "keepassxc-xml", "keepassxc-csv", "bitwarden-json", "1password-1pux":
	default:
		return &usageError{msg: fmt.Sprintf("unknown format %q (this version reads env, keepassxc-xml, keepassxc-csv, bitwarden-json and 1password-1pux)", o.format)}
	}
	file := fs.Arg(0)
	data, err := readFileLimited(file, maxImportFile)
	if err != nil {
		return err
	}
	format := o.format
	if format == "" {
		format = sniffFormat(data)
	}
	var cands []importers.Candidate
	switch format {
	case "keepassxc-xml":
		cands, err = importers.FromKeePassXML(data)
	case "keepassxc-csv":
		cands, err = importers.FromKeePassCSV(data)
	case "bitwarden-json":
		cands, err = importers.FromBitwardenJSON(data)
	case "1password-1pux":
		cands, err = importers.From1PUX(data)
	default:
		var warns []dotenv.Warning
		cands, warns, err = importers.FromEnv(data)
		for _, w := range warns {
			fmt.Fprintf(r.env.Stderr, "keyshelf: %s: %s\n", file, w)
		}
	}
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}

	var v *vault.Vault
	if o.dryRun {
		v, err = r.open(true)
	} else {
		v, err = r.openWritable()
	}
	if err != nil {
		return err
	}
	defer v.Close()
	plan := planImport(v.List(), cands, o.all)

	bw := bufio.NewWriter(r.env.Stdout)
	tw := tabwriter.NewWriter(bw, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tPROVIDER\tKEY\tFROM\tWHAT")
	var drafts []vault.Draft
	for _, p := range plan {
		name := p.c.Name
		if p.name != "" && p.name != p.c.Name {
			name = p.name + " (was " + p.c.Name + ")"
		}
		prov := "-"
		if p.c.Provider != "" {
			prov = provider.Name(p.c.Provider)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", name, prov, vault.Mask(p.c.Secret), p.c.Source, p.what)
		if p.take {
			drafts = append(drafts, draftOf(p, filepath.Base(file)))
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	switch {
	case o.dryRun:
		fmt.Fprintf(r.env.Stdout, "Dry run: %d %s would be imported; nothing changed.\n", len(drafts), plural(len(drafts), "key", "keys"))
		return nil
	case len(drafts) == 0:
		fmt.Fprintln(r.env.Stdout, "Nothing to import.")
		return v.Close()
	}
	if _, err := v.AddAll(drafts); err != nil {
		return err
	}
	if err := v.Close(); err != nil {
		return err
	}
	fmt.Fprintf(r.env.Stdout, "Imported %d %s from %s.\n", len(drafts), plural(len(drafts), "key", "keys"), file)
	return nil
}

// draftOf is the entry an import step adds: the candidate's notes (or where
// it came from), tags and expiry. Its created date and earlier values are
// not kept yet: vault.Draft has no fields for them.
func draftOf(p importStep, file string) vault.Draft {
	d := vault.Draft{Name: p.name, Provider: p.c.Provider, Secret: p.c.Secret, Notes: p.c.Notes, Tags: p.c.Tags}
	if d.Notes == "" {
		d.Notes = "Imported from " + file
		if p.c.EnvName != "" {
			d.Notes += " (" + p.c.EnvName + ")"
		}
	}
	if !p.c.Expires.IsZero() {
		t := p.c.Expires
		d.Expires = &t
	}
	return d
}

// sniffFormat tells the formats apart by the file's start: KeePass XML,
// KeePassXC's CSV header, or else a .env file.
func sniffFormat(data []byte) string {
	head := strings.TrimLeft(strings.TrimPrefix(string(data[:min(len(data), 4096)]), "\ufeff"), " \t\r\n")
	first, _, _ := strings.Cut(head, "\n")
	switch {
	case strings.HasPrefix(string(data), "PK\x03\x04"):
		return "1password-1pux" // a zip archive
	case strings.HasPrefix(head, "<") && strings.Contains(head, "<KeePassFile"):
		return "keepassxc-xml"
	case strings.Contains(first, `"Title"`) && strings.Contains(first, `"Password"`):
		return "keepassxc-csv"
	case strings.HasPrefix(head, "{") && strings.Contains(head, `"items"`):
		return "bitwarden-json"
	}
	return "env"
}

// importStep is what import does with one candidate.
type importStep struct {
	c    importers.Candidate
	name string // the entry name it gets ("" when not taken)
	take bool
	what string // for the listing
}

// planImport decides per candidate: skip a value the vault (or an earlier
// candidate) already holds, leave out what is not a key unless all, and
// give a taken name the next free " (N)".
func planImport(have []vault.Entry, cands []importers.Candidate, all bool) []importStep {
	values := map[string]string{} // secret -> entry name
	names := map[string]bool{}
	for _, e := range have {
		values[e.Secret] = e.Name
		names[strings.ToLower(e.Name)] = true
	}
	steps := make([]importStep, 0, len(cands))
	for _, c := range cands {
		s := importStep{c: c}
		switch {
		case values[c.Secret] != "":
			s.what = "skipped: the vault has it as " + values[c.Secret]
		case !c.Key && !all:
			s.what = "left out: " + c.Why + " (--all imports it)"
		default:
			s.take = true
			s.name = freeName(c.Name, names)
			names[strings.ToLower(s.name)] = true
			values[c.Secret] = s.name
			s.what = "import"
			if s.name != c.Name {
				s.what = "import as " + s.name + " (the name is taken)"
			}
		}
		steps = append(steps, s)
	}
	return steps
}

// freeName is name, or name with the lowest " (N)" that is not taken.
func freeName(name string, taken map[string]bool) string {
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

// readFileLimited reads a whole file of at most limit bytes.
func readFileLimited(path string, limit int64) (_ []byte, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	data, err := readAllLimited(f, limit)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return data, nil
}
