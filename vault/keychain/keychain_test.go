package keychain

import (
	"errors"
	"os"
	"testing"
	"time"

	"github.com/zalando/go-keyring"
)

// exercise runs the contract every Keychain must keep.
func exercise(t *testing.T, k Keychain, user string) {
	t.Helper()
	if _, err := k.Get(user); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get before Set: %v", err)
	}
	if err := k.Set(user, "c2VjcmV0"); err != nil {
		t.Fatalf("Set: %v", err)
	}
	if v, err := k.Get(user); err != nil || v != "c2VjcmV0" {
		t.Fatalf("Get = %q, %v", v, err)
	}
	if err := k.Delete(user); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := k.Get(user); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get after Delete: %v", err)
	}
	if err := k.Delete(user); !errors.Is(err, ErrNotFound) {
		t.Fatalf("second Delete: %v", err)
	}
}

func TestMemory(t *testing.T) { exercise(t, &Memory{}, "v/laptop") }

func TestSystemWithMock(t *testing.T) {
	keyring.MockInit()
	exercise(t, System{}, "v/laptop")
}

func TestSystemUnavailable(t *testing.T) {
	keyring.MockInitWithError(errors.New("failed to unlock correct collection"))
	t.Cleanup(keyring.MockInit)
	if err := (System{}).Set("v/laptop", "x"); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("Set without a keychain: %v", err)
	}
	if _, err := (System{}).Get("v/laptop"); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("Get without a keychain: %v", err)
	}
}

// TestRealKeychain runs against the desktop's keychain (gnome-keyring under
// scripts/with-keychain.sh in make test). It is opt-in: KEYSHELF_REAL_KEYCHAIN=1.
func TestRealKeychain(t *testing.T) {
	if os.Getenv("KEYSHELF_REAL_KEYCHAIN") != "1" {
		t.Skip("set KEYSHELF_REAL_KEYCHAIN=1 to use the real keychain")
	}
	exercise(t, System{}, "keyshelf-test/real-keychain")
}

// slowKeychain answers late, like a keychain waiting on an unlock prompt.
// It waits on a timer rather than on the test: a channel the test closed
// would order the late write after the caller's read for the race detector
// and hide the race this is about.
type slowKeychain struct{ answered chan struct{} }

func (k slowKeychain) Get(service, user string) (string, error) {
	defer close(k.answered)
	<-time.After(20 * time.Millisecond)
	return "late answer", nil
}
func (k slowKeychain) Set(service, user, secret string) error { return nil }
func (k slowKeychain) Delete(service, user string) error      { return nil }

// TestLateAnswerAfterTimeout: a keychain that answers after the timeout must
// not write into what the caller already returned (go test -race fails here
// when the value is shared instead of sent).
func TestLateAnswerAfterTimeout(t *testing.T) {
	slow := slowKeychain{answered: make(chan struct{})}
	lib = slow
	t.Cleanup(func() { lib = goKeyring{} })
	v, err := (System{Timeout: time.Millisecond}).Get("v/laptop")
	if !errors.Is(err, ErrUnavailable) || v != "" {
		t.Fatalf("Get = %q, %v", v, err)
	}
	<-slow.answered
}
