// Package shellvar writes environment variable assignments that a shell, or
// a .env reader, takes back to exactly the value given: for "Copy as…" in the
// window and `keyshelf export`. Each form quotes the value so that nothing in
// it is expanded, run or split:
//
//   - POSIX shells (sh, bash, zsh, dash, ksh): export NAME='value', each single
//     quote in it closing the quotes, escaped with a backslash, and opening
//     them again. Inside single quotes nothing is special, a newline included.
//   - PowerShell: $env:NAME = 'value', each single quote doubled. PowerShell
//     also ends a single-quoted string at the typographic quotes U+2018,
//     U+2019, U+201A and U+201B, so those are doubled too.
//   - cmd: set "NAME=value". Inside the quotes & | < > ^ ( ) are plain, but
//     cmd has no way to quote a double quote, a line break or a % (typed at
//     the prompt, %NAME% is expanded even inside quotes), so a value with one
//     of those is refused with ErrCannotQuote.
//   - .env files: NAME=value as package dotenv writes and reads it.
//
// A value with a NUL cannot be in an environment at all. A value that is
// pasted into a terminal (the three shells) may not hold other control
// characters than tab and newline either: a terminal acts on them while
// they are pasted. Errors never hold the value.
package shellvar

import (
	"errors"
	"fmt"
	"strings"

	"keyshelf/vault/dotenv"
)

// Shell is a form of assignment.
type Shell string

// The forms.
const (
	POSIX      Shell = "sh"
	PowerShell Shell = "powershell"
	Cmd        Shell = "cmd"
	Dotenv     Shell = "env"
)

// Shells lists the forms, in the order a menu offers them.
func Shells() []Shell { return []Shell{POSIX, PowerShell, Cmd, Dotenv} }

// Parse reads a form's name as Shells' values write it ("sh", "powershell",
// "cmd", "env"); "bash", "zsh" and "pwsh" are taken too.
func Parse(s string) (Shell, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "sh", "posix", "bash", "zsh":
		return POSIX, nil
	case "powershell", "pwsh":
		return PowerShell, nil
	case "cmd":
		return Cmd, nil
	case "env", "dotenv", ".env":
		return Dotenv, nil
	}
	return "", fmt.Errorf("unknown shell %q (sh, powershell, cmd or env)", s)
}

// Title is how a menu names the form.
func (s Shell) Title() string {
	switch s {
	case POSIX:
		return "Shell (bash, zsh: export)"
	case PowerShell:
		return "PowerShell ($env:)"
	case Cmd:
		return "Command Prompt (set)"
	case Dotenv:
		return ".env line"
	}
	return string(s)
}

// ErrCannotQuote is wrapped by the error for a value that a form cannot
// carry unchanged (a *QuoteError).
var ErrCannotQuote = errors.New("the key cannot be written safely in this form")

// QuoteError says why a value cannot be written in a form, in words that
// never hold the value: Reason is a sentence part such as "it holds a %,
// which cmd cannot quote (use PowerShell)".
type QuoteError struct{ Reason string }

func (e *QuoteError) Error() string { return ErrCannotQuote.Error() + ": " + e.Reason }

// Unwrap makes errors.Is(err, ErrCannotQuote) true.
func (e *QuoteError) Unwrap() error { return ErrCannotQuote }

// ErrBadName is wrapped by the error for a name that is not a variable name.
var ErrBadName = errors.New("not an environment variable name (letters, digits and _, not starting with a digit)")

// Var is one assignment.
type Var struct{ Name, Value string }

// Assign is one assignment of value to name in form s, without a line end.
func Assign(s Shell, name, value string) (string, error) {
	if !validName(name) {
		return "", fmt.Errorf("%w: %q", ErrBadName, name)
	}
	if strings.IndexByte(value, 0) >= 0 {
		return "", &QuoteError{"it holds a NUL character, which no environment can"}
	}
	if s != Dotenv {
		if c, ok := badControl(value); ok {
			return "", &QuoteError{fmt.Sprintf("it holds the control character %U, which a terminal would act on when pasted", c)}
		}
	}
	switch s {
	case POSIX:
		return "export " + name + "=" + QuoteWord(value), nil
	case PowerShell:
		var b strings.Builder
		b.WriteString("$env:" + name + " = '")
		for _, r := range value {
			if isPSQuote(r) {
				b.WriteRune(r)
			}
			b.WriteRune(r)
		}
		b.WriteByte('\'')
		return b.String(), nil
	case Cmd:
		if i := strings.IndexAny(value, "\"%\r\n"); i >= 0 {
			what := map[byte]string{'"': "a double quote", '%': "a %", '\r': "a line break", '\n': "a line break"}[value[i]]
			return "", &QuoteError{"it holds " + what + ", which cmd cannot quote (use PowerShell)"}
		}
		return `set "` + name + "=" + value + `"`, nil
	case Dotenv:
		return name + "=" + dotenv.Quote(value), nil
	}
	return "", fmt.Errorf("unknown shell %q", string(s))
}

// Block is the assignments of vars in form s, one a line, each line ended
// with "\n" (cmd's with "\r\n", as a batch file has them).
func Block(s Shell, vars []Var) (string, error) {
	end := "\n"
	if s == Cmd {
		end = "\r\n"
	}
	var b strings.Builder
	for _, v := range vars {
		line, err := Assign(s, v.Name, v.Value)
		if err != nil {
			return "", fmt.Errorf("%s: %w", v.Name, err)
		}
		b.WriteString(line + end)
	}
	return b.String(), nil
}

// QuoteWord is s as one word for a POSIX shell: in single quotes, each
// single quote in it closing the quotes, escaped, and opening them again.
func QuoteWord(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// isPSQuote reports whether PowerShell takes r as a single quote.
func isPSQuote(r rune) bool {
	return r == '\'' || r == '\u2018' || r == '\u2019' || r == '\u201a' || r == '\u201b'
}

// badControl finds a control character other than tab and newline.
func badControl(s string) (rune, bool) {
	for _, r := range s {
		if (r < 0x20 && r != '\t' && r != '\n') || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return r, true
		}
	}
	return 0, false
}

func validName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}
