// Package cmdline is Keyshelf's command-line mode, for scripts, tests and
// power users: keyshelf [global flags] COMMAND [flags] [NAME]. It is built on
// the same vault package as the window.
package cmdline

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"keyshelf/vault"
	"keyshelf/vault/check"
	"keyshelf/vault/keychain"
)

// Env is the outside world of a command run; tests replace every part.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	// Environ is the environment `keyshelf run` starts its program with,
	// before the keys; nil means os.Environ.
	Environ  func() []string
	Keychain keychain.Keychain // nil: no keychain
	// Options are the base vault options (KDF parameters, clock: Now, nil
	// for the real one). Source is always vault.SourceCommand.
	Options vault.Options
	// Location is the time zone the rotation and expiry rules are judged
	// in (what "due in 3 days" counts); nil means time.Local. Times are
	// printed in UTC all the same.
	Location *time.Location
	// Prompt asks for a line without echo, on the terminal. nil, or an error,
	// means there is no terminal.
	Prompt  func(prompt string) (string, error)
	Version string
	// Checker checks keys for `keyshelf test`; nil means check.New().
	// Tests point it at loopback servers (Client, Bases).
	Checker *check.Checker
	// Context cancels long work such as `keyshelf test --all`; nil means
	// an interrupt (Ctrl-C) during that work.
	Context context.Context
	// Window is the desktop window for `keyshelf show`; nil means there
	// is none (show then fails).
	Window Window
}

// Globals are the flags before the command.
type Globals struct {
	Vault          string
	PassphraseFile string
}

// usageError is a mistake in the command line itself (exit status 2).
type usageError struct{ msg, cmd string }

func (e *usageError) Error() string { return e.msg }

// ParseGlobals splits the global flags from the command and its arguments.
// An empty rest means no command: the window should open.
func ParseGlobals(args []string) (Globals, []string, error) {
	var g Globals
	fs := flag.NewFlagSet("keyshelf", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&g.Vault, "vault", "", "")
	fs.StringVar(&g.PassphraseFile, "passphrase-file", "", "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return g, []string{"help"}, nil
		}
		return g, nil, flagError(err, "")
	}
	return g, fs.Args(), nil
}

type command struct {
	name, args, summary string
	// help is more about the command for 'keyshelf help COMMAND' (exit
	// status, output), or empty.
	help  string
	flags func(fs *flag.FlagSet) any
	run   func(r *runner, fs *flag.FlagSet, opts any) error
}

const topUsage = `Keyshelf keeps API keys in an encrypted vault.

Usage: keyshelf [--vault FILE] [--passphrase-file FILE] COMMAND [flags] [NAME]
       keyshelf                      open the window (or bring the running one up)

Global flags:
  --vault FILE            the vault file (default: $KEYSHELF_VAULT, else
                          Keyshelf/vault.keyshelf in the user config folder)
  --passphrase-file FILE  read the passphrase from the first line of FILE
                          instead of asking on the terminal

Commands:
`

func (r *runner) usage(w io.Writer) {
	fmt.Fprint(w, topUsage)
	width := 0
	for _, c := range commands {
		width = max(width, len(c.name))
	}
	for _, c := range commands {
		fmt.Fprintf(w, "  %-*s %s\n", width, c.name, c.summary)
	}
	fmt.Fprint(w, "\nRun 'keyshelf help COMMAND' for a command's flags.\n")
}

func commandUsage(w io.Writer, c *command, fs *flag.FlagSet) {
	fmt.Fprintf(w, "Usage: keyshelf [global flags] %s %s\n\n%s\n", c.name, c.args, c.summary)
	if c.help != "" {
		fmt.Fprintf(w, "\n%s\n", c.help)
	}
	has := false
	fs.VisitAll(func(*flag.Flag) { has = true })
	if has {
		fmt.Fprint(w, "\nFlags:\n")
		printFlags(w, fs)
	}
}

// printFlags lists fs's flags as the README writes them, with two dashes
// (the flag package accepts both; its PrintDefaults shows one): each
// "--name VALUE" in a column, then its usage and any default.
func printFlags(w io.Writer, fs *flag.FlagSet) {
	type row struct{ left, usage string }
	var rows []row
	width := 0
	fs.VisitAll(func(f *flag.Flag) {
		value, usage := flag.UnquoteUsage(f)
		left := "--" + f.Name
		switch value {
		case "":
		case "int":
			left += " N"
		case "string":
			left += " VALUE"
		default:
			left += " " + value
		}
		if d := f.DefValue; d != "" && d != "0" && d != "false" {
			usage += " (default " + d + ")"
		}
		rows = append(rows, row{left, usage})
		width = max(width, len(left))
	})
	for _, r := range rows {
		fmt.Fprintf(w, "  %-*s  %s\n", width, r.left, r.usage)
	}
}

// flagError is a flag parsing error with its flag written with two dashes,
// as help and the README write it ("flag provided but not defined: -x").
func flagError(err error, cmd string) *usageError {
	msg := err.Error()
	for _, p := range []string{"not defined: -", "needs an argument: -", " for flag -"} {
		msg = strings.Replace(msg, p, p+"-", 1)
	}
	return &usageError{msg: msg, cmd: cmd}
}

func findCommand(name string) *command {
	for i := range commands {
		if commands[i].name == name {
			return &commands[i]
		}
	}
	return nil
}

// runner carries one invocation's state.
type runner struct {
	env  Env
	g    Globals
	path string
	// opened are the vaults this run opened or created, for their save
	// warnings (see warnSaves).
	opened []saveWarner
	// merging: this run is 'merge', which takes in the conflict copies
	// that other commands only mention.
	merging bool
}

// saveWarner is the part of *vault.Vault that warnSaves asks.
type saveWarner interface{ TakeSaveWarning() error }

// warnSaves prints, once, that a save of this run succeeded with a warning
// (the file system did not confirm the folder write). The change is saved.
func (r *runner) warnSaves() {
	for _, v := range r.opened {
		if w := v.TakeSaveWarning(); w != nil {
			fmt.Fprintf(r.env.Stderr, "keyshelf: warning: %s\n", message(w, r.path))
			return
		}
	}
}

// Run runs one command line (without the program name) and returns the exit
// status: 0 success, 1 failure, 2 a usage mistake. Failures print one line
// on stderr; no secret or passphrase is ever in it.
func Run(args []string, env Env) int {
	if env.Getenv == nil {
		env.Getenv = func(string) string { return "" }
	}
	g, rest, err := ParseGlobals(args)
	r := &runner{env: env, g: g}
	if err != nil {
		return r.fail(err)
	}
	if len(rest) == 0 {
		rest = []string{"help"}
	}
	c := findCommand(rest[0])
	if c == nil {
		return r.fail(&usageError{msg: fmt.Sprintf("unknown command %q", rest[0])})
	}
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var opts any
	if c.flags != nil {
		opts = c.flags(fs)
	}
	if err := fs.Parse(rest[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			commandUsage(env.Stdout, c, fs)
			return 0
		}
		return r.fail(flagError(err, c.name))
	}
	// show leaves the vault's path to the window, which also knows the
	// vault last picked in its settings.
	if c.name != "help" && c.name != "version" && c.name != "show" {
		if r.path, err = vault.ResolvePath(g.Vault, env.Getenv); err != nil {
			return r.fail(err)
		}
		if err := vault.CheckPath(r.path); err != nil {
			return r.fail(err)
		}
	}
	err = c.run(r, fs, opts)
	r.warnSaves()
	var status exitStatus
	if errors.As(err, &status) {
		return int(status)
	}
	if err != nil {
		return r.fail(withCommand(err, c.name))
	}
	return 0
}

func withCommand(err error, name string) error {
	var ue *usageError
	if errors.As(err, &ue) && ue.cmd == "" {
		ue.cmd = name
	}
	return err
}

func (r *runner) fail(err error) int {
	msg := message(err, r.path)
	var ue *usageError
	if errors.As(err, &ue) {
		hint := "keyshelf help"
		if ue.cmd != "" {
			hint += " " + ue.cmd
		}
		fmt.Fprintf(r.env.Stderr, "keyshelf: %s (see '%s')\n", msg, hint)
		return 2
	}
	fmt.Fprintf(r.env.Stderr, "keyshelf: %s\n", msg)
	return 1
}

// message is the one line shown for err, in plain words.
func message(err error, path string) string {
	switch {
	case errors.Is(err, vault.ErrIsFolder):
		return path + " is a folder, not a vault file (give the vault file's path, such as " + filepath.Join(path, "vault.keyshelf") + ")"
	case errors.Is(err, vault.ErrNoVault):
		return "no vault at " + path + " yet (create one with 'keyshelf init')"
	case errors.Is(err, vault.ErrNotVault):
		return path + " is not a Keyshelf vault"
	case errors.Is(err, vault.ErrNewerVersion):
		return "the vault " + path + " was written by a newer version of Keyshelf; update Keyshelf to open it"
	case errors.Is(err, vault.ErrTampered), errors.Is(err, vault.ErrCorrupt):
		return "the vault file is damaged or was changed by something else and could not be read (" + err.Error() + "); the previous version is kept as " + vault.BackupPath(path)
	}
	s := err.Error()
	return strings.ReplaceAll(s, "\n", " ")
}

// needName returns the single NAME argument.
func needName(fs *flag.FlagSet) (string, error) {
	switch fs.NArg() {
	case 1:
		return fs.Arg(0), nil
	case 0:
		return "", &usageError{msg: "missing NAME"}
	}
	return "", &usageError{msg: "too many arguments (put flags before NAME, and quote a NAME with spaces)"}
}

func noArgs(fs *flag.FlagSet) error {
	if fs.NArg() > 0 {
		return &usageError{msg: "unexpected argument " + fmt.Sprintf("%q", fs.Arg(0))}
	}
	return nil
}

func (r *runner) options() vault.Options {
	o := r.env.Options
	o.Keychain = r.env.Keychain
	o.Source = vault.SourceCommand
	return o
}

// now is the command's clock.
func (r *runner) now() time.Time {
	if r.env.Options.Now != nil {
		return r.env.Options.Now()
	}
	return time.Now()
}

// loc is the time zone of the calendar rules.
func (r *runner) loc() *time.Location {
	if r.env.Location != nil {
		return r.env.Location
	}
	return time.Local
}

// open unlocks the vault: with this device's key when it is remembered and
// no passphrase file was given, otherwise with the passphrase.
func (r *runner) open(allowDevice bool) (v *vault.Vault, err error) {
	defer func() {
		if v != nil {
			r.opened = append(r.opened, v)
		}
	}()
	if allowDevice && r.g.PassphraseFile == "" && r.env.Keychain != nil {
		v, err := vault.OpenWithDevice(r.path, r.options())
		if err == nil {
			return v, nil
		}
		if !errors.Is(err, vault.ErrNoDeviceKey) {
			return nil, err
		}
	}
	if _, err := vault.Peek(r.path); err != nil {
		return nil, err // no vault, not a vault, newer: say so before asking
	}
	pass, err := r.passphrase("Passphrase: ")
	if err != nil {
		return nil, err
	}
	return vault.Open(r.path, pass, r.options())
}

// openWritable opens the vault for a command that changes it: it fails at
// once, saying why, when the vault is read-only (another Keyshelf holds its
// lock, or its folder or file is not writable); the error matches
// vault.ErrReadOnly.
func (r *runner) openWritable() (*vault.Vault, error) {
	v, err := r.open(true)
	if err != nil {
		return nil, err
	}
	if v.ReadOnly() {
		why := v.ReadOnlyReason()
		_ = v.Close() // nothing was changed
		return nil, why
	}
	if c, err := v.ConflictCopies(); err == nil && len(c) > 0 && !r.merging {
		fmt.Fprintf(r.env.Stderr, "keyshelf: note: a sync service left %d conflict cop%s of the vault beside it; 'keyshelf merge' takes %s in\n",
			len(c), plural(len(c), "y", "ies"), plural(len(c), "it", "them"))
	}
	return v, nil
}

// readAllLimited reads at most limit bytes from rd.
func readAllLimited(rd io.Reader, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(rd, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("input is larger than %d KiB", limit>>10)
	}
	return b, nil
}

func firstLine(b []byte) string {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		b = b[:i]
	}
	return strings.TrimSuffix(string(b), "\r")
}

func date(t time.Time) string { return t.UTC().Format("2006-01-02") }
