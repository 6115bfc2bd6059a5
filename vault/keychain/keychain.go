// Package keychain stores small secrets (Keyshelf keeps only 32-byte device
// keys there) in the operating system's keychain: Secret Service on Linux,
// Keychain on macOS, Credential Manager on Windows.
package keychain

import (
	"errors"
	"fmt"
	"time"

	"github.com/zalando/go-keyring"
)

// Service is the keychain service name Keyshelf's items live under.
const Service = "keyshelf"

var (
	// ErrNotFound: the keychain has no such item.
	ErrNotFound = errors.New("not found in the keychain")
	// ErrUnavailable: there is no usable keychain (none installed, locked, or
	// it did not answer in time). It is a normal state, not a crash.
	ErrUnavailable = errors.New("the system keychain is not available")
)

// Keychain is the subset of a keychain Keyshelf uses. Implementations must be
// safe for concurrent use.
type Keychain interface {
	Get(user string) (string, error)
	Set(user, secret string) error
	Delete(user string) error
}

// System is the operating system's keychain through go-keyring. Each call
// gives up after Timeout, since an unlock prompt may otherwise block forever.
type System struct {
	Timeout time.Duration
}

// DefaultTimeout bounds each keychain call of a zero System.
const DefaultTimeout = 15 * time.Second

func (s System) call(op string, f func() error) error {
	d := s.Timeout
	if d <= 0 {
		d = DefaultTimeout
	}
	done := make(chan error, 1)
	go func() { done <- f() }()
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case err := <-done:
		switch {
		case err == nil:
			return nil
		case errors.Is(err, keyring.ErrNotFound):
			return ErrNotFound
		default:
			// The library's own message says why (no D-Bus, locked collection…);
			// it never contains the secret.
			return fmt.Errorf("%w: %s: %v", ErrUnavailable, op, err)
		}
	case <-timer.C:
		return fmt.Errorf("%w: %s: no answer within %v", ErrUnavailable, op, d)
	}
}

// Get reads the item stored for user.
func (s System) Get(user string) (string, error) {
	var v string
	err := s.call("read", func() (err error) { v, err = keyring.Get(Service, user); return })
	return v, err
}

// Set stores secret for user, replacing any previous item.
func (s System) Set(user, secret string) error {
	return s.call("store", func() error { return keyring.Set(Service, user, secret) })
}

// Delete removes the item for user.
func (s System) Delete(user string) error {
	return s.call("delete", func() error { return keyring.Delete(Service, user) })
}
