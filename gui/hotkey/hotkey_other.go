//go:build !windows && !((linux && !android) || freebsd || openbsd || netbsd || dragonfly)

package hotkey

// Register returns ErrUnsupported: this system has no implementation yet.
// macOS would use Carbon's RegisterEventHotKey (with Cmd+Ctrl+K or similar
// as its default); that is not done, so on macOS the user binds
// `keyshelf show` as a system shortcut instead.
func Register(c Combo, fire func()) (stop func() error, err error) {
	return nil, ErrUnsupported
}
