package leakscan

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"keyshelf/vault/provider"
	"keyshelf/vault/store"
)

// IgnoreFile is the file, at the top of a scanned folder, that lists the
// finds the user accepted (a test fixture, a revoked key), one fingerprint
// a line ("path:hash", # starts a comment). It holds no key, so it may be
// committed with the code.
const IgnoreFile = ".keyshelfignore"

// Ignore is the accepted finds of one or more scanned folders, each
// folder's own: a fingerprint accepted in one folder accepts nothing in
// another.
type Ignore struct{ fps map[string]bool }

// ignoreKey is a fingerprint as accepted in the folder dir.
func ignoreKey(dir, fp string) string { return dir + "\x00" + fp }

// resolveRoot is the folder a scan of root reads its IgnoreFile from and
// names its finds from (root, or a file root's folder), and the file
// itself for a file root (""), both with symbolic links resolved.
func resolveRoot(root string) (dir, file string, err error) {
	p, err := filepath.EvalSymlinks(root)
	if err != nil {
		return "", "", fmt.Errorf("%w: %s", ErrNotFolder, root)
	}
	info, err := os.Stat(p)
	if err != nil {
		return "", "", fmt.Errorf("%w: %s", ErrNotFolder, root)
	}
	if info.IsDir() {
		return p, "", nil
	}
	return filepath.Dir(p), p, nil
}

// LoadIgnore reads the IgnoreFile of each root's folder (a file root's
// own folder); a folder without one accepts nothing.
func LoadIgnore(roots []string) (*Ignore, error) {
	ig := &Ignore{fps: map[string]bool{}}
	for _, root := range roots {
		dir, _, err := resolveRoot(root)
		if err != nil {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, IgnoreFile))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", filepath.Join(dir, IgnoreFile), err)
		}
		sc := bufio.NewScanner(bytes.NewReader(data))
		for sc.Scan() {
			line, _, _ := strings.Cut(sc.Text(), "#")
			if fp := strings.TrimSpace(line); fp != "" {
				ig.fps[ignoreKey(dir, fp)] = true
			}
		}
	}
	return ig, nil
}

// Has reports whether the find with the line hash h in the file rel (its
// path in the scanned folder dir, with /) is accepted there. A nil Ignore
// accepts nothing.
func (ig *Ignore) Has(dir, h, rel string) bool {
	return ig != nil && ig.fps[ignoreKey(dir, rel+":"+h)]
}

// Accept adds finds (from a scan of root) to root's IgnoreFile, each with
// a comment naming its line and provider (never the key), and leaves the
// lines already there as they are.
func Accept(root string, finds []Find) error {
	path := filepath.Join(root, IgnoreFile)
	old, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("read %s: %w", path, err)
	}
	have, _ := LoadIgnore([]string{root})
	resolved, _, err := resolveRoot(root)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	b.Write(old)
	if len(old) == 0 {
		b.WriteString("# Finds of 'keyshelf scan' accepted as harmless (test fixtures, revoked keys).\n")
		b.WriteString("# One fingerprint a line: the file and a hash of the line; no key is kept here.\n")
	} else if !bytes.HasSuffix(old, []byte("\n")) {
		b.WriteByte('\n')
	}
	added := false
	for _, f := range finds {
		if k := ignoreKey(resolved, f.Fingerprint); have.fps[k] {
			continue
		} else {
			have.fps[k] = true
		}
		what := "a key shaped like " + provider.Name(f.Provider) + "'s"
		switch {
		case f.EntryID != "" && f.Provider != "":
			what = "a key of the vault (" + provider.Name(f.Provider) + ")"
		case f.EntryID != "":
			what = "a key of the vault"
		}
		rel, _, _ := strings.Cut(f.Fingerprint, ":")
		fmt.Fprintf(&b, "%s  # %s:%d, %s\n", f.Fingerprint, rel, f.Line, what)
		added = true
	}
	if !added {
		return nil
	}
	if err := store.WriteFileKeepingBackup(path, b.Bytes()); err != nil {
		var sw *store.SyncWarning
		if !errors.As(err, &sw) {
			return fmt.Errorf("write %s: %w", path, err)
		}
	}
	return nil
}
