package importers

import (
	"errors"
	"strconv"

	"keyshelf/vault"
)

// ErrBackupNeedsPassphrase is Read's answer for a Keyshelf backup (see
// vault.WriteBackup): FromBackup reads it with its passphrase.
var ErrBackupNeedsPassphrase = errors.New("this Keyshelf backup opens with the passphrase it was written with")

// FromBackup reads a Keyshelf backup (or any vault file) with its
// passphrase. Every entry is a key, carried whole (Candidate.Entry); its
// errors are vault.ReadBackup's, vault.ErrWrongPassphrase among them.
func FromBackup(data []byte, passphrase string) ([]Candidate, error) {
	entries, err := vault.ReadBackup(data, passphrase)
	if err != nil {
		return nil, err
	}
	out := make([]Candidate, len(entries))
	for i := range entries {
		e := entries[i]
		out[i] = Candidate{Name: e.Name, Secret: e.Secret, Provider: e.Provider, EnvName: e.EnvName,
			Source: "entry " + strconv.Itoa(i+1), Key: true, Why: "a key of the backup",
			Notes: e.Notes, Tags: e.Tags, Created: e.Created, History: e.History, Entry: &e}
		if e.Expires != nil {
			out[i].Expires = *e.Expires
		}
	}
	return out, nil
}
