//go:build !(linux || freebsd || openbsd || netbsd)

package desktop

// Supported reports whether Watch can report anything on this system.
// Windows (WTSRegisterSessionNotification) and macOS
// (com.apple.screenIsLocked) are not done yet: see the package doc.
const Supported = false

// Watch reports nothing here; stop does nothing.
func Watch(on func(Event)) (stop func()) { return func() {} }
