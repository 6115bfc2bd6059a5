// Command keyshelf is a desktop vault for API keys. With no command it opens
// the window; with a command (keyshelf help) it serves scripts and power users.
package main

import (
	"fmt"
	"os"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"golang.org/x/term"

	"keyshelf/cmdline"
	"keyshelf/gui"
	"keyshelf/gui/desktop"
	"keyshelf/internal/localeenv" // its init runs before Fyne's: see the package doc
	"keyshelf/vault"
	"keyshelf/vault/keychain"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "0.1.0-dev"

func main() {
	g, rest, err := cmdline.ParseGlobals(os.Args[1:])
	if err != nil || len(rest) > 0 {
		// Commands may start programs: they get the user's own environment.
		localeenv.Restore()
		os.Exit(cmdline.Run(os.Args[1:], cmdline.Env{
			Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr,
			Getenv:   os.Getenv,
			Keychain: keychain.System{},
			Prompt:   prompt,
			Version:  version,
		}))
	}
	a := app.NewWithID("dev.keyshelf.app")
	flag := g.Vault
	if flag == "" && os.Getenv(vault.EnvVault) == "" {
		// The vault last picked in the window's settings.
		flag = a.Preferences().String(gui.PrefVaultPath)
	}
	path, err := vault.ResolvePath(flag, os.Getenv)
	if err != nil {
		fmt.Fprintln(os.Stderr, "keyshelf:", err)
		os.Exit(1)
	}
	// TrayAvailable is left nil: the gui asks the platform (package trayhost).
	cfg := gui.Config{VaultPath: path, Version: version, Options: vault.Options{Keychain: keychain.System{}}}
	if desktop.Supported {
		// The screen locking, sleep and wake-up (D-Bus on Linux).
		cfg.Session = desktop.Watch
	}
	ui := gui.New(a, cfg)
	// Ctrl+C, a polite kill or a hang-up quits like the menu's Quit: the
	// clipboard is cleared and the vault closed (signals.go).
	stopSignals := onQuitSignal(func() { fyne.Do(ui.Quit) })
	defer stopSignals()
	ui.Run()
}

// prompt asks on the terminal without echo: on /dev/tty (so that standard
// input stays free for piped data), else on standard input if it is one.
func prompt(p string) (string, error) {
	in := os.Stdin
	if tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0); err == nil {
		defer tty.Close()
		in = tty
	}
	if !term.IsTerminal(int(in.Fd())) {
		return "", fmt.Errorf("no terminal")
	}
	fmt.Fprint(os.Stderr, p)
	b, err := term.ReadPassword(int(in.Fd()))
	fmt.Fprintln(os.Stderr)
	return string(b), err
}
