package cmdline

import (
	"errors"
	"flag"
)

// Window is Keyshelf's desktop window as `keyshelf show` reaches it. main
// provides it (package internal/instance, and the window itself); tests
// replace it.
type Window interface {
	// Show asks the copy of Keyshelf running for the vault to bring its
	// window to the front. vaultFlag is --vault ("" for the vault the
	// window would open: $KEYSHELF_VAULT, else the one last picked in its
	// settings). running is false when no copy runs for that vault.
	Show(vaultFlag string) (running bool, err error)
	// Open opens the window in this process, as keyshelf with no command
	// does, and returns the exit status once it quits.
	Open(vaultFlag string) int
}

// errNoWindow is show in a build or test without a window.
var errNoWindow = errors.New("this keyshelf has no window")

// exitStatus is an error that only carries the exit status of a window
// the command opened (0 included).
type exitStatus int

func (e exitStatus) Error() string { return "the window exited" }

const showHelp = `For desktop shortcuts, a system-wide key binding and scripts. When Keyshelf
runs for the vault (--vault, else the one the window opens), its window
comes to the front, from the tray too, and show exits at once with status 0.
When none runs, show opens the window, as 'keyshelf' alone does, and exits
when it quits; with --no-start it says that Keyshelf is not running and exits
with status 1 instead. Show never asks for the passphrase, and nothing secret
passes between the two (a per-user local socket, or a named pipe on Windows).`

type showOpts struct{ noStart bool }

func showFlags(fs *flag.FlagSet) any {
	o := &showOpts{}
	fs.BoolVar(&o.noStart, "no-start", false, "do not open the window when Keyshelf is not running (exit 1)")
	return o
}

func runShow(r *runner, fs *flag.FlagSet, opts any) error {
	if err := noArgs(fs); err != nil {
		return err
	}
	o := opts.(*showOpts)
	if r.env.Window == nil {
		return errNoWindow
	}
	running, err := r.env.Window.Show(r.g.Vault)
	if err != nil {
		return err
	}
	if running {
		return nil
	}
	if o.noStart {
		return errors.New("no Keyshelf window runs for this vault (start it with 'keyshelf', or run 'keyshelf show' without --no-start)")
	}
	if s := r.env.Window.Open(r.g.Vault); s != 0 {
		return exitStatus(s)
	}
	return nil
}
