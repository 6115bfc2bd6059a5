//go:build no_animations

package gui

// noAnimations is true in builds with the no_animations tag, which turns
// Fyne's animations off (the blinking cursor among them).
const noAnimations = true
