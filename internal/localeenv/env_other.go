//go:build windows || darwin || js || android

package localeenv

// readsEnvironment: here go-locale asks the system, not the environment.
const readsEnvironment = false
