package cmdline

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"golang.org/x/term"

	"keyshelf/vault"
	"keyshelf/vault/provider"
)

var commands []command

func init() {
	commands = []command{
		{name: "init", summary: "Create a new vault.", run: runInit},
		{name: "add", args: "[--provider P] [--key-id ID] [--env-name VAR] [--base-url URL] [--notes T] [--tags a,b] [--expires DATE] [--rotate-days N] [--used-by a,b] NAME", summary: "Add a key, read from standard input.", flags: addFlags, run: runAdd},
		{name: "set", args: "[--key-id ID] [--env-name VAR] [--exposed WHERE|none] [--expires DATE|none] [--rotate-days N] [--used-by a,b] NAME", summary: "Set a key's key ID, environment variable name, exposed mark, expiry, rotation interval or \"used by\" places.", flags: setFlags, run: runSet},
		{name: "test", args: "[--json] [--concurrency N] NAME | --all", summary: "Check keys with their providers (a free, read-only request each); exit 0 only when all are valid.", help: testHelp, flags: testFlags, run: runTest},
		{name: "list", args: "[--json]", summary: "List the keys, masked (--json adds attention, due dates and the last test).", flags: listFlags, run: runList},
		{name: "get", args: "NAME", summary: "Print a key and a newline (noted in its access log).", run: runGet},
		{name: "export", args: "[--format env|sh|powershell|cmd|backup] [--only NAME]... [--out FILE] [--backup-passphrase-file F]", summary: "Print keys as environment variable assignments (NAME=value, export NAME='value', ...), or write an encrypted backup.", help: exportHelp, flags: exportFlags, run: runExport},
		{name: "run", args: "[--only NAME]... [--env-file TEMPLATE] [--redact] -- COMMAND [ARGS]", summary: "Run a program with keys in its environment (OPENAI_API_KEY=...), passing on its exit status.", help: runCommandHelp, flags: runFlags, run: runRun},
		{name: "fill", args: "[--out FILE] TEMPLATE", summary: "Fill a .env template's empty values and keyshelf://KEY references with keys.", help: fillHelp, flags: fillFlags, run: runFill},
		{name: "scan", args: "[--json] [--accept] [--verbose] [--check] FOLDER...", summary: "Look for the vault's keys and provider-shaped keys in files; exit 1 when any are found.", help: scanHelp, flags: scanFlags, run: runScan},
		{name: "share", args: "(--to RECIPIENT | --passphrase) [--out FILE] NAME", summary: "Encrypt a key for a teammate's age or SSH public key, or a one-time passphrase.", help: shareHelp, flags: shareFlags, run: runShare},
		{name: "receive", args: "[--identity KEY]... [--share-passphrase-file F] FILE", summary: "Add the key of a share made for you to the vault.", help: receiveHelp, flags: receiveFlags, run: runReceive},
		{name: "git-credential", args: "[--name ENTRY] get|store|erase", summary: "Give git a GitHub or GitLab key as its credential helper (see its help for the set-up).", help: gitCredHelp, flags: gitCredFlags, run: runGitCredential},
		{name: "rotate", args: "NAME", summary: "Replace a key with one read from standard input; the old one stays in its history.", run: runRotate},
		{name: "due", args: "[--json]", summary: "List the keys due for rotation or expiring, most urgent first; exit 1 when any.", flags: dueFlags, run: runDue},
		{name: "merge", args: "[--other-passphrase-file F] [--backup-folder DIR] [FILE]", summary: "Merge another copy of the vault, or the sync services' conflict copies beside it, keeping every key.", help: mergeHelp, flags: mergeFlags, run: runMerge},
		{name: "rm", args: "NAME", summary: "Remove a key (the previous vault is kept as .bak).", run: runRm},
		{name: "passwd", args: "[--new-passphrase-file FILE]", summary: "Change the vault's passphrase.", flags: passwdFlags, run: runPasswd},
		{name: "remember", args: "[--label L]", summary: "Let this device unlock the vault without the passphrase (OS keychain).", flags: labelFlags, run: runRemember},
		{name: "forget", args: "[--label L]", summary: "Stop this device (or the one labelled L) unlocking without the passphrase.", flags: labelFlags, run: runForget},
		{name: "import", args: "[--format env|keepassxc-xml|keepassxc-csv|bitwarden-json|1password-1pux|1password-csv|keyshelf-backup] [--dry-run] [--all] [--export-password-file F] FILE", summary: "Import keys from a .env file or a KeePassXC, Bitwarden or 1Password export, listing them masked first.", help: importHelp, flags: importFlags, run: runImport},
		{name: "show", args: "[--no-start]", summary: "Bring the running window to the front; open it when Keyshelf is not running.", help: showHelp, flags: showFlags, run: runShow},
		{name: "help", args: "[COMMAND]", summary: "Show help.", run: runHelp},
		{name: "version", summary: "Print the version.", run: runVersion},
	}
}

func runHelp(r *runner, fs *flag.FlagSet, _ any) error {
	if fs.NArg() == 0 {
		r.usage(r.env.Stdout)
		return nil
	}
	c := findCommand(fs.Arg(0))
	if c == nil {
		return &usageError{msg: fmt.Sprintf("unknown command %q", fs.Arg(0))}
	}
	cfs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	if c.flags != nil {
		c.flags(cfs)
	}
	commandUsage(r.env.Stdout, c, cfs)
	return nil
}

func runVersion(r *runner, _ *flag.FlagSet, _ any) error {
	fmt.Fprintln(r.env.Stdout, "keyshelf", r.env.Version)
	return nil
}

func runInit(r *runner, fs *flag.FlagSet, _ any) error {
	if err := noArgs(fs); err != nil {
		return err
	}
	if _, err := os.Stat(r.path); err == nil {
		return fmt.Errorf("a vault already exists at %s", r.path)
	}
	pass, err := r.newPassphrase(r.g.PassphraseFile)
	if err != nil {
		return err
	}
	v, err := vault.Create(r.path, pass, r.options())
	if err != nil {
		return err
	}
	r.opened = append(r.opened, v)
	fmt.Fprintf(r.env.Stdout, "Created a vault at %s\n", r.path)
	return v.Close()
}

type addOptions struct {
	provider, keyID, baseURL, notes, tags, envName string
	lifecycleOptions
}

func addFlags(fs *flag.FlagSet) any {
	o := &addOptions{}
	fs.StringVar(&o.provider, "provider", "", "the provider `P` by its id, e.g. openai (default: detected from the key)")
	fs.StringVar(&o.keyID, "key-id", "", keyIDUsage)
	fs.StringVar(&o.baseURL, "base-url", "", "the `URL` to check the key against instead of the provider's (https, or http to this computer)")
	fs.StringVar(&o.notes, "notes", "", "notes about the key (`T`: any text)")
	fs.StringVar(&o.tags, "tags", "", "tags, comma-separated: `a,b`")
	fs.StringVar(&o.envName, "env-name", "", envNameUsage)
	o.lifecycleOptions.flags(fs)
	return o
}

func runAdd(r *runner, fs *flag.FlagSet, opts any) error {
	o := opts.(*addOptions)
	name, err := needName(fs)
	if err != nil {
		return err
	}
	if o.provider != "" {
		if _, ok := provider.Get(o.provider); !ok && o.provider != provider.Custom {
			return &usageError{msg: fmt.Sprintf("unknown provider %q", o.provider)}
		}
	}
	if err := o.check(r.loc()); err != nil {
		return err
	}
	v, err := r.openWritable()
	if err != nil {
		return err
	}
	defer v.Close()
	secret, err := r.readSecret("Key: ")
	if err != nil {
		return err
	}
	var tags []string
	if o.tags != "" {
		tags = strings.Split(o.tags, ",")
	}
	d := vault.Draft{Name: name, Provider: o.provider, Secret: secret, KeyID: o.keyID, Notes: o.notes, Tags: tags, BaseURL: o.baseURL, EnvName: o.envName}
	o.apply(&d, fs)
	res, err := v.Add(d)
	if err != nil {
		return err
	}
	r.noteSecret(res)
	if provider.Unusual(res.Entry.Provider, res.Entry.Secret) {
		fmt.Fprintf(r.env.Stderr, "keyshelf: note: the key looks unusual for %s; check that you copied all of it\n", provider.Name(res.Entry.Provider))
	}
	fmt.Fprintf(r.env.Stdout, "Added %q (%s)\n", res.Entry.Name, provider.Name(res.Entry.Provider))
	return v.Close()
}

// noteSecret says what was trimmed from a key just stored, and warns when
// spaces or line breaks are left inside it (the window's words).
func (r *runner) noteSecret(res vault.Result) {
	if res.SecretTrimmed {
		fmt.Fprintln(r.env.Stderr, "keyshelf: note: removed spaces or line breaks around the key")
	}
	if strings.ContainsAny(res.Entry.Secret, " \t\r\n") {
		fmt.Fprintln(r.env.Stderr, "keyshelf: warning: the key has spaces or line breaks inside it; check that you pasted the whole key and nothing else")
	}
}

// readSecret reads the key from standard input (one trailing line ending is
// part of how lines are typed, not of the key), or asks on the terminal
// with prompt. A character device that is no terminal (/dev/null) is read
// like a pipe when prompt cannot ask.
func (r *runner) readSecret(prompt string) (string, error) {
	if f, ok := r.env.Stdin.(*os.File); ok && r.env.Prompt != nil {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			s, err := r.env.Prompt(prompt)
			if err == nil || term.IsTerminal(int(f.Fd())) {
				// Never read a terminal with echo: its failure is final.
				return s, err
			}
		}
	}
	b, err := readAllLimited(r.env.Stdin, 64<<10)
	if err != nil {
		return "", fmt.Errorf("read the key: %w", err)
	}
	s := strings.TrimSuffix(string(b), "\n")
	return strings.TrimSuffix(s, "\r"), nil
}

type listOptions struct{ json bool }

func listFlags(fs *flag.FlagSet) any {
	o := &listOptions{}
	fs.BoolVar(&o.json, "json", false, "print a JSON array (keys masked)")
	return o
}

// listItem is one entry in `list --json`: never the full key. Times are
// RFC 3339 in UTC.
type listItem struct {
	ID       string    `json:"id"`
	Name     string    `json:"name"`
	Provider string    `json:"provider"`
	Masked   string    `json:"masked"`
	Tags     []string  `json:"tags"`
	Created  time.Time `json:"created"`
	Updated  time.Time `json:"updated"`
	BaseURL  string    `json:"base_url,omitempty"`
	// EnvName is the environment variable the key goes in (the entry's
	// own, else its provider's usual one); "" when none.
	EnvName string `json:"env_name"`
	// KeyID is the public half of a two-part credential (a Twilio SID, an
	// AWS access key id), shown whole; omitted when none.
	KeyID string `json:"key_id,omitempty"`
	// LastCheck is the full last check (omitted when none), kept for the
	// scripts that read it; LastTest is its short form, null when none.
	LastCheck *testItem `json:"last_check,omitempty"`
	LastTest  *lastTest `json:"last_test"`
	// Attention is "", "rotate-soon", "rotate-overdue", "expiring" or
	// "expired" (lifecycle.Attention).
	Attention   string     `json:"attention"`
	RotationDue *time.Time `json:"rotation_due"` // null: the key never rotates
	Expires     *time.Time `json:"expires"`      // null: the key does not expire
	LastRotated time.Time  `json:"last_rotated"` // its last rotation, else its creation
	// RotationDays is the interval in effect (the entry's, else the
	// vault's); 0 means never.
	RotationDays int      `json:"rotation_days"`
	UsedBy       []string `json:"used_by"`
}

// lastTest is an entry's last check in `list --json`.
type lastTest struct {
	Time    time.Time `json:"time"`
	Outcome string    `json:"outcome"`
	Detail  string    `json:"detail,omitempty"`
}

// newListItem is e as `list --json` prints it, judged at now in loc.
func newListItem(e vault.Entry, defaultDays int, now time.Time, loc *time.Location) listItem {
	nonNil := func(s []string) []string {
		if s == nil {
			return []string{}
		}
		return s
	}
	utc := func(t time.Time) *time.Time {
		if t.IsZero() {
			return nil
		}
		t = t.UTC()
		return &t
	}
	it := listItem{ID: e.ID, Name: e.Name, Provider: e.Provider, Masked: vault.Mask(e.Secret), Tags: nonNil(e.Tags),
		Created: e.Created.UTC(), Updated: e.Updated.UTC(), BaseURL: e.BaseURL, KeyID: e.KeyID, EnvName: e.Variable(),
		Attention: string(e.Attention(defaultDays, now, loc)), RotationDue: utc(e.RotationDue(defaultDays, loc)),
		LastRotated: e.LastRotated().UTC(), RotationDays: e.IntervalDays(defaultDays), UsedBy: nonNil(e.UsedBy)}
	if e.Expires != nil {
		it.Expires = utc(*e.Expires)
	}
	if c := e.LastCheck; c != nil {
		it.LastCheck = newTestItem(e, *c)
		it.LastTest = &lastTest{Time: c.Checked.UTC(), Outcome: string(c.Outcome), Detail: c.Detail}
	}
	return it
}

func runList(r *runner, fs *flag.FlagSet, opts any) error {
	if err := noArgs(fs); err != nil {
		return err
	}
	v, err := r.open(true)
	if err != nil {
		return err
	}
	defer v.Close()
	entries := v.List()
	if opts.(*listOptions).json {
		days, now, loc := v.RotationDays(), r.now(), r.loc()
		items := make([]listItem, len(entries))
		for i, e := range entries {
			items[i] = newListItem(e, days, now, loc)
		}
		return r.printJSON(items)
	}
	if len(entries) == 0 {
		fmt.Fprintln(r.env.Stderr, "No keys yet. Add one with: keyshelf add NAME")
		return nil
	}
	// The tabwriter writes each cell and each run of padding separately: a
	// buffer turns the 80,000 writes (system calls on a terminal, pipe or
	// file) of 10,000 rows into a few dozen.
	bw := bufio.NewWriterSize(r.env.Stdout, 64<<10)
	tw := tabwriter.NewWriter(bw, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tPROVIDER\tKEY\tUPDATED")
	for _, e := range entries {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", cutName(e.Name, maxNameWidth), provider.Name(e.Provider), vault.Mask(e.Secret), date(e.Updated))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	r.noteClashes(entries)
	return nil
}

// noteClashes says on stderr which variables several keys go in: allowed
// (a key per project), but run, export and fill then ask which one.
func (r *runner) noteClashes(entries []vault.Entry) {
	cs := vault.Clashes(entries)
	for i, c := range cs {
		if i == 3 {
			fmt.Fprintf(r.env.Stderr, "keyshelf: note: and %d more shared variables\n", len(cs)-3)
			break
		}
		fmt.Fprintf(r.env.Stderr, "keyshelf: note: %d keys go in %s (%s); run, export and fill ask which (--only)\n",
			len(c.Names), c.Variable, strings.Join(c.Names, ", "))
	}
}

func find(v *vault.Vault, name string) (vault.Entry, error) {
	e, ok := v.Find(name)
	if !ok {
		return e, fmt.Errorf("no key named %q", name)
	}
	return e, nil
}

func runGet(r *runner, fs *flag.FlagSet, _ any) error {
	name, err := needName(fs)
	if err != nil {
		return err
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
	if _, err := fmt.Fprintln(r.env.Stdout, e.Secret); err != nil {
		return err
	}
	// Printing is the command line's copy. A vault open read-only
	// elsewhere logs nothing; any other failure to log is only a warning,
	// since the key was printed.
	r.record(v, e.ID, vault.ActionCopied, "printed to standard output")
	return nil
}

// record adds an event to the entry's access log. A read-only vault
// records nothing, silently; another failure is a warning on stderr.
func (r *runner) record(v *vault.Vault, id string, a vault.Action, detail string) {
	r.recordMany(v, []string{id}, a, detail)
}

// printJSON prints v as indented JSON and a newline.
func (r *runner) printJSON(v any) error {
	// Encoded straight into a buffered writer: for 10,000 keys that is
	// about 5 MB that is neither gathered in one slice nor copied again.
	bw := bufio.NewWriterSize(r.env.Stdout, 64<<10)
	if err := json.MarshalWrite(bw, v, jsontext.Multiline(true)); err != nil {
		return err
	}
	if err := bw.WriteByte('\n'); err != nil {
		return err
	}
	return bw.Flush()
}

func runRm(r *runner, fs *flag.FlagSet, _ any) error {
	name, err := needName(fs)
	if err != nil {
		return err
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
	if _, err := v.Delete(e.ID); err != nil {
		return err
	}
	fmt.Fprintf(r.env.Stdout, "Removed %q\n", e.Name)
	return v.Close()
}

type passwdOptions struct{ newFile string }

func passwdFlags(fs *flag.FlagSet) any {
	o := &passwdOptions{}
	fs.StringVar(&o.newFile, "new-passphrase-file", "", "read the new passphrase from the first line of `FILE`")
	return o
}

func runPasswd(r *runner, fs *flag.FlagSet, opts any) error {
	if err := noArgs(fs); err != nil {
		return err
	}
	v, err := r.open(false)
	if err != nil {
		return err
	}
	defer v.Close()
	pass, err := r.newPassphrase(opts.(*passwdOptions).newFile)
	if err != nil {
		return err
	}
	rk, err := v.ChangePassphrase(pass)
	if err != nil {
		return err
	}
	fmt.Fprintln(r.env.Stdout, "Passphrase changed; the vault has a new data key, so the old passphrase opens none of it from now on")
	r.reportRekey(rk)
	return v.Close()
}

type labelOptions struct{ label string }

func labelFlags(fs *flag.FlagSet) any {
	o := &labelOptions{}
	fs.StringVar(&o.label, "label", "", "the device's label `L` (default: this computer's name)")
	return o
}

func runRemember(r *runner, fs *flag.FlagSet, opts any) error {
	if err := noArgs(fs); err != nil {
		return err
	}
	v, err := r.open(false)
	if err != nil {
		return err
	}
	defer v.Close()
	label := opts.(*labelOptions).label
	if label == "" {
		label = vault.ThisDeviceLabel()
	}
	if err := v.Remember(label); err != nil {
		return err
	}
	fmt.Fprintf(r.env.Stdout, "This device (%s) now unlocks the vault without the passphrase\n", label)
	return v.Close()
}

func runForget(r *runner, fs *flag.FlagSet, opts any) error {
	if err := noArgs(fs); err != nil {
		return err
	}
	v, err := r.open(true)
	if err != nil {
		return err
	}
	defer v.Close()
	label := opts.(*labelOptions).label
	rk, err := v.Forget(label)
	if errors.Is(err, vault.ErrPassphraseNeeded) {
		// Unlocked with this device's key: renewing the data key needs the
		// passphrase.
		var pass string
		if pass, err = r.passphrase("Passphrase: "); err != nil {
			return err
		}
		if err = v.ConfirmPassphrase(pass); err != nil {
			return err
		}
		rk, err = v.Forget(label)
	}
	if errors.Is(err, vault.ErrNoDeviceKey) {
		if label != "" {
			return fmt.Errorf("the vault has no device labelled %q", label)
		}
		return errors.New("this device is not remembered for this vault")
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(r.env.Stdout, "Forgot %s; the vault has a new data key, so %s opens none of it from now on\n",
		strings.Join(rk.Forgotten, ", "), plural(len(rk.Forgotten), "that device key", "those device keys"))
	r.reportRekey(rk)
	return v.Close()
}

// reportRekey says what renewing the data key did to the other devices and
// the backup.
func (r *runner) reportRekey(rk vault.Rekeyed) {
	if len(rk.Kept) > 0 {
		fmt.Fprintf(r.env.Stdout, "This device (%s) still unlocks the vault without the passphrase\n", strings.Join(rk.Kept, ", "))
	}
	if len(rk.Dropped) > 0 {
		fmt.Fprintf(r.env.Stdout, "No longer remembered: %s; run \"keyshelf remember\" on %s to unlock it without the passphrase again\n",
			strings.Join(rk.Dropped, ", "), plural(len(rk.Dropped), "that computer", "those computers"))
	}
	if len(rk.Lost) > 0 {
		fmt.Fprintf(r.env.Stdout, "This device (%s) could not keep its key in the keychain and needs the passphrase again; run \"keyshelf remember\" here to try again\n", strings.Join(rk.Lost, ", "))
	}
	if rk.Problems != nil {
		fmt.Fprintf(r.env.Stderr, "keyshelf: warning: %v\n", rk.Problems)
	}
}

// plural picks one or many by n.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
