//go:build unix

package instance

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/gofrs/flock"
)

// maxSocketPath is the longest socket path every Unix takes (macOS and the
// BSDs: 104 bytes with the terminating zero; Linux: 108).
const maxSocketPath = 103

// userDir is the directory of this user's endpoints: keyshelf/ under
// $XDG_RUNTIME_DIR (private to the user and emptied at log-out), else
// keyshelf/run/ under the user cache folder. Either is made 0700 and must
// belong to this user.
func userDir() (string, error) {
	var dir string
	if d := os.Getenv("XDG_RUNTIME_DIR"); d != "" && filepath.IsAbs(d) {
		dir = filepath.Join(d, "keyshelf")
	} else {
		cache, err := os.UserCacheDir()
		if err != nil {
			return "", fmt.Errorf("no folder for the running copy's socket: %w", err)
		}
		dir = filepath.Join(cache, "keyshelf", "run")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("make the socket folder: %w", err)
	}
	return dir, nil
}

// privateDir checks that dir is a directory (not a link) of this user that
// nobody else may enter, making it 0700 if it is the user's but more open.
func privateDir(dir string) error {
	fi, err := os.Lstat(dir)
	if err != nil {
		return fmt.Errorf("socket folder: %w", err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("socket folder %s is not a folder", dir)
	}
	if !ownedByMe(fi) {
		return fmt.Errorf("socket folder %s belongs to another user", dir)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		if err := os.Chmod(dir, 0o700); err != nil {
			return fmt.Errorf("make the socket folder private: %w", err)
		}
	}
	return nil
}

func ownedByMe(fi fs.FileInfo) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	return ok && int(st.Uid) == os.Getuid()
}

// endpointIn is the endpoint for the vault at vaultPath in dir, which must
// be private to this user.
func endpointIn(dir, vaultPath string) (Endpoint, error) {
	if err := privateDir(dir); err != nil {
		return Endpoint{}, err
	}
	key, err := vaultKey(vaultPath)
	if err != nil {
		return Endpoint{}, err
	}
	p := filepath.Join(dir, key+".sock")
	if len(p) > maxSocketPath {
		return Endpoint{}, fmt.Errorf("socket path %s is longer than %d bytes", p, maxSocketPath)
	}
	return Endpoint{Path: p}, nil
}

// dial connects to the socket; no file, or a file nobody listens on (left
// by a crash), is ErrNotRunning.
func dial(path string, timeout time.Duration) (net.Conn, error) {
	c, err := net.DialTimeout("unix", path, timeout)
	if err == nil {
		return c, nil
	}
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ECONNREFUSED) {
		return nil, ErrNotRunning
	}
	return nil, noAnswer(err)
}

// Claim makes this process the copy at e without asking anyone: it listens
// at e unless a live copy does (ErrTaken). Start uses it; a running copy
// whose vault changes claims the new vault's endpoint with it, then closes
// the old one. Under the lock file, a socket nobody listens on is removed first; the lock makes sure
// that two copies starting at once do not both remove and listen.
func (e Endpoint) Claim() (*Server, error) {
	lock := flock.New(strings.TrimSuffix(e.Path, ".sock")+".lock", flock.SetPermissions(0o600))
	if err := lock.Lock(); err != nil {
		return nil, fmt.Errorf("lock the socket: %w", err)
	}
	defer lock.Unlock()

	fi, err := os.Lstat(e.Path)
	switch {
	case err == nil:
		if fi.Mode().Type() != fs.ModeSocket {
			return nil, fmt.Errorf("%s is not a socket", e.Path)
		}
		if !ownedByMe(fi) {
			return nil, fmt.Errorf("socket %s belongs to another user", e.Path)
		}
		c, err := net.DialTimeout("unix", e.Path, e.timeout())
		if err == nil {
			c.Close()
			return nil, ErrTaken
		}
		if !errors.Is(err, syscall.ECONNREFUSED) {
			return nil, ErrTaken // alive but busy (a full backlog)
		}
		// Left behind: no process listens on it any more.
		if err := os.Remove(e.Path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("remove the stale socket: %w", err)
		}
	case errors.Is(err, fs.ErrNotExist):
	default:
		return nil, fmt.Errorf("socket: %w", err)
	}
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: e.Path, Net: "unix"})
	if err != nil {
		return nil, fmt.Errorf("listen: %w", err)
	}
	if err := os.Chmod(e.Path, 0o600); err != nil {
		ln.Close()
		return nil, fmt.Errorf("make the socket private: %w", err)
	}
	return newServer(ln, e.timeout()), nil
}
