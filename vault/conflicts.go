package vault

import (
	"errors"
	"fmt"
	"path/filepath"

	"keyshelf/vault/syncfolder"
)

// ConflictCopy is a sync service's conflict copy of the vault file (see
// package syncfolder) and what MergeConflicts made of it.
type ConflictCopy struct {
	Path    string // where it was found
	Service string // the sync service whose naming it has ("Syncthing", …)
	// Report is what merging it changed here.
	Report MergeReport
	// MovedTo is where it went once merged; "" when it was not merged.
	MovedTo string
	// Err is why it was not merged (ErrOtherKey: it needs the passphrase
	// it was written with); nil when it was. It may also be set, with
	// MovedTo empty, when the merge succeeded but the move did not.
	Err error
}

// MergedFolder is where merged conflict copies go: beside the default vault
// location, in the user config folder (not the synced folder, so that each
// computer keeps its own and none syncs back).
func MergedFolder() (string, error) {
	p, err := DefaultPath()
	if err != nil {
		return "", err
	}
	return filepath.Join(filepath.Dir(p), "merged"), nil
}

// MergeConflicts finds the conflict copies that sync services left beside
// the vault file, merges each into the vault (MergeFile) and moves it into
// the folder dir. Copies that are not vault files, or are another vault
// (another id), are not this vault's and are left alone and not listed.
// passphrase is tried on copies that this copy's keys do not open; pass ""
// when none is known, and the copies that need one come back with Err
// ErrOtherKey. The error is for the search itself (the folder cannot be
// read) or a vault that cannot be changed.
func (v *Vault) MergeConflicts(dir, passphrase string) ([]ConflictCopy, error) {
	if err := v.ReadOnlyReason(); err != nil {
		return nil, err
	}
	found, err := syncfolder.Conflicts(v.file)
	if err != nil {
		return nil, fmt.Errorf("look for conflict copies: %w", err)
	}
	id := v.ID()
	var out []ConflictCopy
	for _, c := range found {
		if info, err := Peek(c.Path); err != nil || info.ID != id {
			continue
		}
		cc := ConflictCopy{Path: c.Path, Service: c.Service}
		cc.Report, cc.Err = v.MergeFile(c.Path, passphrase)
		if cc.Err == nil {
			cc.MovedTo, cc.Err = syncfolder.MoveAside(c.Path, dir, v.opts.Now())
			if cc.Err != nil {
				cc.Err = fmt.Errorf("merged, but not moved aside: %w", cc.Err)
			}
		} else if errors.Is(cc.Err, ErrSave) || errors.Is(cc.Err, ErrReadOnly) {
			return append(out, cc), cc.Err
		}
		out = append(out, cc)
	}
	return out, nil
}
