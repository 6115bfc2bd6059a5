//go:build windows

package store

// syncDir is a no-op on Windows, which cannot open a folder for syncing;
// NTFS journals the rename itself.
func syncDir(string) error { return nil }
