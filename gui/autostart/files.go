//go:build !windows

package autostart

// Enable makes it start at login, replacing an earlier entry of its ID.
func (it Item) Enable() error {
	p, err := systemPlace()
	if err != nil {
		return err
	}
	return p.enable(it)
}

// Disable removes its entry; there being none is no error.
func (it Item) Disable() error {
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
func (it Item) Enabled() (bool, error) {
	p, err := systemPlace()
	if err != nil {
		return false, err
	}
	return p.enabled(it)
}
