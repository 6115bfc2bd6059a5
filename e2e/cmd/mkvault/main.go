// Command mkvault creates a Keyshelf vault holding n fake keys in one save,
// for measurements (scripts/measure-memory.sh): `keyshelf add` once per key
// would run the passphrase KDF n times. The vault uses the default KDF
// parameters, like one made by `keyshelf init`.
//
//	go run ./e2e/cmd/mkvault -n 10000 -passphrase-file FILE VAULT
//
// Every key is random test data behind a real provider's prefix, with
// "FAKE" in it; names are "<Provider> <number>". The file must not exist.
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"keyshelf/e2e/internal/fakekeys"
	"keyshelf/vault"
)

func main() {
	n := flag.Int("n", 10000, "number of keys")
	passFile := flag.String("passphrase-file", "", "read the passphrase from the first line of `FILE`")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: mkvault [-n N] -passphrase-file FILE VAULT")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 || *passFile == "" || *n < 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(flag.Arg(0), *passFile, *n); err != nil {
		fmt.Fprintln(os.Stderr, "mkvault:", err)
		os.Exit(1)
	}
}

func run(path, passFile string, n int) error {
	b, err := os.ReadFile(passFile)
	if err != nil {
		return err
	}
	pass, _, _ := strings.Cut(string(b), "\n")
	v, err := vault.Create(path, strings.TrimSuffix(pass, "\r"), vault.Options{})
	if err != nil {
		return err
	}
	drafts := make([]vault.Draft, n)
	for i := range drafts {
		name, secret := fakekeys.Key(i)
		drafts[i] = vault.Draft{
			Name:   name,
			Secret: secret,
			Tags:   []string{"measure"},
		}
	}
	if _, err := v.AddAll(drafts); err != nil {
		v.Close()
		return err
	}
	if err := v.Close(); err != nil {
		return err
	}
	fmt.Printf("Created %s with %d fake keys\n", path, n)
	return nil
}
