// Package syncfolder handles what file-sync services (Syncthing, Dropbox,
// OneDrive, iCloud Drive, Google Drive, Nextcloud) do to a file kept in a
// synced folder: it finds the conflict copies they leave beside it (see
// Conflicts), moves them aside once merged (see MoveAside), and watches the
// file for changes made from outside (see Watch).
//
// It reads only file names and file metadata; it never opens a vault. A
// path given to it names the real file: resolve a symbolic link first, since
// a service leaves its copies beside the file it syncs, not beside a link.
package syncfolder

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// The services whose conflict copies Conflicts recognizes, as a Conflict's
// Service names them.
const (
	// Syncthing names a copy NAME.sync-conflict-YYYYMMDD-HHMMSS-DEVICE.EXT.
	Syncthing = "Syncthing"
	// Dropbox names a copy NAME (HOST's conflicted copy YYYY-MM-DD).EXT.
	Dropbox = "Dropbox"
	// Nextcloud names a copy NAME (conflicted copy YYYY-MM-DD HHMMSS).EXT.
	Nextcloud = "Nextcloud"
	// OneDrive names a copy NAME-HOST.EXT.
	OneDrive = "OneDrive"
	// GoogleDrive names a copy NAME (N).EXT.
	GoogleDrive = "Google Drive"
)

// Conflict is one conflict copy of a file, left beside it by a sync service.
type Conflict struct {
	// Path is the copy's path: the file's folder joined with the copy's name.
	Path string
	// Service is the service whose naming the copy follows: Syncthing,
	// Dropbox, Nextcloud, OneDrive or GoogleDrive.
	Service string
}

// patterns match what a service puts between a file's NAME and its EXT.
// Dates are checked loosely: digits of the right length.
var patterns = []struct {
	service string
	re      *regexp.Regexp
}{
	{Syncthing, regexp.MustCompile(`^\.sync-conflict-[0-9]{8}-[0-9]{6}-[A-Z0-9]{7}$`)},
	{Dropbox, regexp.MustCompile(`^ \([^/]+['’]s conflicted copy [0-9]{4}-[0-9]{2}-[0-9]{2}\)( \([1-9][0-9]*\))?$`)},
	{Nextcloud, regexp.MustCompile(`^ \(conflicted copy [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{6}\)$`)},
	{OneDrive, regexp.MustCompile(`^-[A-Za-z0-9][A-Za-z0-9-]{0,62}$`)},
	{GoogleDrive, regexp.MustCompile(`^ \([1-9][0-9]{0,2}\)$`)},
}

// conflictService returns the service whose conflict copy of the file named
// base the name is, or "" when it is none: the file itself, one of our own
// companion files, or any other name.
func conflictService(base, name string) string {
	if name == base || ownFile(base, name) {
		return ""
	}
	ext := filepath.Ext(base)
	stem := strings.TrimSuffix(base, ext)
	if len(name) <= len(stem)+len(ext) || !strings.HasPrefix(name, stem) || !strings.HasSuffix(name, ext) {
		return ""
	}
	middle := name[len(stem) : len(name)-len(ext)]
	for _, p := range patterns {
		if p.re.MatchString(middle) {
			return p.service
		}
	}
	return ""
}

// ownFile reports whether name is one of the files Keyshelf itself keeps
// beside the file named base (the names package store gives them): its
// backup, its lock, the backup's temporary file, and the temporary files of
// a save.
func ownFile(base, name string) bool {
	switch name {
	case base + ".bak", base + ".lock", base + ".bak.tmp":
		return true
	}
	return strings.HasPrefix(name, "."+base+".tmp-")
}

// Conflicts lists the conflict copies of the file path found in its folder,
// sorted by Path. Only regular files count: a folder, a symbolic link or a
// device named like a copy is left out. The file itself need not exist; its
// folder must, and a folder that cannot be read is an error. iCloud Drive
// names its copies NAME 2.EXT, which Conflicts does not look for.
func Conflicts(path string) ([]Conflict, error) {
	dir, base := filepath.Dir(path), filepath.Base(path)
	entries, err := readDir(dir)
	if err != nil {
		return nil, err
	}
	var found []Conflict
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		if s := conflictService(base, e.Name()); s != "" {
			found = append(found, Conflict{Path: filepath.Join(dir, e.Name()), Service: s})
		}
	}
	sort.Slice(found, func(i, j int) bool { return found[i].Path < found[j].Path })
	return found, nil
}

// readDir lists the folder dir, with an error that names the folder once.
func readDir(dir string) ([]os.DirEntry, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("read the folder %s: %w", dir, err)
	}
	return entries, nil
}
