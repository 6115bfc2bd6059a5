//go:build !((linux && !android) || freebsd || openbsd || netbsd || dragonfly || windows)

package secretclip

// Clipboard is not available on this system: New always fails.
type Clipboard struct{}

// New returns ErrUnsupported here.
func New() (*Clipboard, error) { return nil, ErrUnsupported }

// Set does nothing here.
func (c *Clipboard) Set(string) error { return ErrUnsupported }

// Owns reports nothing here.
func (c *Clipboard) Owns() (string, bool) { return "", false }

// Close does nothing here.
func (c *Clipboard) Close() error { return nil }
