//go:build !windows && !darwin && !js && !android

package localeenv

// readsEnvironment: here go-locale reads LC_ALL, LC_MESSAGES, LANG and
// LANGUAGE (its locale_unix.go).
const readsEnvironment = true
