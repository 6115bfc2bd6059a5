package shellvar

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"keyshelf/vault/dotenv"
)

// hard are values that trip up careless quoting. None is a real key.
var hard = []string{
	"sk-plain-0123456789abcdef",
	"it's",
	`say "hi"`,
	"'",
	"''",
	`'\''`,
	"$HOME",
	"${HOME}",
	"$(echo pwned)",
	"`echo pwned`",
	`back\slash`,
	`\n`,
	`trailing\`,
	"two words",
	"  leading and trailing  ",
	"line one\nline two",
	"ends with a newline\n",
	"tab\there",
	"ключ-🔑-鍵",
	"typographic ‘single’ ’quotes‚ ‛",
	"a!b!c",
	"#not a comment",
	"value # not a comment",
	"*?[a-z]~",
	"-n",
	"-e \\t",
	"a;b&c|d<e>f(g)h^i",
	"",
}

// TestPOSIXThroughRealShells evaluates each assignment in every POSIX
// shell on the machine and reads the variable back from a child's
// environment: it must be exported, byte for byte the value.
func TestPOSIXThroughRealShells(t *testing.T) {
	var shells []string
	for _, sh := range []string{"sh", "dash", "bash", "zsh", "mksh", "ksh", "busybox"} {
		if p, err := exec.LookPath(sh); err == nil {
			shells = append(shells, p)
		}
	}
	if len(shells) == 0 {
		t.Fatal("no POSIX shell on PATH")
	}
	dir := t.TempDir()
	for _, sh := range shells {
		for i, v := range hard {
			line, err := Assign(POSIX, "KS_TEST", v)
			if err != nil {
				t.Fatalf("value %d: %v", i, err)
			}
			script := filepath.Join(dir, "s")
			body := line + "\nexec awk 'BEGIN { printf \"%s\", ENVIRON[\"KS_TEST\"] }'\n"
			if err := os.WriteFile(script, []byte(body), 0o600); err != nil {
				t.Fatal(err)
			}
			args := []string{script}
			if filepath.Base(sh) == "busybox" {
				args = []string{"sh", script}
			}
			cmd := exec.Command(sh, args...)
			cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=/nonexistent"}
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("%s, value %d: %v", sh, i, err)
			}
			if string(out) != v {
				t.Errorf("%s, value %d: read back %d bytes, not the %d given", sh, i, len(out), len(v))
			}
		}
	}
	t.Logf("shells: %s", strings.Join(shells, ", "))
}

// readPowerShell reads `$env:NAME = '...'` by PowerShell's rules for a
// single-quoted string: any of its four single quotes ends it, unless
// another follows, which stands for one quote; nothing else is special.
func readPowerShell(t *testing.T, line string) (name, value string) {
	t.Helper()
	rest, ok := strings.CutPrefix(line, "$env:")
	if !ok {
		t.Fatalf("not a $env: assignment")
	}
	name, rest, ok = strings.Cut(rest, " = ")
	if !ok {
		t.Fatal("no ' = '")
	}
	rs := []rune(rest)
	if len(rs) == 0 || !isPSQuote(rs[0]) {
		t.Fatal("the value is not in single quotes")
	}
	var b strings.Builder
	for i := 1; i < len(rs); i++ {
		if isPSQuote(rs[i]) {
			if i+1 < len(rs) && isPSQuote(rs[i+1]) {
				b.WriteRune(rs[i+1])
				i++
				continue
			}
			if i != len(rs)-1 {
				t.Fatalf("the string ends early, and %q would run as code", string(rs[i+1:]))
			}
			return name, b.String()
		}
		b.WriteRune(rs[i])
	}
	t.Fatal("the string is never closed")
	return
}

func TestPowerShellRules(t *testing.T) {
	for i, v := range hard {
		line, err := Assign(PowerShell, "KS_TEST", v)
		if err != nil {
			t.Fatalf("value %d: %v", i, err)
		}
		name, got := readPowerShell(t, line)
		if name != "KS_TEST" || got != v {
			t.Errorf("value %d: read back a different name or value", i)
		}
	}
}

// readCmd reads `set "NAME=value"` as cmd does at its prompt: a % pair
// would be expanded first (the reader fails on any %), then & | < > ( ) ^
// outside double quotes are operators, and set takes what lies between
// the first and the last quote, up to the first = as the name.
func readCmd(t *testing.T, line string) (name, value string, ok bool) {
	t.Helper()
	if strings.ContainsAny(line, "\r\n") {
		return "", "", false // a line break ends the command
	}
	if strings.Contains(line, "%") {
		return "", "", false
	}
	in := false
	for _, r := range line {
		switch {
		case r == '"':
			in = !in
		case !in && strings.ContainsRune("&|<>()^", r):
			return "", "", false
		}
	}
	rest, found := strings.CutPrefix(line, "set ")
	if !found || !strings.HasPrefix(rest, `"`) {
		return "", "", false
	}
	last := strings.LastIndex(rest, `"`)
	inner := rest[1:last]
	if strings.TrimSpace(rest[last+1:]) != "" {
		return "", "", false
	}
	name, value, found = strings.Cut(inner, "=")
	return name, value, found && !strings.Contains(inner, `"`)
}

func TestCmdRules(t *testing.T) {
	refused := 0
	for i, v := range hard {
		line, err := Assign(Cmd, "KS_TEST", v)
		if err != nil {
			if !errors.Is(err, ErrCannotQuote) {
				t.Fatalf("value %d: %v", i, err)
			}
			if !strings.ContainsAny(v, "\"%\r\n") {
				t.Errorf("value %d was refused, but cmd can carry it", i)
			}
			refused++
			continue
		}
		name, got, ok := readCmd(t, line)
		if !ok || name != "KS_TEST" || got != v {
			t.Errorf("value %d: cmd would not read back the value", i)
		}
	}
	for _, v := range []string{"100%", "%PATH%", `a"b`, "a\nb", "a\rb"} {
		if _, err := Assign(Cmd, "KS_TEST", v); !errors.Is(err, ErrCannotQuote) {
			t.Errorf("a value with %q was not refused: %v", strings.Trim(v, "ab"), err)
		}
	}
	if refused == 0 {
		t.Error("no hard value was refused for cmd")
	}
}

func TestDotenvRoundTrip(t *testing.T) {
	vars := make([]Var, len(hard))
	for i, v := range hard {
		vars[i] = Var{Name: fmt.Sprintf("KS_TEST_%d", i), Value: v}
	}
	block, err := Block(Dotenv, vars)
	if err != nil {
		t.Fatal(err)
	}
	got, warns, err := dotenv.Parse([]byte(block))
	if err != nil || len(warns) > 0 {
		t.Fatalf("parse: %v %v", err, warns)
	}
	if len(got) != len(vars) {
		t.Fatalf("read %d variables back, wrote %d", len(got), len(vars))
	}
	for i := range vars {
		if got[i].Name != vars[i].Name || got[i].Value != vars[i].Value {
			t.Errorf("value %d: read back differently", i)
		}
	}
}

func TestRefusals(t *testing.T) {
	for _, s := range Shells() {
		if _, err := Assign(s, "KS", "a\x00b"); !errors.Is(err, ErrCannotQuote) {
			t.Errorf("%s took a NUL: %v", s, err)
		}
		for _, n := range []string{"", "1ABC", "A-B", "A B", "A=B", "Ä"} {
			if _, err := Assign(s, n, "v"); !errors.Is(err, ErrBadName) {
				t.Errorf("%s took the name %q: %v", s, n, err)
			}
		}
	}
	for _, s := range []Shell{POSIX, PowerShell, Cmd} {
		for _, c := range []string{"\x1b[31m", "\x03", "\r", "\x7f", "\u009b"} {
			if _, err := Assign(s, "KS", "a"+c+"b"); !errors.Is(err, ErrCannotQuote) {
				t.Errorf("%s took control character %U: %v", s, []rune(c)[0], err)
			}
		}
	}
	// .env carries any control character but NUL, escaped.
	if _, err := Assign(Dotenv, "KS", "a\x1b\rb"); err != nil {
		t.Errorf(".env refused a control character: %v", err)
	}
}

func TestErrorsNeverHoldTheValue(t *testing.T) {
	const secret = "sk-SECRET-VALUE"
	for _, s := range Shells() {
		for _, bad := range []string{"\x00", "\x1b", `"`, "%", "\n"} {
			_, err := Assign(s, "KS", secret+bad+secret)
			if err != nil && strings.Contains(err.Error(), "SECRET") {
				t.Errorf("%s: the error quotes the value", s)
			}
		}
	}
}

func TestBlockAndParse(t *testing.T) {
	got, err := Block(POSIX, []Var{{"A", "1"}, {"B", "it's"}})
	if err != nil {
		t.Fatal(err)
	}
	if want := "export A='1'\nexport B='it'\\''s'\n"; got != want {
		t.Errorf("Block = %q, want %q", got, want)
	}
	if got, _ := Block(Cmd, []Var{{"A", "1"}}); got != "set \"A=1\"\r\n" {
		t.Errorf("cmd block = %q", got)
	}
	if _, err := Block(Cmd, []Var{{"A", "1"}, {"B", "50%"}}); err == nil || !strings.HasPrefix(err.Error(), "B: ") {
		t.Errorf("a block's error does not name the variable: %v", err)
	}
	for in, want := range map[string]Shell{"bash": POSIX, "sh": POSIX, "PowerShell": PowerShell, "pwsh": PowerShell, "cmd": Cmd, "env": Dotenv} {
		if got, err := Parse(in); err != nil || got != want {
			t.Errorf("Parse(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := Parse("fish"); err == nil {
		t.Error("Parse took fish")
	}
}
