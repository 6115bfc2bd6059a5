// Package dotenv reads and writes .env files as people write them, for
// importing keys from them (issue #13) and exporting keys to programs.
//
// It reads NAME=value lines, with an optional "export " before the name;
// values unquoted (up to an inline comment: "#" after whitespace), in single
// quotes (literal, no escapes) or in double quotes (with \n, \r, \t, \", \\
// and \$ as escapes; any other backslash is kept), and quoted values may
// span lines. A UTF-8 byte order mark and CRLF line ends are taken. It never
// runs `$(...)` or expands variables: a "$" is a dollar sign. A name given
// twice keeps its last value and is reported.
//
// Errors and warnings name lines and variables, never values: a .env file
// holds secrets.
package dotenv

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
)

// Var is one variable of a .env file.
type Var struct {
	Name  string
	Value string
	Line  int // the line its name is on, from 1
}

// Warning is something Parse passed over: a line it could not read, or a
// name given again. It never holds a value.
type Warning struct {
	Line int
	Text string
}

func (w Warning) String() string { return fmt.Sprintf("line %d: %s", w.Line, w.Text) }

// ErrSyntax is wrapped by every error Parse returns.
var ErrSyntax = errors.New("not a readable .env file")

// MaxSize is the largest file Parse reads (a .env file is small; anything
// bigger is not one).
const MaxSize = 4 << 20

// Parse reads a .env file. It returns the variables in the order they first
// appear (a repeated name keeps its first place and its last value), and
// warnings for lines it passed over. A quote that is never closed is an
// error: what follows it cannot be told apart from the value.
func Parse(data []byte) ([]Var, []Warning, error) {
	if len(data) > MaxSize {
		return nil, nil, fmt.Errorf("%w: larger than %d MiB", ErrSyntax, MaxSize>>20)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	p := parser{text: text, line: 1}
	var vars []Var
	var warns []Warning
	at := map[string]int{}
	for !p.done() {
		v, ok, warn, err := p.next()
		if err != nil {
			return nil, nil, err
		}
		if warn != "" {
			warns = append(warns, Warning{Line: v.Line, Text: warn})
		}
		if !ok {
			continue
		}
		if i, seen := at[v.Name]; seen {
			warns = append(warns, Warning{Line: v.Line, Text: fmt.Sprintf("%s is set again (first on line %d); the last value counts", v.Name, vars[i].Line)})
			vars[i].Value = v.Value
			continue
		}
		at[v.Name] = len(vars)
		vars = append(vars, v)
	}
	return vars, warns, nil
}

type parser struct {
	text string
	pos  int
	line int
}

func (p *parser) done() bool { return p.pos >= len(p.text) }

// restOfLine returns the text up to the end of the line and moves past it.
func (p *parser) restOfLine() string {
	end := strings.IndexByte(p.text[p.pos:], '\n')
	var s string
	if end < 0 {
		s, p.pos = p.text[p.pos:], len(p.text)
	} else {
		s, p.pos = p.text[p.pos:p.pos+end], p.pos+end+1
		p.line++
	}
	return s
}

// next reads one line (or a quoted value's lines): ok when it held a
// variable, a warning when it held something else than a blank or comment.
func (p *parser) next() (v Var, ok bool, warn string, err error) {
	start := p.line
	v.Line = start
	// The name: up to "=" on this line.
	lineEnd := strings.IndexByte(p.text[p.pos:], '\n')
	if lineEnd < 0 {
		lineEnd = len(p.text) - p.pos
	}
	line := p.text[p.pos : p.pos+lineEnd]
	trimmed := strings.TrimSpace(line)
	if trimmed == "" || trimmed[0] == '#' {
		p.restOfLine()
		return v, false, "", nil
	}
	eq := strings.IndexByte(line, '=')
	if eq < 0 {
		p.restOfLine()
		return v, false, "not NAME=value; passed over", nil
	}
	name := strings.TrimSpace(line[:eq])
	if rest, found := strings.CutPrefix(name, "export"); found && rest != "" && (rest[0] == ' ' || rest[0] == '\t') {
		name = strings.TrimSpace(rest)
	}
	if !validName(name) {
		p.restOfLine()
		return v, false, "the name before \"=\" is not a variable name; passed over", nil
	}
	v.Name = name
	p.pos += eq + 1
	// Spaces after "=".
	spaced := false
	for p.pos < len(p.text) && (p.text[p.pos] == ' ' || p.text[p.pos] == '\t') {
		p.pos++
		spaced = true
	}
	if p.done() {
		return v, true, "", nil
	}
	switch p.text[p.pos] {
	case '\'':
		end := strings.IndexByte(p.text[p.pos+1:], '\'')
		if end < 0 {
			return v, false, "", fmt.Errorf("%w: line %d: the single quote of %s is never closed", ErrSyntax, start, name)
		}
		v.Value = p.text[p.pos+1 : p.pos+1+end]
		p.line += strings.Count(v.Value, "\n")
		p.pos += end + 2
	case '"':
		val, n, closed := doubleQuoted(p.text[p.pos+1:])
		if !closed {
			return v, false, "", fmt.Errorf("%w: line %d: the double quote of %s is never closed", ErrSyntax, start, name)
		}
		p.line += strings.Count(p.text[p.pos+1:p.pos+1+n], "\n")
		v.Value = val
		p.pos += n + 1
	default:
		raw := p.restOfLine()
		if spaced && strings.HasPrefix(raw, "#") {
			return v, true, "", nil // NAME= # a comment: empty
		}
		v.Value = strings.TrimSpace(cutComment(raw))
		return v, true, "", nil
	}
	// After a closing quote: spaces, a comment, nothing else.
	after := strings.TrimSpace(p.restOfLine())
	if after != "" && after[0] != '#' {
		warn = fmt.Sprintf("text after the closing quote of %s is left out", name)
	}
	return v, true, warn, nil
}

// cutComment cuts an unquoted value at "#" that follows whitespace; a "#"
// right after "=" or inside a word is part of the value.
func cutComment(s string) string {
	for i := 1; i < len(s); i++ {
		if s[i] == '#' && (s[i-1] == ' ' || s[i-1] == '\t') {
			return s[:i]
		}
	}
	return s
}

// doubleQuoted reads a double-quoted value from just after its opening
// quote: the value, the bytes read including the closing quote, and whether
// there was one.
func doubleQuoted(s string) (string, int, bool) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			return b.String(), i + 1, true
		case c == '\\' && i+1 < len(s):
			switch s[i+1] {
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case '"', '\\', '$':
				b.WriteByte(s[i+1])
			default:
				b.WriteByte('\\')
				b.WriteByte(s[i+1])
			}
			i++
		default:
			b.WriteByte(c)
		}
	}
	return "", len(s), false
}

// validName reports whether s is a variable name: letters, digits, "_",
// "." and "-", not starting with a digit.
func validName(s string) bool {
	if s == "" || (s[0] >= '0' && s[0] <= '9') {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || c == '.' || c == '-' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// Format writes vars as a .env file that Parse reads back to the same names
// and values: a plain value bare, others in single quotes, and values that
// hold a single quote or a control character in double quotes with escapes.
func Format(vars []Var) ([]byte, error) {
	var b strings.Builder
	for _, v := range vars {
		if !validName(v.Name) {
			return nil, fmt.Errorf("dotenv: %q is not a variable name", v.Name)
		}
		b.WriteString(v.Name + "=" + Quote(v.Value) + "\n")
	}
	return []byte(b.String()), nil
}

// Quote is value as a .env value that Parse reads back unchanged.
func Quote(value string) string {
	plain := value != ""
	for i := 0; i < len(value) && plain; i++ {
		c := value[i]
		plain = c > ' ' && c != '#' && c != '\'' && c != '"' && c != '\\' && c != 0x7f
	}
	if plain || value == "" {
		return value
	}
	if !strings.ContainsAny(value, "'\r") {
		return "'" + value + "'"
	}
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(value); i++ {
		switch c := value[i]; c {
		case '"', '\\', '$':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}
