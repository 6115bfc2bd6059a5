package cmdline

import (
	"fmt"
	"os"
	"strings"

	"keyshelf/vault"
	"keyshelf/vault/exportfile"
	"keyshelf/vault/shellvar"
)

// names is a flag that may be given many times (--only A --only B).
type names []string

func (n *names) String() string     { return strings.Join(*n, ", ") }
func (n *names) Set(s string) error { *n = append(*n, s); return nil }

// onlyUsage describes --only.
const onlyUsage = "only the key `NAME` (a key's name or its environment variable); give it again for more"

// chosen is one variable and the entry whose key fills it.
type chosen struct {
	Variable string
	Entry    vault.Entry
}

// chooseVariables picks what goes in the environment. With only, each NAME
// is a key's name or else a variable that exactly one key goes in. Without
// it, every key that has a variable, and a variable that several keys go in
// is an error that names them (the user picks one with --only).
func chooseVariables(entries []vault.Entry, only []string) ([]chosen, error) {
	var out []chosen
	taken := map[string]string{} // variable -> entry name
	add := func(e vault.Entry) error {
		v := e.Variable()
		if v == "" {
			return fmt.Errorf("the key %q has no environment variable (give it one with 'keyshelf set --env-name VAR %s')", e.Name, shellWord(e.Name))
		}
		if other, ok := taken[v]; ok {
			if other == e.Name {
				return nil
			}
			return fmt.Errorf("the keys %q and %q both go in %s; choose one", other, e.Name, v)
		}
		taken[v] = e.Name
		out = append(out, chosen{Variable: v, Entry: e})
		return nil
	}
	if len(only) == 0 {
		if cs := vault.Clashes(entries); len(cs) > 0 {
			c := cs[0]
			return nil, fmt.Errorf("%d keys go in %s (%s); choose one with --only NAME, or give the others their own variable with 'keyshelf set --env-name'",
				len(c.Names), c.Variable, strings.Join(c.Names, ", "))
		}
		for _, e := range entries {
			if e.Variable() != "" {
				if err := add(e); err != nil {
					return nil, err
				}
			}
		}
		return out, nil
	}
	for _, name := range only {
		if e, ok := findEntry(entries, name); ok {
			if err := add(e); err != nil {
				return nil, err
			}
			continue
		}
		var matches []vault.Entry
		for _, e := range entries {
			if e.Variable() == strings.TrimSpace(name) {
				matches = append(matches, e)
			}
		}
		switch len(matches) {
		case 0:
			return nil, fmt.Errorf("no key is named %q or goes in it", name)
		case 1:
			if err := add(matches[0]); err != nil {
				return nil, err
			}
		default:
			var ns []string
			for _, e := range matches {
				ns = append(ns, e.Name)
			}
			return nil, fmt.Errorf("%d keys go in %s (%s); name the key instead of the variable", len(matches), name, strings.Join(ns, ", "))
		}
	}
	return out, nil
}

// findEntry is vault.Find over a list: the entry named name, ignoring case
// and surrounding space.
func findEntry(entries []vault.Entry, name string) (vault.Entry, bool) {
	for _, e := range entries {
		if vault.SameName(e.Name, name) {
			return e, true
		}
	}
	return vault.Entry{}, false
}

// shellWord is s as one word for a shell, for commands suggested in
// messages: bare when plain, else in single quotes.
func shellWord(s string) string {
	plain := s != ""
	for _, c := range s {
		plain = plain && (c == '-' || c == '_' || c == '.' || c == '/' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9')
	}
	if plain {
		return s
	}
	return shellvar.QuoteWord(s)
}

// ids lists the chosen entries' ids.
func ids(cs []chosen) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Entry.ID
	}
	return out
}

// writePlainFile writes keys in plain text to path (exportfile.Write) and
// warns on stderr that the file holds keys, and when git would not ignore
// it.
func (r *runner) writePlainFile(path string, data []byte) error {
	if err := exportfile.Write(path, data); err != nil {
		return err
	}
	fmt.Fprintf(r.env.Stderr, "keyshelf: warning: %s holds keys in plain text (mode 0600); delete it when it is no longer needed\n", path)
	if exportfile.Unignored(path) {
		fmt.Fprintf(r.env.Stderr, "keyshelf: warning: %s is inside a git repository and git does not ignore it: add it to .gitignore before it is committed\n", path)
	}
	return nil
}

// sameFile reports whether a and b name the same existing file.
func sameFile(a, b string) bool {
	ia, err := os.Stat(a)
	if err != nil {
		return false
	}
	ib, err := os.Stat(b)
	if err != nil {
		return false
	}
	return os.SameFile(ia, ib)
}
