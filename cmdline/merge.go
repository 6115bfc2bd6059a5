package cmdline

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"keyshelf/vault"
)

const mergeHelp = `Merges another copy of the vault into this one, entry by entry: a key
changed on one side takes that change; a key changed on both keeps the one
changed last and puts the other value in its history, so no key is lost; a
key deleted on one side stays deleted unless the other changed it later;
two keys with the same name both stay, one renamed "NAME (2)". The other
file is only read.

Without FILE, it merges the conflict copies that sync services leave
beside the vault (Syncthing's vault.sync-conflict-….keyshelf, Dropbox's
"conflicted copy", Nextcloud's, OneDrive's vault-COMPUTER.keyshelf, Google
Drive's "vault (1).keyshelf") and moves each one merged into the backup
folder (--backup-folder, by default "merged" beside the default vault
location, outside the synced folder). A copy made with another passphrase
is opened with --other-passphrase-file, or the passphrase asked for once.
It prints what changed.`

type mergeOptions struct{ otherPassFile, backupDir string }

func mergeFlags(fs *flag.FlagSet) any {
	o := &mergeOptions{}
	fs.StringVar(&o.otherPassFile, "other-passphrase-file", "", "read the other copy's passphrase, when it differs, from the first line of `FILE`")
	fs.StringVar(&o.backupDir, "backup-folder", "", "move merged conflict copies into `DIR` (default: \"merged\" beside the default vault)")
	return o
}

func runMerge(r *runner, fs *flag.FlagSet, opts any) error {
	o := opts.(*mergeOptions)
	if fs.NArg() > 1 {
		return &usageError{msg: "merge takes at most one FILE", cmd: "merge"}
	}
	r.merging = true
	v, err := r.openWritable()
	if err != nil {
		return err
	}
	defer v.Close()
	otherPass := ""
	if o.otherPassFile != "" {
		if otherPass, err = readPassFile(o.otherPassFile, r.env); err != nil {
			return err
		}
	}
	askOnce := func(what string) (string, error) {
		if otherPass != "" {
			return "", fmt.Errorf("%s: %w", what, vault.ErrWrongPassphrase)
		}
		p, err := r.ask("Passphrase of " + what + ": ")
		if err != nil {
			return "", fmt.Errorf("%s was written with another passphrase: use --other-passphrase-file FILE", what)
		}
		otherPass = p
		return p, nil
	}

	if fs.NArg() == 1 {
		file := fs.Arg(0)
		rep, err := v.MergeFile(file, otherPass)
		if errors.Is(err, vault.ErrOtherKey) || errors.Is(err, vault.ErrOtherVault) {
			var p string
			if p, err = askOnce(filepath.Base(file)); err != nil {
				return err
			}
			rep, err = v.MergeFile(file, p)
		}
		if err != nil {
			return err
		}
		if err := printMerge(r.env.Stdout, "Merged "+filepath.Base(file), rep); err != nil {
			return err
		}
		return v.Close()
	}

	dir := o.backupDir
	if dir == "" {
		if dir, err = vault.MergedFolder(); err != nil {
			return err
		}
	}
	copies, err := v.MergeConflicts(dir, otherPass, true)
	if err != nil {
		return err
	}
	var waiting []string
	for _, c := range copies {
		if errors.Is(c.Err, vault.ErrOtherKey) {
			waiting = append(waiting, c.Path)
		}
	}
	if len(waiting) > 0 {
		p, err := askOnce(fmt.Sprintf("%d conflict cop%s", len(waiting), plural(len(waiting), "y", "ies")))
		if err != nil {
			return err
		}
		again, err := v.MergeConflicts(dir, p, true)
		if err != nil {
			return err
		}
		for i, c := range copies {
			for _, a := range again {
				if a.Path == c.Path {
					copies[i] = a
				}
			}
		}
	}
	if len(copies) == 0 {
		if _, err := fmt.Fprintln(r.env.Stdout, "No conflict copies beside the vault."); err != nil {
			return err
		}
		return v.Close()
	}
	failed := 0
	for _, c := range copies {
		name := filepath.Base(c.Path)
		if !c.Merged {
			failed++
			fmt.Fprintf(r.env.Stderr, "keyshelf: %s (%s) was not merged: %v\n", name, c.Service, c.Err)
			continue
		}
		if err := printMerge(r.env.Stdout, fmt.Sprintf("Merged %s (%s)", name, c.Service), c.Report); err != nil {
			return err
		}
		if c.Err != nil {
			failed++
			fmt.Fprintf(r.env.Stderr, "keyshelf: %s: %v\n", name, c.Err)
		} else if _, err := fmt.Fprintf(r.env.Stdout, "  moved to %s\n", c.MovedTo); err != nil {
			return err
		}
	}
	if err := v.Close(); err != nil {
		return err
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d conflict copies not merged or not moved", failed, len(copies))
	}
	return nil
}

// printMerge writes title, the report in a few words, and the names of the
// keys each part concerns (names only, never keys).
func printMerge(w io.Writer, title string, rep vault.MergeReport) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s\n", title, rep)
	list := func(what string, names []string) {
		if len(names) > 0 {
			fmt.Fprintf(&b, "  %s: %s\n", what, strings.Join(names, ", "))
		}
	}
	list("added", rep.Added)
	list("updated", rep.Updated)
	list("changed on both sides, both values kept", rep.Combined)
	list("deleted", rep.Deleted)
	list("kept though deleted, changed after the deletion", rep.Revived)
	for _, rn := range rep.Renamed {
		fmt.Fprintf(&b, "  renamed (same name): %s -> %s\n", rn.From, rn.To)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
