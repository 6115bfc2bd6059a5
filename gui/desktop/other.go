//go:build !(linux || freebsd || openbsd || netbsd || windows || (darwin && !ios))

package desktop

// Supported reports whether Watch can report anything on this system: not
// here (iOS, Plan 9 and the other systems without a watcher of their own).
const Supported = false

// Watch reports nothing here; stop does nothing.
func Watch(on func(Event)) (stop func()) { return func() {} }
