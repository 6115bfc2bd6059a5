//go:build !(linux || freebsd || openbsd || netbsd || windows)

package desktop

// Supported reports whether Watch can report anything on this system: not
// here (macOS is not done yet; see the package doc).
const Supported = false

// Watch reports nothing here; stop does nothing.
func Watch(on func(Event)) (stop func()) { return func() {} }
