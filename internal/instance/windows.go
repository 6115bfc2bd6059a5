//go:build windows

package instance

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"time"

	"github.com/Microsoft/go-winio"
	"golang.org/x/sys/windows"
)

// userDir has no meaning on Windows: pipes live in their own namespace.
// It returns the current user's SID, which names the user's pipes.
func userDir() (string, error) {
	sid, err := userSID()
	if err != nil {
		return "", err
	}
	return sid, nil
}

// userSID is the current user's security identifier as a string.
func userSID() (string, error) {
	tok := windows.GetCurrentProcessToken()
	u, err := tok.GetTokenUser()
	if err != nil {
		return "", fmt.Errorf("current user: %w", err)
	}
	return u.User.Sid.String(), nil
}

// endpointIn is the pipe for the vault at vaultPath of the user with the
// SID sid: \\.\pipe\keyshelf-SID-vault-HASH.
func endpointIn(sid, vaultPath string) (Endpoint, error) {
	key, err := vaultKey(vaultPath)
	if err != nil {
		return Endpoint{}, err
	}
	return Endpoint{Path: `\\.\pipe\keyshelf-` + sid + "-" + key}, nil
}

// dial connects to the pipe; no pipe is ErrNotRunning.
func dial(path string, timeout time.Duration) (net.Conn, error) {
	c, err := winio.DialPipe(path, &timeout)
	if err == nil {
		return c, nil
	}
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNotRunning
	}
	return nil, noAnswer(err)
}

// Claim makes this process the copy at e without asking anyone (ErrTaken
// when a copy already listens there). It creates the pipe. The first instance is created with FILE_CREATE
// (go-winio), so of two copies only one succeeds; a pipe goes away with its
// process, so nothing stale is left behind. The security descriptor makes
// the user its owner and gives only the user access; go-winio refuses
// remote clients.
func (e Endpoint) Claim() (*Server, error) {
	sid, err := userSID()
	if err != nil {
		return nil, err
	}
	ln, err := winio.ListenPipe(e.Path, &winio.PipeConfig{
		SecurityDescriptor: "O:" + sid + "D:P(A;;GA;;;" + sid + ")",
		InputBufferSize:    MaxLine,
		OutputBufferSize:   MaxLine,
	})
	if err != nil {
		if errors.Is(err, windows.ERROR_ACCESS_DENIED) || errors.Is(err, windows.ERROR_PIPE_BUSY) || errors.Is(err, fs.ErrExist) {
			return nil, ErrTaken
		}
		return nil, fmt.Errorf("listen: %w", err)
	}
	return newServer(ln, e.timeout()), nil
}
