package cmdline

import (
	"errors"
	"flag"
	"fmt"
	"path/filepath"

	"filippo.io/age"

	"keyshelf/vault"
	"keyshelf/vault/exportfile"
	"keyshelf/vault/provider"
	"keyshelf/vault/share"
)

const shareHelp = `Writes NAME's key, with its name, provider and environment variable, as an
age-encrypted file (ASCII-armored, so it can be pasted too) that only the
teammate can open: --to takes their age public key (age1…), an SSH public
key line (ssh-ed25519 or ssh-rsa, such as those their code host publishes
at https://github.com/USER.keys), or a file holding one. --passphrase
instead makes up a one-time passphrase, printed on stderr, to give them by
another way (say it on a call). The teammate runs 'keyshelf receive FILE',
or, without Keyshelf, 'age -d -i ~/.ssh/id_ed25519 FILE'. Without --out the
share goes to standard output. Each share is noted in the key's access log.`

const receiveHelp = `Opens a share from 'keyshelf share' (or any age file holding the same plain
text) and adds its key to the vault, under a free name. The keys tried are
each --identity (an age identity file or an SSH private key), else
~/.ssh/id_ed25519 and ~/.ssh/id_rsa; a share for a passphrase asks for it
(or reads --share-passphrase-file). A share made for someone else is refused.`

type shareOptions struct {
	to, out    string
	passphrase bool
}

func shareFlags(fs *flag.FlagSet) any {
	o := &shareOptions{}
	fs.StringVar(&o.to, "to", "", "the teammate's age or SSH public key, or a `FILE` holding one")
	fs.BoolVar(&o.passphrase, "passphrase", false, "encrypt for a one-time passphrase instead (printed on stderr)")
	fs.StringVar(&o.out, "out", "", "write the share to `FILE` instead of standard output")
	return o
}

func runShare(r *runner, fs *flag.FlagSet, opts any) error {
	o := opts.(*shareOptions)
	name, err := needName(fs)
	if err != nil {
		return err
	}
	if (o.to == "") == !o.passphrase {
		return &usageError{msg: "give either --to RECIPIENT or --passphrase"}
	}
	var rec age.Recipient
	var pass string
	if o.passphrase {
		pass = share.OneTimePassphrase()
		if rec, err = share.PassphraseRecipient(pass); err != nil {
			return err
		}
	} else if rec, err = share.ParseRecipient(o.to); err != nil {
		return &usageError{msg: err.Error()}
	}
	v, err := r.open(true)
	if err != nil {
		return err
	}
	defer v.Close()
	e, err := find(v, name)
	if err != nil {
		return err
	}
	sealed, err := share.Seal(share.Share{Name: e.Name, Provider: e.Provider, EnvName: e.Variable(), Secret: e.Secret}, rec)
	if err != nil {
		return err
	}
	where := "standard output"
	if o.out != "" {
		if err := exportfile.Write(o.out, sealed); err != nil {
			return err
		}
		where = o.out
	} else if _, err := r.env.Stdout.Write(sealed); err != nil {
		return err
	}
	if pass != "" {
		fmt.Fprintf(r.env.Stderr, "keyshelf: the one-time passphrase, to give by another way than the file: %s\n", pass)
	}
	if o.out != "" {
		fmt.Fprintf(r.env.Stderr, "keyshelf: wrote %s; they open it with 'keyshelf receive %s'\n", o.out, filepath.Base(o.out))
	}
	r.record(v, e.ID, vault.ActionExported, "shared (age) to "+where)
	return v.Close()
}

type receiveOptions struct {
	identities names
	passFile   string
}

func receiveFlags(fs *flag.FlagSet) any {
	o := &receiveOptions{}
	fs.Var(&o.identities, "identity", "an age identity file or SSH private `KEY` to open the share with; again for more")
	fs.StringVar(&o.passFile, "share-passphrase-file", "", "for a share made with --passphrase: read the passphrase from the first line of `FILE`")
	return o
}

func runReceive(r *runner, fs *flag.FlagSet, opts any) error {
	o := opts.(*receiveOptions)
	file, err := needName(fs)
	if err != nil {
		return &usageError{msg: "name the share FILE: keyshelf receive FILE"}
	}
	data, err := readFileLimited(file, share.MaxSize)
	if err != nil {
		return err
	}
	var ids []age.Identity
	if share.ForPassphrase(data) {
		var pass string
		if o.passFile != "" {
			pass, err = readPassFile(o.passFile, r.env)
		} else {
			pass, err = r.ask("The share's passphrase: ")
		}
		if err != nil {
			return err
		}
		id, err := share.PassphraseIdentity(pass)
		if err != nil {
			return err
		}
		ids = []age.Identity{id}
	} else {
		paths := []string(o.identities)
		if len(paths) == 0 {
			if paths = share.DefaultIdentities(); len(paths) == 0 {
				return errors.New("no key to open the share with: give --identity FILE (an age identity or an SSH private key)")
			}
		}
		if ids, err = share.LoadIdentities(paths, r.ask); err != nil {
			return err
		}
	}
	s, err := share.Open(data, ids...)
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	v, err := r.openWritable()
	if err != nil {
		return err
	}
	defer v.Close()
	d, already := s.Draft(v.List(), filepath.Base(file))
	if already != "" {
		fmt.Fprintf(r.env.Stdout, "The vault already has this key, as %q; nothing added.\n", already)
		return v.Close()
	}
	res, err := v.Add(d)
	if err != nil {
		return err
	}
	fmt.Fprintf(r.env.Stdout, "Added %q (%s) %s\n", res.Entry.Name, provider.Name(res.Entry.Provider), vault.Mask(res.Entry.Secret))
	return v.Close()
}
