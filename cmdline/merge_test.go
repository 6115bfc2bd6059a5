package cmdline

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

const (
	keyHere  = "sk-proj-rotatedhereAAAAT3BlbkFJ0123456789abcdefgh"
	keyThere = "sk-proj-rotatedthereBBBT3BlbkFJ0123456789abcdefgh"
)

// otherComputer copies f's vault to another folder, as a sync service does,
// and returns a fixture on that copy.
func otherComputer(t *testing.T, f *fixture) *fixture {
	g := newFixture(t)
	data, err := os.ReadFile(f.vault)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(g.vault, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return g
}

func TestMergeConflictCopies(t *testing.T) {
	f := newFixture(t)
	f.mustOK(f.with("", "init"))
	f.mustOK(f.with(oaiKey+"\n", "add", "OpenAI"))
	g := otherComputer(t, f)
	f.mustOK(f.with(keyHere+"\n", "rotate", "OpenAI"))
	g.mustOK(g.with(keyThere+"\n", "rotate", "OpenAI"))
	g.mustOK(g.with(ghKey+"\n", "add", "GitHub"))
	conflict := filepath.Join(f.dir, "v.sync-conflict-20261203-101010-ABCDEF7.keyshelf")
	data, err := os.ReadFile(g.vault)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(conflict, data, 0o600); err != nil {
		t.Fatal(err)
	}

	_, _, errs := f.with(ghKey+"\n", "add", "Other")
	if !strings.Contains(errs, "a sync service left 1 conflict copy of the vault beside it; 'keyshelf merge' takes it in") {
		t.Fatalf("no note of the conflict copy: %q", errs)
	}
	moved := filepath.Join(t.TempDir(), "merged")
	out := f.mustOK(f.with("", "merge", "--backup-folder", moved))
	for _, want := range []string{
		"Merged v.sync-conflict-20261203-101010-ABCDEF7.keyshelf (Syncthing): 1 added, 1 changed on both sides (both values kept)\n",
		"  added: GitHub\n", "  changed on both sides, both values kept: OpenAI\n", "  moved to " + moved + string(filepath.Separator) + "",
	} {
		if !strings.Contains(out, want) {
			t.Fatalf("output lacks %q:\n%s", want, out)
		}
	}
	if _, err := os.Stat(conflict); !os.IsNotExist(err) {
		t.Fatal("the conflict copy is still beside the vault")
	}
	e := f.entry("OpenAI")
	values := []string{e.Secret}
	for _, h := range e.History {
		values = append(values, h.Secret)
	}
	for _, k := range []string{oaiKey, keyHere, keyThere} {
		if !slices.Contains(values, k) {
			t.Fatal("a value of OpenAI is lost")
		}
	}
	if out := f.mustOK(f.with("", "merge", "--backup-folder", moved)); out != "No conflict copies beside the vault.\n" {
		t.Fatalf("again: %q", out)
	}
	for _, k := range []string{oaiKey, keyHere, keyThere, ghKey} {
		if strings.Contains(f.seen.String(), k) {
			t.Fatal("a key was printed")
		}
	}
}

func TestMergeFileWithAnotherPassphrase(t *testing.T) {
	f := newFixture(t)
	f.setClock(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
	f.mustOK(f.with("", "init"))
	f.mustOK(f.with(oaiKey+"\n", "add", "OpenAI"))
	g := newFixture(t) // another vault, another passphrase, its key made later
	g.setClock(time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC))
	if err := os.WriteFile(g.pfile, []byte("another passphrase, long enough\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	g.mustOK(g.with("", "init"))
	g.mustOK(g.with(ghKey+"\n", "add", "openai"))

	code, _, errs := f.with("", "merge", g.vault)
	f.mustFail(1, code, errs, "another passphrase: use --other-passphrase-file FILE")
	code, _, errs = f.with("", "merge", "--other-passphrase-file", f.pfile, g.vault)
	f.mustFail(1, code, errs, "wrong passphrase")
	out := f.mustOK(f.with("", "merge", "--other-passphrase-file", g.pfile, g.vault))
	if !strings.Contains(out, "Merged v.keyshelf: 1 added, 1 renamed (same name)\n") || !strings.Contains(out, "  renamed (same name): openai -> openai (2)\n") {
		t.Fatalf("output:\n%s", out)
	}
	if code, _, errs := f.with("", "merge", "a", "b"); code != 2 {
		t.Fatalf("two files: exit %d, %s", code, errs)
	}
}
