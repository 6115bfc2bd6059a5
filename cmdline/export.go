package cmdline

import (
	"errors"
	"flag"
	"fmt"

	"keyshelf/vault"
	"keyshelf/vault/shellvar"
)

const exportHelp = `Formats:
  env         NAME=value lines, as a .env file has them (docker --env-file,
              python-dotenv, direnv's dotenv)
  sh          export NAME='value' lines, for eval in sh, bash and zsh:
              eval "$(keyshelf export --format sh --only OPENAI_API_KEY)"
  powershell  $env:NAME = 'value' lines
  cmd         set "NAME=value" lines (a key with ", % or a line break cannot
              be written for cmd; use powershell)
  backup      every key, whole (earlier values, access logs, dates), in an
              encrypted vault file under a passphrase of its own (asked twice,
              or --backup-passphrase-file FILE); needs --out, ignores --only.
              It opens as a vault ('keyshelf --vault FILE list') and
              'keyshelf import FILE' reads it back.

Without --only, every key that has an environment variable is exported; a
variable that several keys go in is an error that names them. Without --out
the lines go to standard output; with it, FILE is written with mode 0600 and
a warning, and another warning when git would not ignore it. Each exported
key's access log notes the export.`

type exportOptions struct {
	format, out, passFile string
	only                  names
}

func exportFlags(fs *flag.FlagSet) any {
	o := &exportOptions{}
	fs.StringVar(&o.format, "format", "env", "`FORMAT`: env, sh, powershell, cmd or backup")
	fs.Var(&o.only, "only", onlyUsage)
	fs.StringVar(&o.out, "out", "", "write to `FILE` (mode 0600) instead of standard output")
	fs.StringVar(&o.passFile, "backup-passphrase-file", "", "with --format backup: the backup's passphrase, from the first line of `FILE`")
	return o
}

func runExport(r *runner, fs *flag.FlagSet, opts any) error {
	o := opts.(*exportOptions)
	if err := noArgs(fs); err != nil {
		return err
	}
	if o.out != "" && sameFile(o.out, r.path) {
		return &usageError{msg: "--out is the vault itself"}
	}
	if o.format == "backup" {
		return r.exportBackup(o)
	}
	sh, err := shellvar.Parse(o.format)
	if err != nil {
		return &usageError{msg: "unknown format " + fmt.Sprintf("%q", o.format) + " (env, sh, powershell, cmd or backup)"}
	}
	v, err := r.open(true)
	if err != nil {
		return err
	}
	defer v.Close()
	cs, err := chooseVariables(v.List(), o.only)
	if err != nil {
		return err
	}
	if len(cs) == 0 {
		return fmt.Errorf("no key has an environment variable (give one with 'keyshelf set --env-name VAR NAME')")
	}
	vars := make([]shellvar.Var, len(cs))
	for i, c := range cs {
		vars[i] = shellvar.Var{Name: c.Variable, Value: c.Entry.Secret}
	}
	block, err := shellvar.Block(sh, vars)
	if err != nil {
		return err
	}
	where := "standard output"
	if o.out != "" {
		if err := r.writePlainFile(o.out, []byte(block)); err != nil {
			return err
		}
		where = o.out
	} else if _, err := fmt.Fprint(r.env.Stdout, block); err != nil {
		return err
	}
	r.recordMany(v, ids(cs), vault.ActionExported, fmt.Sprintf("exported (%s) to %s", sh, where))
	return v.Close()
}

// recordMany adds an event to the access logs of the entries with ids,
// with one save. A read-only vault records nothing, silently; another
// failure is a warning on stderr (what was logged already happened).
func (r *runner) recordMany(v *vault.Vault, ids []string, a vault.Action, detail string) {
	if v.ReadOnly() || len(ids) == 0 {
		return
	}
	if err := v.RecordMany(ids, a, vault.SourceCommand, detail); err != nil && !errors.Is(err, vault.ErrReadOnly) {
		fmt.Fprintf(r.env.Stderr, "keyshelf: warning: the access log was not updated: %s\n", message(err, r.path))
	}
}

// exportBackup writes the encrypted backup (see exportHelp).
func (r *runner) exportBackup(o *exportOptions) error {
	if o.out == "" {
		return &usageError{msg: "--format backup needs --out FILE"}
	}
	if len(o.only) > 0 {
		return &usageError{msg: "a backup holds every key: leave out --only"}
	}
	v, err := r.open(true)
	if err != nil {
		return err
	}
	defer v.Close()
	pass, err := r.newPassphrase(o.passFile)
	if err != nil {
		return err
	}
	if err := v.WriteBackup(o.out, pass); err != nil {
		return err
	}
	n := v.Len()
	fmt.Fprintf(r.env.Stdout, "Wrote a backup of %d %s to %s; it opens with its own passphrase.\n", n, plural(n, "key", "keys"), o.out)
	return v.Close()
}
