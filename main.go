// Command keyshelf is a desktop vault for API keys. With no command it opens
// the window; with a command (keyshelf help) it serves scripts and power users.
package main

import (
	"errors"
	"fmt"
	"os"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"golang.org/x/term"

	"keyshelf/cmdline"
	"keyshelf/gui"
	"keyshelf/gui/desktop"
	"keyshelf/gui/hotkey"
	"keyshelf/gui/secretclip"
	"keyshelf/internal/instance"
	"keyshelf/internal/localeenv" // its init runs before Fyne's: see the package doc
	"keyshelf/vault"
	"keyshelf/vault/keychain"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "0.1.0-dev"

// appID is the Fyne app ID: it names the preferences' folder.
const appID = "dev.keyshelf.app"

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
			Window:   &window{},
		}))
	}
	os.Exit((&window{}).Open(g.Vault))
}

// window is the desktop window: this process's own, and the one running
// copy per vault (package internal/instance) that a second start or
// `keyshelf show` reaches. It is cmdline.Window.
type window struct{ app fyne.App }

func (w *window) fyneApp() fyne.App {
	if w.app == nil {
		w.app = app.NewWithID(appID)
	}
	return w.app
}

// vaultPath is the vault the window opens: --vault, else $KEYSHELF_VAULT,
// else the vault last picked in the window's settings, else the default.
func (w *window) vaultPath(flag string) (string, error) {
	if flag == "" && os.Getenv(vault.EnvVault) == "" {
		flag = w.fyneApp().Preferences().String(gui.PrefVaultPath)
	}
	return vault.ResolvePath(flag, os.Getenv)
}

// Show asks the copy running for the vault to show its window.
func (w *window) Show(flag string) (bool, error) {
	path, err := w.vaultPath(flag)
	if err != nil {
		return false, err
	}
	e, err := instance.ForVault(path)
	if err != nil {
		return false, err
	}
	switch err := e.Send(instance.Show); {
	case errors.Is(err, instance.ErrNotRunning):
		return false, nil
	case err != nil:
		return true, fmt.Errorf("%w (end that process, then start Keyshelf again)", err)
	}
	return true, nil
}

// Open runs the window until it quits and returns the exit status. When a
// copy already runs for the vault, it shows that copy's window instead and
// returns 0 at once.
func (w *window) Open(flag string) int {
	localeenv.Apply() // a command (show) put the user's LANGUAGE back
	path, err := w.vaultPath(flag)
	if err != nil {
		fmt.Fprintln(os.Stderr, "keyshelf:", err)
		return 1
	}
	var ui *gui.UI
	handle := func(c instance.Command) {
		if c == instance.Show {
			fyne.Do(func() { ui.Show() })
		}
	}
	one := &oneCopy{handle: handle}
	switch handed, err := one.start(path); {
	case handed:
		return 0 // the running copy shows its window
	case errors.Is(err, instance.ErrNoAnswer):
		fmt.Fprintf(os.Stderr, "keyshelf: %v: end that process, then start Keyshelf again\n", err)
		return 1
	case err != nil:
		// Not being able to tell is no reason not to start.
		fmt.Fprintln(os.Stderr, "keyshelf: warning: cannot make sure that only one Keyshelf runs:", err)
	}
	defer one.close()

	// TrayAvailable is left nil: the gui asks the platform (package trayhost).
	cfg := gui.Config{VaultPath: path, Version: version, Options: vault.Options{Keychain: keychain.System{}},
		VaultChanged: one.follow, Hotkey: hotkey.Register, Watch: gui.WatchFile}
	if item, ok := loginItem(); ok {
		cfg.LoginItem = item
	}
	// Keys go on the clipboard marked secret where the system has a mark
	// (X11 and XWayland: the KDE password-manager hint; Windows: out of the
	// history). Without it, the app's own.
	if sc, err := secretclip.New(); err == nil {
		cfg.SecretClipboard = sc
		defer sc.Close()
	}
	if desktop.Supported {
		// The screen locking, sleep and wake-up (D-Bus on Linux, WTS on Windows,
		// workspace notifications on macOS: package gui/desktop).
		cfg.Session = desktop.Watch
	}
	ui = gui.New(w.fyneApp(), cfg)
	one.serve()
	// Ctrl+C, a polite kill or a hang-up quits like the menu's Quit: the
	// clipboard is cleared and the vault closed (signals.go).
	stopSignals := onQuitSignal(func() { fyne.Do(ui.Quit) })
	defer stopSignals()
	ui.Run()
	return 0
}

// oneCopy is this process's claim to be the one running copy for its
// vault; srv is nil when that could not be made sure of.
type oneCopy struct {
	srv    *instance.Server
	path   string // the endpoint srv listens at
	handle func(instance.Command)
	served bool
}

// start claims the endpoint of the vault at path, or hands the start to the
// copy running there (handed).
func (o *oneCopy) start(path string) (handed bool, err error) {
	e, err := instance.ForVault(path)
	if err != nil {
		return false, err
	}
	srv, err := e.Start(instance.Show)
	if err != nil {
		return false, err
	}
	if srv == nil {
		return true, nil
	}
	o.srv, o.path = srv, e.Path
	return false, nil
}

// serve starts answering: once the window exists.
func (o *oneCopy) serve() {
	if o.srv != nil {
		o.srv.Serve(o.handle)
		o.served = true
	}
}

// follow moves the claim to the vault the user picked (gui.Config's
// VaultChanged), so that the next start, which opens that vault, finds this
// window. When another copy already has that vault, this one keeps its
// claim on the old one.
func (o *oneCopy) follow(path string) {
	e, err := instance.ForVault(path)
	if err != nil || e.Path == o.path {
		return
	}
	srv, err := e.Claim()
	if err != nil {
		fmt.Fprintln(os.Stderr, "keyshelf: warning: another start may open this vault in a second window:", err)
		return
	}
	if o.srv != nil {
		o.srv.Close()
	}
	o.srv, o.path = srv, e.Path
	if o.served {
		srv.Serve(o.handle)
	}
}

func (o *oneCopy) close() {
	if o.srv != nil {
		o.srv.Close()
	}
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
