package cmdline

import (
	"strings"
	"testing"
)

// `add` of a key that has a provider's prefix but not its usual shape names
// that provider and notes, on stderr, that the key looks unusual.
func TestAddNotesAnUnusualKey(t *testing.T) {
	f := newFixture(t)
	f.mustOK(f.with("", "init"))
	const short = "sk-proj-FAKEfake0123FAKEfake0123" // an OpenAI project key cut short
	code, out, errs := f.with(short+"\n", "add", "cut")
	f.mustOK(code, out, errs)
	if out != "Added \"cut\" (OpenAI)\n" || errs != "keyshelf: note: the key looks unusual for OpenAI; check that you copied all of it\n" {
		t.Fatalf("add: %q %q", out, errs)
	}
	// Chosen by hand, the same note.
	code, out, errs = f.with("FAKEfake0123FAKEfake0123\n", "add", "--provider", "github", "hand")
	f.mustOK(code, out, errs)
	if !strings.Contains(errs, "looks unusual for GitHub") {
		t.Fatalf("add --provider github: %q", errs)
	}
	// A key of the usual shape, or of no known provider: no note.
	for name, key := range map[string]string{"usual": ghKey, "other": "FAKEfake0123FAKEfake0123"} {
		code, out, errs := f.with(key+"\n", "add", name)
		f.mustOK(code, out, errs)
		if errs != "" {
			t.Errorf("%s: stderr %q", name, errs)
		}
	}
	if strings.Contains(f.seen.String(), "FAKEfake0123") {
		t.Fatal("a key was printed")
	}
}
