package cmdline

import (
	"errors"
	"fmt"
	"os"
	"runtime"

	"keyshelf/vault"
)

var errNoPassphrase = errors.New("no passphrase: run in a terminal or use --passphrase-file FILE")

// passphrase reads the passphrase: the first line of --passphrase-file, or
// asked on the terminal without echo.
func (r *runner) passphrase(prompt string) (string, error) {
	if r.g.PassphraseFile != "" {
		return readPassFile(r.g.PassphraseFile, r.env)
	}
	return r.ask(prompt)
}

func (r *runner) ask(prompt string) (string, error) {
	if r.env.Prompt == nil {
		return "", errNoPassphrase
	}
	s, err := r.env.Prompt(prompt)
	if err != nil {
		return "", errNoPassphrase
	}
	return s, nil
}

// newPassphrase reads a new passphrase: the first line of file if given,
// else asked twice on the terminal. It refuses one that breaks
// vault.CheckNewPassphrase (before asking again) and warns on stderr about
// one that is easy to guess.
func (r *runner) newPassphrase(file string) (string, error) {
	var pass string
	var err error
	if file != "" {
		if pass, err = readPassFile(file, r.env); err != nil {
			return "", err
		}
		if err := vault.CheckNewPassphrase(pass); err != nil {
			return "", err
		}
	} else {
		if pass, err = r.ask("New passphrase: "); err != nil {
			return "", err
		}
		if err := vault.CheckNewPassphrase(pass); err != nil {
			return "", err
		}
		again, err := r.ask("New passphrase again: ")
		if err != nil {
			return "", err
		}
		if again != pass {
			return "", errors.New("the two passphrases differ")
		}
	}
	if vault.PassphraseStrength(pass) < vault.StrongScore {
		fmt.Fprintln(r.env.Stderr, "keyshelf: warning: the passphrase is easy to guess; a longer one, or more unrelated words, is safer")
	}
	return pass, nil
}

func readPassFile(path string, env Env) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("read the passphrase file: %w", err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && runtime.GOOS != "windows" && fi.Mode().Perm()&0o077 != 0 {
		fmt.Fprintf(env.Stderr, "keyshelf: warning: %s can be read by other users (chmod 600 it)\n", path)
	}
	b, err := readAllLimited(f, 64<<10)
	if err != nil {
		return "", fmt.Errorf("read the passphrase file: %w", err)
	}
	return firstLine(b), nil
}
