// This file is Keyshelf's, added to its copy of Fyne v2.7.1's
// internal/driver/glfw (third_party/README.md, "fyne"). Fyne's licence: LICENSE.

//go:build !wasm && !test_web_driver

package glfw

// glfwPostEmptyEvent is called directly rather than through go-gl's
// PostEmptyEvent, which runs on the forwarding goroutine and would then read
// (and could steal) an error the main thread's GLFW call is about to fetch
// from go-gl's shared error channel. GLFW documents it as callable from any
// thread; its only error is GLFW_NOT_INITIALIZED, which waitMu rules out.

/*
void glfwPostEmptyEvent(void);
*/
import "C"

import "github.com/go-gl/glfw/v3.3/glfw"

// canWaitEvents is whether the loop may sleep in waitEvents when idle.
const canWaitEvents = true

// waitEvents sleeps until an event arrives or seconds pass, and processes
// the events.
func waitEvents(seconds float64) {
	glfw.WaitEventsTimeout(seconds)
}

// postEmptyEvent wakes waitEvents from any goroutine.
func postEmptyEvent() {
	C.glfwPostEmptyEvent()
}
