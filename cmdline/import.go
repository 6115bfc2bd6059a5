package cmdline

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"

	"keyshelf/vault"
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
passwords, notes and folders only) and bitwarden-json (Bitwarden's .json
export: passwords, hidden and text fields, keys in secure notes, with notes,
folders and password history; the password-protected encrypted export asks
for its password, or reads it from --export-password-file; the
account-restricted one is refused) and 1password-1pux (1Password's File > Export > 1PUX: API
Credential items with their expiry and history, concealed fields; logins
listed but left out unless --all) and 1password-csv (its CSV export: Login
and Password items' passwords, notes and tags) and keyshelf-backup (a backup
from 'keyshelf export --format backup', or any vault file: every key whole,
with its passphrase asked, or read from --export-password-file). The format
is recognised from the file when --format is not given. Delete the export once imported: it holds
your passwords unencrypted.`

type importOptions struct {
	format, passwordFile string
	dryRun, all          bool
}

func importFlags(fs *flag.FlagSet) any {
	o := &importOptions{}
	fs.StringVar(&o.format, "format", "", "the file's `FORMAT`: "+strings.Join(importers.Formats, ", ")+" (default: recognised from the file)")
	fs.BoolVar(&o.dryRun, "dry-run", false, "list what would be imported; change nothing")
	fs.BoolVar(&o.all, "all", false, "import every value listed, also those that do not look like keys")
	fs.StringVar(&o.passwordFile, "export-password-file", "", "read the password of a password-protected Bitwarden export, or the passphrase of a Keyshelf backup, from the first line of `FILE` (default: asked on the terminal)")
	return o
}

// maxImportFile is the largest file import reads.
const maxImportFile = 16 << 20

func runImport(r *runner, fs *flag.FlagSet, opts any) error {
	o := opts.(*importOptions)
	if fs.NArg() != 1 {
		return &usageError{msg: "name the file to import: keyshelf import FILE"}
	}
	if o.format != "" && !slices.Contains(importers.Formats, o.format) {
		return &usageError{msg: fmt.Sprintf("unknown format %q (this version reads %s)", o.format, strings.Join(importers.Formats, ", "))}
	}
	file := fs.Arg(0)
	data, err := readFileLimited(file, maxImportFile)
	if err != nil {
		return err
	}
	cands, warns, err := importers.Read(o.format, data)
	for _, w := range warns {
		fmt.Fprintf(r.env.Stderr, "keyshelf: %s: %s\n", file, w)
	}
	switch {
	case errors.Is(err, importers.ErrNeedsPassword):
		cands, err = r.readProtected(data, o.passwordFile)
	case errors.Is(err, importers.ErrBackupNeedsPassphrase):
		cands, err = r.readBackup(data, o.passwordFile)
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
	plan := importers.Plan(v.List(), cands, o.all)

	bw := bufio.NewWriter(r.env.Stdout)
	tw := tabwriter.NewWriter(bw, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tPROVIDER\tKEY\tFROM\tWHAT")
	var drafts []vault.Draft
	for _, p := range plan {
		name := p.C.Name
		if p.Take && p.Renamed() {
			name = p.Name + " (was " + p.C.Name + ")"
		}
		prov := "-"
		if p.C.Provider != "" {
			prov = provider.Name(p.C.Provider)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", name, prov, vault.Mask(p.C.Secret), p.C.Source, stepWhat(p))
		if p.Take {
			drafts = append(drafts, p.Draft(filepath.Base(file)))
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

// readProtected reads Bitwarden's password-protected export with the
// password from file, else asked on the terminal.
func (r *runner) readProtected(data []byte, file string) ([]importers.Candidate, error) {
	var pass string
	var err error
	if file != "" {
		pass, err = readPassFile(file, r.env)
	} else if pass, err = r.ask("Password of the Bitwarden export: "); err != nil {
		return nil, fmt.Errorf("%w: give it with --export-password-file FILE, or run import on a terminal", importers.ErrNeedsPassword)
	}
	if err != nil {
		return nil, err
	}
	return importers.FromBitwardenProtected(data, pass)
}

// readBackup reads a Keyshelf backup with its passphrase from file, else
// asked on the terminal.
func (r *runner) readBackup(data []byte, file string) ([]importers.Candidate, error) {
	var pass string
	var err error
	if file != "" {
		pass, err = readPassFile(file, r.env)
	} else if pass, err = r.ask("Passphrase of the backup: "); err != nil {
		return nil, fmt.Errorf("%w: give it with --export-password-file FILE, or run import on a terminal", importers.ErrBackupNeedsPassphrase)
	}
	if err != nil {
		return nil, err
	}
	return importers.FromBackup(data, pass)
}

// stepWhat says in the listing what import does with a step.
func stepWhat(p importers.Step) string {
	switch {
	case p.Duplicate != "" && p.InFile:
		return "skipped: the same key as " + p.Duplicate + " above"
	case p.Duplicate != "":
		return "skipped: the vault has it as " + p.Duplicate
	case !p.Take:
		return "left out: " + p.C.Why + " (--all imports it)"
	case p.Renamed():
		return "import as " + p.Name + " (the name is taken)"
	}
	return "import"
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
