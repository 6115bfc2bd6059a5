package gui

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"keyshelf/vault"
)

// BenchmarkFilterKeystroke measures what one keystroke in the search field
// costs with 10,000 keys: the search and the list refresh.
func BenchmarkFilterKeystroke(b *testing.B) {
	app := test.NewTempApp(b)
	path := b.TempDir() + "/v.keyshelf"
	opts := vault.Options{KDF: testKDF}
	v, err := vault.Create(path, testPass, opts)
	if err != nil {
		b.Fatal(err)
	}
	ds := make([]vault.Draft, 10000)
	for i := range ds {
		ds[i] = vault.Draft{Name: fmt.Sprintf("Key %05d production", i), Secret: fmt.Sprintf("sk-proj-%040dT3BlbkFJ", i)}
	}
	if _, err := v.AddAll(ds); err != nil {
		b.Fatal(err)
	}
	u := New(app, Config{VaultPath: path, Options: opts, Go: func(f func()) { f() }})
	u.unlocked(v)
	u.win.Resize(u.win.Canvas().Size().Max(u.win.Content().MinSize()))
	queries := []string{"k", "ke", "key", "key 1", "key 12", "123"}
	i := 0
	for b.Loop() {
		u.main.filter(queries[i%len(queries)])
		i++
	}
	v.Close()
}

// longNote is a 14 KB note of prose lines, as one pasted from a runbook.
func longNote(n int) string {
	line := "Rotate with the ops runbook: staging first, then prod; the CI secret is in the deploy vault. "
	var s []byte
	for len(s) < n {
		s = append(s, line...)
		if len(s)%5 == 0 {
			s = append(s, '\n')
		}
	}
	return string(s[:n])
}

// noteShapes are 14 KB notes of three shapes: prose paragraphs, short
// lines (a list), and one unbroken run (a pasted token or JSON blob).
var noteShapes = []struct{ name, note string }{
	{"prose", longNote(14 << 10)},
	{"lines", strings.Repeat("ssh deploy@10.0.0.12 -p 2222 # staging\n", (14<<10)/40)},
	{"blob", strings.Repeat("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9", (14<<10)/36)},
	{"paragraph", strings.ReplaceAll(longNote(14<<10), "\n", " ")},
}

// BenchmarkEditorLongNote measures opening the editor on a key whose note
// is 14 KB (issue #10: the window froze for 9-10 s).
func BenchmarkEditorLongNote(b *testing.B) {
	for _, shape := range noteShapes {
		b.Run(shape.name, func(b *testing.B) {
			app := test.NewTempApp(b)
			path := b.TempDir() + "/v.keyshelf"
			opts := vault.Options{KDF: testKDF}
			v, err := vault.Create(path, testPass, opts)
			if err != nil {
				b.Fatal(err)
			}
			r, err := v.Add(vault.Draft{Name: "OpenAI prod", Secret: openaiKey, Notes: shape.note})
			if err != nil {
				b.Fatal(err)
			}
			u := New(app, Config{VaultPath: path, Options: opts, Go: func(f func()) { f() }})
			u.unlocked(v)
			e := r.Entry
			for b.Loop() {
				u.main.showEditor(&e)
				u.editor.close()
			}
			v.Close()
		})
	}
}

// BenchmarkEditorLongNoteKeystroke measures one character typed at the end
// of a 14 KB note in the open editor.
func BenchmarkEditorLongNoteKeystroke(b *testing.B) {
	app := test.NewTempApp(b)
	path := b.TempDir() + "/v.keyshelf"
	opts := vault.Options{KDF: testKDF}
	v, err := vault.Create(path, testPass, opts)
	if err != nil {
		b.Fatal(err)
	}
	r, err := v.Add(vault.Draft{Name: "OpenAI prod", Secret: openaiKey, Notes: longNote(14 << 10)})
	if err != nil {
		b.Fatal(err)
	}
	u := New(app, Config{VaultPath: path, Options: opts, Go: func(f func()) { f() }})
	u.unlocked(v)
	e := r.Entry
	u.main.showEditor(&e)
	for b.Loop() {
		test.Type(u.editor.notes, "x")
	}
	v.Close()
}
