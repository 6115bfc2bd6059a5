//go:build !windows

package autostart

// Enable makes it start at login, replacing an earlier entry of its ID.
func Enable(it Item) error {
	p, err := systemPlace()
	if err != nil {
		return err
	}
	return p.enable(it)
}

// Disable removes its entry; there being none is no error.
func Disable(it Item) error {
	p, err := systemPlace()
	if err != nil {
		return err
	}
	if err := it.check(); err != nil {
		return err
	}
	return p.disable(it)
}

// Enabled reports whether its entry is in place and starts it.Exec with
// it.Args.
func Enabled(it Item) (bool, error) {
	p, err := systemPlace()
	if err != nil {
		return false, err
	}
	return p.enabled(it)
}
