// This file is Keyshelf's, added to its copy of Fyne v2.7.1's
// internal/driver/glfw (third_party/README.md, "fyne"). Fyne's licence: LICENSE.

//go:build wasm || test_web_driver

package glfw

// canWaitEvents is false: in a browser the loop keeps Fyne's 60 Hz tick.
const canWaitEvents = false

func waitEvents(float64) {}

func postEmptyEvent() {}
