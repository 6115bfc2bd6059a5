// Package exportfile writes files that hold keys in plain text (an export,
// a filled .env template) as carefully as a plain file can be: atomically,
// mode 0600, without a backup of what it replaces, and it tells whether git
// would let the file be committed.
package exportfile

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"keyshelf/vault/store"
)

// Write replaces path with data: a crash leaves the old file or the new
// one whole, the new one has mode 0600, and no .bak of the old is made.
func Write(path string, data []byte) error {
	if err := store.WriteFileKeepingBackup(path, data); err != nil {
		var sw *store.SyncWarning
		if !errors.As(err, &sw) {
			return fmt.Errorf("write %s: %w", path, err)
		}
	}
	return nil
}

// Unignored reports whether path lies in a git work tree that does not
// ignore it, so that `git add .` would take it. Without git, or outside a
// work tree, it is false.
func Unignored(path string) bool {
	abs, err := filepath.Abs(path)
	if err != nil {
		return false
	}
	git, err := exec.LookPath("git")
	if err != nil {
		return false
	}
	dir := filepath.Dir(abs)
	env := append(os.Environ(), "GIT_OPTIONAL_LOCKS=0")
	in := exec.Command(git, "-C", dir, "rev-parse", "--is-inside-work-tree")
	in.Env = env
	if out, err := in.Output(); err != nil || strings.TrimSpace(string(out)) != "true" {
		return false
	}
	ck := exec.Command(git, "-C", dir, "check-ignore", "-q", "--", filepath.Base(abs))
	ck.Env = env
	var ee *exec.ExitError
	return errors.As(ck.Run(), &ee) && ee.ExitCode() == 1
}
