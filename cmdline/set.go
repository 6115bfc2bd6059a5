package cmdline

import (
	"flag"
	"fmt"
	"strings"
	"time"

	"keyshelf/vault"
	"keyshelf/vault/lifecycle"
)

// dateLayout is how dates are typed: an expiry is the start of that day in
// the local time zone, as in the window's editor.
const dateLayout = "2006-01-02"

// lifecycleOptions are the rotation, expiry and "used by" flags of add and
// set.
type lifecycleOptions struct {
	expires, usedBy string
	rotateDays      int
	expiresAt       *time.Time // parsed by check
}

func (o *lifecycleOptions) flags(fs *flag.FlagSet) {
	fs.StringVar(&o.expires, "expires", "", "when the key stops working, `YYYY-MM-DD` (local time zone); none to clear")
	fs.IntVar(&o.rotateDays, "rotate-days", 0, "rotate every `N` days; 0 the vault's default, -1 never")
	fs.StringVar(&o.usedBy, "used-by", "", "the places where the key is deployed, comma-separated (`a,b`), listed after a rotation")
}

// check parses and validates the flags' values.
func (o *lifecycleOptions) check(loc *time.Location) error {
	if o.rotateDays > lifecycle.MaxIntervalDays {
		return &usageError{msg: fmt.Sprintf("--rotate-days must be at most %d", lifecycle.MaxIntervalDays)}
	}
	if o.rotateDays < -1 {
		return &usageError{msg: "--rotate-days must be -1 (never), 0 (the default) or a number of days"}
	}
	if s := strings.TrimSpace(o.expires); s != "" && s != "none" {
		t, err := time.ParseInLocation(dateLayout, s, loc)
		if err != nil {
			return &usageError{msg: fmt.Sprintf("--expires %q: write the date as YYYY-MM-DD", o.expires)}
		}
		if err := vault.CheckDate(t); err != nil {
			return &usageError{msg: fmt.Sprintf("--expires %q: give a date from 1970 to 9999", o.expires)}
		}
		o.expiresAt = &t
	}
	return nil
}

// apply sets the fields of d whose flags were given.
func (o *lifecycleOptions) apply(d *vault.Draft, fs *flag.FlagSet) {
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "expires":
			d.Expires = o.expiresAt
		case "rotate-days":
			d.RotationDays = o.rotateDays
		case "used-by":
			d.UsedBy = strings.Split(o.usedBy, ",")
		}
	})
}

// keyIDUsage describes --key-id.
const keyIDUsage = "the `ID` that goes with a two-part key: a Twilio SID (AC… or SK…) or an AWS access key id (AKIA…); names the provider when --provider is not given"

// envNameUsage describes --env-name.
const envNameUsage = "the environment variable `VAR` the key goes in, such as OPENAI_API_KEY (letters, digits and _)"

// setOptions are the flags of set.
type setOptions struct {
	keyID, envName, exposed string
	lifecycleOptions
}

func setFlags(fs *flag.FlagSet) any {
	o := &setOptions{}
	fs.StringVar(&o.keyID, "key-id", "", keyIDUsage+"; \"\" to clear")
	fs.StringVar(&o.envName, "env-name", "", envNameUsage+"; \"\" for the provider's usual one (OPENAI_API_KEY), or none")
	fs.StringVar(&o.exposed, "exposed", "", "mark the key exposed, saying `WHERE` (\"pasted in a chat\"); none takes the marks off")
	o.flags(fs)
	return o
}

func runSet(r *runner, fs *flag.FlagSet, opts any) error {
	o := opts.(*setOptions)
	name, err := needName(fs)
	if err != nil {
		return err
	}
	given := 0
	fs.Visit(func(*flag.Flag) { given++ })
	if given == 0 {
		return &usageError{msg: "nothing to set: give --key-id, --env-name, --exposed, --expires, --rotate-days or --used-by"}
	}
	if err := o.check(r.loc()); err != nil {
		return err
	}
	v, err := r.openWritable()
	if err != nil {
		return err
	}
	defer v.Close()
	e, err := find(v, name)
	if err != nil {
		return err
	}
	d := e.Draft()
	o.apply(&d, fs)
	keyID, envName, exposed := false, false, false
	fs.Visit(func(f *flag.Flag) {
		keyID = keyID || f.Name == "key-id"
		envName = envName || f.Name == "env-name"
		exposed = exposed || f.Name == "exposed"
	})
	if exposed {
		if strings.EqualFold(strings.TrimSpace(o.exposed), "none") {
			_, err = v.ClearExposed(e.ID, vault.SourceCommand)
		} else {
			_, err = v.MarkExposed(e.ID, o.exposed, vault.SourceCommand)
		}
		if err != nil {
			return err
		}
	}
	if keyID {
		d.KeyID = o.keyID
	}
	if envName {
		d.EnvName = o.envName
	}
	res, err := v.Update(e.ID, d)
	if err != nil {
		return err
	}
	it := newListItem(res.Entry, v.RotationDays(), r.now(), r.loc())
	var parts []string
	switch {
	case keyID && res.Entry.KeyID != "":
		parts = append(parts, "key ID set")
	case keyID:
		parts = append(parts, "key ID cleared")
	}
	switch {
	case envName && res.Entry.EnvName != "":
		parts = append(parts, "environment variable "+res.Entry.EnvName)
	case envName && res.Entry.Variable() != "":
		parts = append(parts, "environment variable back to the provider's, "+res.Entry.Variable())
	case envName:
		parts = append(parts, "environment variable cleared")
	}
	switch {
	case exposed && len(res.Entry.Exposed) > 0:
		parts = append(parts, "marked exposed: rotate it now (keyshelf rotate)")
	case exposed:
		parts = append(parts, "no longer marked exposed")
	}
	if it.RotationDue != nil {
		parts = append(parts, "rotation due "+it.RotationDue.In(r.loc()).Format(dateLayout))
	} else {
		parts = append(parts, "never rotates")
	}
	if it.Expires != nil {
		parts = append(parts, "expires "+it.Expires.In(r.loc()).Format(dateLayout))
	}
	if len(it.UsedBy) > 0 {
		parts = append(parts, "used by "+strings.Join(it.UsedBy, ", "))
	}
	fmt.Fprintf(r.env.Stdout, "Updated %s: %s\n", res.Entry.Name, strings.Join(parts, "; "))
	return v.Close()
}
