package vault

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// Another device replaces the synced vault file by a dangling link.
func TestReviewPlantedDanglingLink(t *testing.T) {
	v, _, _ := newVault(t)
	mustAdd(t, v, "OpenAI", "sk-first-value-0001")
	elsewhere := filepath.Join(t.TempDir(), "chosen-by-attacker.desktop")
	os.Remove(v.File())
	if err := os.Symlink(elsewhere, v.File()); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Add(Draft{Name: "Stripe", Secret: "sk_test_second_0002"}); !errors.Is(err, ErrSave) || !errors.Is(err, errLinkPlanted) {
		t.Fatalf("a save through a planted link: %v", err)
	}
	if fi, err := os.Lstat(elsewhere); err == nil {
		t.Errorf("the save followed a link planted in the synced folder and wrote %s (%d bytes, %v)", elsewhere, fi.Size(), fi.Mode())
	}
}
