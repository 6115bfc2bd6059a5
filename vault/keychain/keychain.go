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

// backend is the keychain library's API; tests replace it with one that
// blocks, to check the timeout.
type backend interface {
	Get(service, user string) (string, error)
	Set(service, user, secret string) error
	Delete(service, user string) error
}

type goKeyring struct{}

func (goKeyring) Get(service, user string) (string, error) { return keyring.Get(service, user) }
func (goKeyring) Set(service, user, secret string) error   { return keyring.Set(service, user, secret) }
func (goKeyring) Delete(service, user string) error        { return keyring.Delete(service, user) }

var lib backend = goKeyring{}

// answer is what a keychain call returned.
type answer struct {
	value string
	err   error
}

// call runs f on its own goroutine and waits at most the timeout for it. The
// value travels back on the channel only, so a call that answers after the
// timeout writes nothing that the caller could be reading.
func (s System) call(op string, f func() (string, error)) (string, error) {
	d := s.Timeout
	if d <= 0 {
		d = DefaultTimeout
	}
	done := make(chan answer, 1)
	go func() {
		v, err := f()
		done <- answer{v, err}
	}()
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case a := <-done:
		switch {
		case a.err == nil:
			return a.value, nil
		case errors.Is(a.err, keyring.ErrNotFound):
			return "", ErrNotFound
		default:
			// The library's own message says why (no D-Bus, locked collection…);
			// it never contains the secret.
			return "", fmt.Errorf("%w: %s: %v", ErrUnavailable, op, a.err)
		}
	case <-timer.C:
		return "", fmt.Errorf("%w: %s: no answer within %v", ErrUnavailable, op, d)
	}
}

// Get reads the item stored for user.
func (s System) Get(user string) (string, error) {
	return s.call("read", func() (string, error) { return lib.Get(Service, user) })
}

// Set stores secret for user, replacing any previous item.
func (s System) Set(user, secret string) error {
	_, err := s.call("store", func() (string, error) { return "", lib.Set(Service, user, secret) })
	return err
}

// Delete removes the item for user.
func (s System) Delete(user string) error {
	_, err := s.call("delete", func() (string, error) { return "", lib.Delete(Service, user) })
	return err
}
