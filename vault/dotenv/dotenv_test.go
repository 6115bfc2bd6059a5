package dotenv

import (
	"errors"
	"strings"
	"testing"
)

func parseOK(t *testing.T, text string) ([]Var, []Warning) {
	t.Helper()
	vars, warns, err := Parse([]byte(text))
	if err != nil {
		t.Fatalf("Parse(%q): %v", text, err)
	}
	return vars, warns
}

func TestParseRules(t *testing.T) {
	for _, c := range []struct {
		name, text string
		want       map[string]string
	}{
		{"plain", "A=1\nB=two words\n", map[string]string{"A": "1", "B": "two words"}},
		{"export", "export OPENAI_API_KEY=sk-1\nexport\tB=2\n", map[string]string{"OPENAI_API_KEY": "sk-1", "B": "2"}},
		{"spaces around =", "A = 1\nB=  2  \n", map[string]string{"A": "1", "B": "2"}},
		{"single quotes literal", `A='x\ny $HOME "q"'` + "\n", map[string]string{"A": `x\ny $HOME "q"`}},
		{"double quotes escapes", `A="l1\nl2\t\"q\" \\ \$HOME \x"` + "\n", map[string]string{"A": "l1\nl2\t\"q\" \\ $HOME \\x"}},
		{"inline comment", "A=value # a comment\nB=a#b\nC=#notcomment\nD= # just a comment\n", map[string]string{"A": "value", "B": "a#b", "C": "#notcomment", "D": ""}},
		{"hash inside quotes", "A='x # y'\nB=\"x # y\" # c\n", map[string]string{"A": "x # y", "B": "x # y"}},
		{"equals in value", "DATABASE_URL=postgres://u:p@h/db?a=b=c\n", map[string]string{"DATABASE_URL": "postgres://u:p@h/db?a=b=c"}},
		{"empty values", "A=\nB=''\nC=\"\"\nD=", map[string]string{"A": "", "B": "", "C": "", "D": ""}},
		{"trailing backslash", "A=abc\\\nB=2\n", map[string]string{"A": `abc\`, "B": "2"}},
		{"CRLF and BOM", "\xef\xbb\xbfA=1\r\nB='2'\r\n", map[string]string{"A": "1", "B": "2"}},
		{"multi-line single", "KEY='-----BEGIN-----\nabc\n-----END-----'\nNEXT=1\n", map[string]string{"KEY": "-----BEGIN-----\nabc\n-----END-----", "NEXT": "1"}},
		{"multi-line double", "KEY=\"a\nb\"\nNEXT=1\n", map[string]string{"KEY": "a\nb", "NEXT": "1"}},
		{"no expansion", "A=$(rm -rf /)\nB=${HOME}\nC=\"$(id)\"\n", map[string]string{"A": "$(rm -rf /)", "B": "${HOME}", "C": "$(id)"}},
		{"comments and blanks", "# top\n\n   # indented\nA=1\n", map[string]string{"A": "1"}},
		{"no final newline", "A=1", map[string]string{"A": "1"}},
	} {
		vars, _ := parseOK(t, c.text)
		got := map[string]string{}
		for _, v := range vars {
			got[v.Name] = v.Value
		}
		if len(got) != len(c.want) {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
			continue
		}
		for k, w := range c.want {
			if got[k] != w {
				t.Errorf("%s: %s = %q, want %q", c.name, k, got[k], w)
			}
		}
	}
}

func TestParseLinesAndDuplicates(t *testing.T) {
	vars, warns := parseOK(t, "A=1\nKEY='x\ny'\nB=2\nA=3\n")
	if len(vars) != 3 || vars[0].Name != "A" || vars[0].Value != "3" || vars[0].Line != 1 {
		t.Fatalf("vars %+v: want A first, with the last value 3", vars)
	}
	if vars[1].Line != 2 || vars[2].Line != 4 {
		t.Fatalf("lines %d, %d; want 2 and 4 (the quoted value spans two)", vars[1].Line, vars[2].Line)
	}
	if len(warns) != 1 || warns[0].Line != 5 || !strings.Contains(warns[0].Text, "A is set again (first on line 1)") {
		t.Fatalf("warnings %v", warns)
	}
}

// What Parse passes over is reported without the values.
func TestParseWarningsHoldNoValues(t *testing.T) {
	const secret = "sk-proj-FAKEnotinwarnings123"
	_, warns := parseOK(t, "just a line with "+secret+"\n1BAD="+secret+"\nA='"+secret+"' trailing "+secret+"\nA="+secret+"\n")
	if len(warns) != 4 {
		t.Fatalf("%d warnings, want 4: %v", len(warns), warns)
	}
	for _, w := range warns {
		if strings.Contains(w.String(), "FAKE") {
			t.Fatalf("a warning quotes the value: %s", w)
		}
	}
}

func TestParseUnclosedQuote(t *testing.T) {
	for _, text := range []string{"A='FAKEVALUE open\nB=1\n", "A=\"FAKEVALUE \\\" open\n"} {
		_, _, err := Parse([]byte(text))
		if !errors.Is(err, ErrSyntax) || !strings.Contains(err.Error(), "line 1") || strings.Contains(err.Error(), "FAKEVALUE") {
			t.Errorf("Parse(%q) = %v; want ErrSyntax naming line 1 and not the value", text, err)
		}
	}
	if _, _, err := Parse(make([]byte, MaxSize+1)); !errors.Is(err, ErrSyntax) {
		t.Errorf("an oversized file: %v", err)
	}
}

func TestQuoteRoundTrips(t *testing.T) {
	for _, v := range []string{"", "plain", "two words", " lead", "it's", `back\slash`, "a#b", "# c", "l1\nl2", "cr\rlf", "it's\nmulti", `"dq"`, "$(id)", "tab\tx", "trail\\"} {
		data, err := Format([]Var{{Name: "K", Value: v}})
		if err != nil {
			t.Fatal(err)
		}
		vars, warns, err := Parse(data)
		if err != nil || len(vars) != 1 || vars[0].Value != v || len(warns) != 0 {
			t.Errorf("Quote(%q) = %s: read back %+v, %v, %v", v, data, vars, warns, err)
		}
	}
	if _, err := Format([]Var{{Name: "1X", Value: "v"}}); err == nil {
		t.Error("Format took a bad name")
	}
}
