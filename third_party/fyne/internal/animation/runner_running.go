// This file is Keyshelf's, added to its copy of Fyne v2.7.1's
// internal/animation (third_party/README.md, "fyne"). Fyne's licence: LICENSE.

package animation

// Running reports whether an animation has been started and not yet
// finished, so that the driver's loop keeps ticking for it.
func (r *Runner) Running() bool {
	r.animationMutex.RLock()
	defer r.animationMutex.RUnlock()
	return r.runnerStarted
}
