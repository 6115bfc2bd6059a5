package vault

import (
	"os"
	"path/filepath"
	"testing"
)

func TestReviewMoveTwiceFromDefault(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	def, _ := DefaultPath()
	opts, _, _ := testOptions()
	v, err := Create(def, testPass, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	mustAdd(t, v, "OpenAI", "sk-moved-value-0001")
	a := filepath.Join(home, "SyncA", "vault.keyshelf")
	m, err := v.MoveTo(a)
	t.Logf("first %+v %v", m, err)
	b := filepath.Join(home, "SyncB", "vault.keyshelf")
	m, err = v.MoveTo(b)
	t.Logf("second %+v %v", m, err)
	tgt, lerr := os.Readlink(def)
	_, serr := os.Stat(def)
	t.Logf("default link -> %q (%v), stat %v", tgt, lerr, serr)
	if serr != nil {
		t.Errorf("the default path no longer opens the vault: %v", serr)
	}
}
