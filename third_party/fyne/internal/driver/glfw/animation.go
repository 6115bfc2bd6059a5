// This file is Fyne v2.7.1's internal/driver/glfw/animation.go with Keyshelf's
// idle wait (third_party/README.md, "fyne"). Fyne's licence: LICENSE.

package glfw

import "fyne.io/fyne/v2"

func (d *gLDriver) StartAnimation(a *fyne.Animation) {
	d.animation.Start(a)
	wakeMain() // Keyshelf: an animation needs the loop's 60 Hz tick.
}

func (d *gLDriver) StopAnimation(a *fyne.Animation) {
	d.animation.Stop(a)
}
