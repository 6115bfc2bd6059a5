package gui

import (
	"fmt"
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
