package vault

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"

	"keyshelf/vault/syncfolder"
)

// ConflictCopy is a sync service's conflict copy of the vault file (see
// package syncfolder) and what MergeConflicts made of it.
type ConflictCopy struct {
	Path    string // where it was found
	Service string // the sync service whose naming it has ("Syncthing", …)
	// Merged: it was merged into the vault; Report is what that changed.
	Merged bool
	Report MergeReport
	// MovedTo is where it went once merged; "" when it was not merged.
	MovedTo string
	// Err is why it was not merged (ErrOtherKey: it needs the passphrase
	// it was written with), or, when Merged, why it was not moved; nil
	// when both were done.
	Err error
}

// ErrAmbiguousCopy: a file named as OneDrive or Google Drive name their
// conflict copies (vault-LAPTOP.keyshelf, vault (1).keyshelf), which may
// also be a copy the user made (vault-old.keyshelf): it is merged only on
// request (MergeConflicts with ambiguous, or MergeFile).
var ErrAmbiguousCopy = errors.New("its name may be a copy you made rather than a sync service's, so it is merged only when you ask")

// ambiguous reports whether a conflict copy's name could be the user's own.
func ambiguous(service string) bool {
	return service == syncfolder.OneDrive || service == syncfolder.GoogleDrive
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

// ConflictCopies lists the conflict copies of this vault beside its file:
// files named as a sync service names its conflict copies (see package
// syncfolder) that are this vault (the same id).
func (v *Vault) ConflictCopies() ([]syncfolder.Conflict, error) {
	found, err := syncfolder.Conflicts(v.file)
	if err != nil {
		return nil, fmt.Errorf("look for conflict copies: %w", err)
	}
	id := v.ID()
	return slices.DeleteFunc(found, func(c syncfolder.Conflict) bool {
		info, err := Peek(c.Path)
		return err != nil || info.ID != id
	}), nil
}

// MergeConflicts finds the conflict copies that sync services left beside
// the vault file, merges each into the vault (MergeFile) and moves it into
// the folder dir. Copies that are not vault files, or are another vault
// (another id), are not this vault's and are left alone and not listed.
// passphrase is tried on copies that this copy's keys do not open; pass ""
// when none is known, and the copies that need one come back with Err
// ErrOtherKey. Copies whose name may be the user's own (OneDrive's,
// Google Drive's) are merged only with ambiguous set (an explicit request);
// otherwise they come back with Err ErrAmbiguousCopy. The error is for the
// search itself (the folder cannot be read) or a vault that cannot be
// changed.
func (v *Vault) MergeConflicts(dir, passphrase string, ambiguousToo bool) ([]ConflictCopy, error) {
	if err := v.ReadOnlyReason(); err != nil {
		return nil, err
	}
	found, err := v.ConflictCopies()
	if err != nil {
		return nil, err
	}
	var out []ConflictCopy
	for _, c := range found {
		cc := ConflictCopy{Path: c.Path, Service: c.Service}
		if ambiguous(c.Service) && !ambiguousToo {
			cc.Err = ErrAmbiguousCopy
			out = append(out, cc)
			continue
		}
		cc.Report, cc.Err = v.MergeFile(c.Path, passphrase)
		if cc.Err == nil {
			cc.Merged = true
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
