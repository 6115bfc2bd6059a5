package cmdline

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestListCutsLongNames: a long name ends with an ellipsis in the table,
// and the cut never splits an emoji (its UTF-8 bytes, a joined sequence,
// a skin tone or a flag).
func TestListCutsLongNames(t *testing.T) {
	f := newFixture(t)
	f.mustOK(f.with("", "init"))
	long := strings.Repeat("Production ", 4) + "key"
	emoji := strings.Repeat("ab", 14) + "x👩‍💻👍🏽🇫🇷é" // 29 letters, then a joined emoji, a toned thumb, a flag, an e with an accent
	f.mustOK(f.with(ghKey, "add", long))
	f.mustOK(f.with(oaiKey, "add", emoji))
	f.mustOK(f.with("sk-ant-api03-"+strings.Repeat("a", 93)+"AA", "add", "short"))
	out := f.mustOK(f.with("", "list"))
	if !utf8.ValidString(out) {
		t.Fatal("list split a UTF-8 sequence")
	}
	if strings.Contains(out, long) || !strings.Contains(out, long[:maxNameWidth-1]+"…") {
		t.Fatalf("a long name is not cut with an ellipsis:\n%s", out)
	}
	if !strings.Contains(out, "abx👩‍💻👍🏽… ") { // 31 characters and the ellipsis
		t.Fatalf("the emoji name is not cut between emoji:\n%s", out)
	}
	for _, bad := range []string{"👩\u200d…", "👩…", "👍…", "\U0001F1EB…"} {
		if strings.Contains(out, bad) {
			t.Fatalf("an emoji was split (%q):\n%s", bad, out)
		}
	}
	if !strings.Contains(out, "short ") {
		t.Fatalf("a short name was changed:\n%s", out)
	}
	// JSON keeps the whole name.
	if !strings.Contains(f.mustOK(f.with("", "list", "--json")), long) {
		t.Fatal("list --json cut a name")
	}
}

func TestCutName(t *testing.T) {
	for _, c := range []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"exactly10!", 10, "exactly10!"},
		{"eleven char", 10, "eleven ch…"},
		{"abcdefghi👩‍💻z", 10, "abcdefghi…"},   // the 10th cluster would be cut to make room
		{"abcdefgh👩‍💻yz", 10, "abcdefgh👩‍💻…"}, // a joined emoji stays whole
		{"abcdefgh👍🏽yz", 10, "abcdefgh👍🏽…"},   // with its skin tone
		{"abcdefgh🇫🇷yz", 10, "abcdefgh🇫🇷…"},   // a flag is one
		{"abcdefghe\u0301yz", 10, "abcdefghe\u0301…"},
		{"❤️❤️❤️❤️❤️❤️❤️❤️❤️❤️❤️", 10, "❤️❤️❤️❤️❤️❤️❤️❤️❤️…"},
	} {
		if got := cutName(c.in, c.n); got != c.want {
			t.Errorf("cutName(%q, %d) = %q, want %q", c.in, c.n, got, c.want)
		}
	}
}
