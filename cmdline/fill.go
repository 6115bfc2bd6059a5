package cmdline

import (
	"flag"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"keyshelf/vault"
	"keyshelf/vault/dotenv"
	"keyshelf/vault/shellvar"
)

const fillHelp = `TEMPLATE is a .env file such as .env.example. Each variable whose value
is empty (NAME= or NAME="") gets the key that goes in NAME (see 'keyshelf
list --json', env_name), and each value keyshelf://KEY NAME gets that key.
Everything else (comments, settings, blank lines, order) is kept as it is.
A variable that no key goes in is left empty and named on stderr; one that
several keys go in is an error (write NAME=keyshelf://KEY NAME to choose).

Without --out the filled file goes to standard output; with it, FILE is
written with mode 0600 and a warning, and another when git would not ignore
it. FILE may not be the template itself.`

type fillOptions struct{ out string }

func fillFlags(fs *flag.FlagSet) any {
	o := &fillOptions{}
	fs.StringVar(&o.out, "out", "", "write to `FILE` (mode 0600) instead of standard output")
	return o
}

func runFill(r *runner, fs *flag.FlagSet, opts any) error {
	o := opts.(*fillOptions)
	tmpl, err := needName(fs)
	if err != nil {
		return &usageError{msg: "give one TEMPLATE file"}
	}
	if o.out != "" && (sameFile(o.out, tmpl) || sameFile(o.out, r.path)) {
		return &usageError{msg: "--out may be neither the template nor the vault"}
	}
	data, err := readTemplate(tmpl)
	if err != nil {
		return err
	}
	v, err := r.open(true)
	if err != nil {
		return err
	}
	defer v.Close()
	f, err := fillTemplate(data, v.List())
	if err != nil {
		return fmt.Errorf("%s: %w", tmpl, err)
	}
	r.reportFill(tmpl, f)
	where := "standard output"
	if o.out != "" {
		if err := r.writePlainFile(o.out, f.text); err != nil {
			return err
		}
		where = o.out
	} else if _, err := r.env.Stdout.Write(f.text); err != nil {
		return err
	}
	r.recordMany(v, ids(f.used), vault.ActionExported, "filled into "+where+" from "+tmpl)
	return v.Close()
}

// readTemplate reads a template file, at most dotenv.MaxSize.
func readTemplate(path string) ([]byte, error) {
	data, err := readFileLimited(path, dotenv.MaxSize)
	if err != nil {
		return nil, fmt.Errorf("read the template: %w", err)
	}
	return data, nil
}

// reportFill names, on stderr, what the template left empty and what it
// could not read.
func (r *runner) reportFill(tmpl string, f filled) {
	for _, w := range f.warnings {
		fmt.Fprintf(r.env.Stderr, "keyshelf: warning: %s: %s\n", tmpl, w)
	}
	if len(f.empty) > 0 {
		fmt.Fprintf(r.env.Stderr, "keyshelf: left empty (no key goes in them): %s\n", strings.Join(f.empty, ", "))
	}
}

// filled is a template with its keys put in.
type filled struct {
	text []byte         // the template, filled
	vars []shellvar.Var // every variable with a value, in order
	used []chosen       // the keys put in
	// empty are the variables left empty: no key goes in them.
	empty    []string
	warnings []dotenv.Warning
}

// refScheme starts a reference to a key by name.
const refScheme = "keyshelf://"

// assignLine is a one-line NAME=value: what stays (up to the =), the name,
// the value with any comment after it, and a CR before the line end.
var assignLine = regexp.MustCompile(`^(\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=)[ \t]*(.*?)(\r?)$`)

// fillTemplate fills data's empty values and keyshelf:// references from
// entries (see fillHelp) and keeps every other byte as it is.
func fillTemplate(data []byte, entries []vault.Entry) (filled, error) {
	vars, warns, err := dotenv.Parse(data)
	if err != nil {
		return filled{}, err
	}
	f := filled{warnings: warns}
	text := strings.TrimPrefix(string(data), "\xef\xbb\xbf")
	bom := len(text) != len(data)
	lines := strings.Split(text, "\n")
	taken := map[string]bool{}
	for _, v := range vars {
		ref, isRef := strings.CutPrefix(v.Value, refScheme)
		if v.Value != "" && !isRef {
			f.vars = append(f.vars, shellvar.Var{Name: v.Name, Value: v.Value})
			continue
		}
		var e vault.Entry
		if isRef {
			var ok bool
			if e, ok = findRef(entries, ref); !ok {
				return filled{}, fmt.Errorf("line %d: no key named %q", v.Line, ref)
			}
		} else {
			var matches []string
			for _, c := range entries {
				if c.Variable() == v.Name {
					e = c
					matches = append(matches, c.Name)
				}
			}
			switch len(matches) {
			case 0:
				f.empty = append(f.empty, v.Name)
				continue
			case 1:
			default:
				return filled{}, fmt.Errorf("line %d: %d keys go in %s (%s); write %s=%sKEY NAME to choose one",
					v.Line, len(matches), v.Name, strings.Join(matches, ", "), v.Name, refScheme)
			}
		}
		i := v.Line - 1
		m := assignLine.FindStringSubmatch(lines[i])
		if m == nil || m[2] != v.Name {
			return filled{}, fmt.Errorf("line %d: %s cannot be filled in place (write it on one line)", v.Line, v.Name)
		}
		comment, ok := valueComment(m[3])
		if !ok {
			return filled{}, fmt.Errorf("line %d: %s cannot be filled in place (write it on one line)", v.Line, v.Name)
		}
		lines[i] = m[1] + dotenv.Quote(e.Secret) + comment + m[4]
		f.vars = append(f.vars, shellvar.Var{Name: v.Name, Value: e.Secret})
		if !taken[e.ID] {
			taken[e.ID] = true
			f.used = append(f.used, chosen{Variable: v.Name, Entry: e})
		}
	}
	out := strings.Join(lines, "\n")
	if bom {
		out = "\xef\xbb\xbf" + out
	}
	f.text = []byte(out)
	return f, nil
}

// findRef finds the key a keyshelf:// reference names: the rest of the
// value as it is, or URL-unescaped (keyshelf://Work%20OpenAI).
func findRef(entries []vault.Entry, ref string) (vault.Entry, bool) {
	if e, ok := findEntry(entries, ref); ok {
		return e, true
	}
	if u, err := url.PathUnescape(ref); err == nil {
		return findEntry(entries, u)
	}
	return vault.Entry{}, false
}

// valueComment splits the value text of a one-line assignment that is
// empty or a reference: it returns what follows the value (white space and
// a # comment), and false when the value spans lines or is not one piece.
func valueComment(s string) (string, bool) {
	if s == "" {
		return "", true
	}
	switch q := s[0]; q {
	case '\'', '"':
		end := strings.IndexByte(s[1:], q)
		if end < 0 {
			return "", false
		}
		rest := s[end+2:]
		if t := strings.TrimLeft(rest, " \t"); t != "" && t[0] != '#' {
			return "", false
		}
		return rest, true
	case '#':
		return " " + s, true // NAME=#comment is an empty value and a comment
	}
	for i := 0; i < len(s); i++ {
		if (s[i] == ' ' || s[i] == '\t') && strings.HasPrefix(strings.TrimLeft(s[i:], " \t"), "#") {
			return s[i:], true
		}
	}
	return "", true
}
