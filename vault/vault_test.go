package vault

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"keyshelf/vault/format"
	"keyshelf/vault/keychain"
)

func TestCreateOpenRoundTrip(t *testing.T) {
	v, opts, clock := newVault(t)
	e := mustAdd(t, v, "OpenAI prod", "sk-proj-abcdefghijklmnopT3BlbkFJqrstuvwxyz012345")
	if e.Provider != "openai" || e.Created != clock.Now() || e.Updated != e.Created || len(e.ID) != 32 {
		t.Fatalf("entry %+v", e)
	}
	fi, err := os.Stat(v.Path())
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("vault mode %v, %v", fi.Mode(), err)
	}
	v2 := reopen(t, v, opts)
	got, ok := v2.Find("openai PROD ")
	if !ok || got.Secret != e.Secret || !got.Created.Equal(e.Created) {
		t.Fatalf("after reopen: %+v %v", got, ok)
	}
	if _, err := Open(v2.Path(), "wrong", opts); !errors.Is(err, ErrWrongPassphrase) || !strings.Contains(err.Error(), "passphrase") {
		t.Fatalf("wrong passphrase: %v", err)
	}
}

func TestCreateRefusesExistingAndEmpty(t *testing.T) {
	v, opts, _ := newVault(t)
	v.Close()
	if _, err := Create(v.Path(), testPass, opts); !errors.Is(err, ErrExists) {
		t.Fatalf("create over a vault: %v", err)
	}
	if _, err := Create(filepath.Join(t.TempDir(), "x"), "", opts); !errors.Is(err, ErrEmptyPassphrase) {
		t.Fatalf("empty passphrase: %v", err)
	}
	if _, err := Open(filepath.Join(t.TempDir(), "missing"), testPass, opts); !errors.Is(err, ErrNoVault) {
		t.Fatalf("missing vault: %v", err)
	}
}

func TestCreateMakesPrivateFolder(t *testing.T) {
	opts, _, _ := testOptions()
	dir := filepath.Join(t.TempDir(), "Keyshelf")
	v, err := Create(filepath.Join(dir, "vault.keyshelf"), testPass, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	fi, err := os.Stat(dir)
	if err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("folder mode %v, %v", fi.Mode().Perm(), err)
	}
}

// A key with a provider's documented prefix but an unusual length is still
// that provider's, not Custom.
func TestAddNamesTheProviderOfAnUnusualKey(t *testing.T) {
	v, _, _ := newVault(t)
	for key, want := range map[string]string{
		"sk-proj-FAKEfake0123FAKEfake0123": "openai",
		"ghp_FAKEfake0123FAKEfake0123":     "github",
		"AIzaFAKEfake0123FAKEfake0123":     "gemini",
		"FAKEfake0123FAKEfake0123":         "custom",
	} {
		r, err := v.Add(Draft{Name: want + key[:4], Secret: key})
		if err != nil || r.Entry.Provider != want {
			t.Errorf("a key starting %q: provider %q (%v), want %q", key[:4], r.Entry.Provider, err, want)
		}
	}
}

func TestAddValidation(t *testing.T) {
	v, _, _ := newVault(t)
	r, err := v.Add(Draft{Name: "  GitHub CI\t", Secret: " \n\tghp_0123456789abcdefghijABCDEFGHIJ012345\r\n "})
	if err != nil {
		t.Fatal(err)
	}
	if !r.SecretTrimmed || r.Entry.Secret != "ghp_0123456789abcdefghijABCDEFGHIJ012345" || r.Entry.Name != "GitHub CI" || r.Entry.Provider != "github" {
		t.Fatalf("result %+v", r)
	}
	if r, _ := v.Add(Draft{Name: "clean", Secret: "abc"}); r.SecretTrimmed || r.Entry.Provider != "custom" {
		t.Fatalf("clean key reported trimmed or provider wrong: %+v", r)
	}
	cases := []struct {
		d    Draft
		want error
	}{
		{Draft{Name: "x", Secret: " \n\t "}, ErrEmptySecret},
		{Draft{Name: "x", Secret: ""}, ErrEmptySecret},
		{Draft{Name: "  ", Secret: "k"}, ErrEmptyName},
		{Draft{Name: "github ci", Secret: "k"}, ErrDuplicateName},
		{Draft{Name: "GITHUB CI", Secret: "k"}, ErrDuplicateName},
		{Draft{Name: "two\nlines", Secret: "k"}, ErrBadName},
	}
	for _, c := range cases {
		_, err := v.Add(c.d)
		wantErr(t, err, c.want)
		if strings.Contains(err.Error(), "ghp_") {
			t.Fatalf("error leaks a key: %v", err)
		}
	}
	if v.Len() != 2 {
		t.Fatalf("refused adds changed the vault: %d entries", v.Len())
	}
}

func TestUpdateDeleteRestore(t *testing.T) {
	v, opts, clock := newVault(t)
	a := mustAdd(t, v, "alpha", "secret-alpha-0001")
	b := mustAdd(t, v, "beta", "secret-beta-0002")

	clock.Advance(time.Hour)
	same, err := v.Update(a.ID, Draft{Name: "alpha", Provider: a.Provider, Secret: a.Secret})
	if err != nil || !same.Entry.Updated.Equal(a.Updated) {
		t.Fatalf("no-op update changed Updated: %v %v", same.Entry.Updated, err)
	}
	r, err := v.Update(a.ID, Draft{Name: "Alpha 2", Provider: "openai", Secret: "new-secret-0003\n", Notes: "n", Tags: []string{"prod", " PROD", "", "ai"}})
	if err != nil {
		t.Fatal(err)
	}
	if !r.SecretTrimmed || r.Entry.Name != "Alpha 2" || !r.Entry.Updated.Equal(clock.Now()) || !r.Entry.Created.Equal(a.Created) ||
		strings.Join(r.Entry.Tags, ",") != "prod,ai" {
		t.Fatalf("update result %+v", r)
	}
	if _, err := v.Update(a.ID, Draft{Name: "BETA", Secret: "x"}); !errors.Is(err, ErrDuplicateName) {
		t.Fatalf("rename onto another name: %v", err)
	}
	if _, err := v.Update(a.ID, Draft{Name: "alpha 2", Secret: "x"}); err != nil {
		t.Fatalf("changing the case of its own name: %v", err)
	}
	if _, err := v.Update("nope", Draft{Name: "x", Secret: "x"}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("update missing: %v", err)
	}

	removed, err := v.Delete(b.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := v.Find("beta"); ok {
		t.Fatal("deleted entry still found")
	}
	v = reopen(t, v, opts)
	if _, ok := v.Find("beta"); ok {
		t.Fatal("deleted entry back after reopen")
	}
	if err := v.Restore(removed); err != nil {
		t.Fatal(err)
	}
	got, ok := v.Find("beta")
	if !ok || got.ID != b.ID || !got.Created.Equal(b.Created) || got.Secret != b.Secret {
		t.Fatalf("restored %+v", got)
	}
	if err := v.Restore(removed); err == nil {
		t.Fatal("restored twice")
	}
	if _, err := v.Delete("nope"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("delete missing: %v", err)
	}
}

func TestUnknownFieldsSurviveUpdate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v.keyshelf")
	copyFile(t, "testdata/unicode-nfc.keyshelf", path)
	opts, _, _ := testOptions()
	v, err := Open(path, "Pässwört ñ", opts)
	if err != nil {
		t.Fatal(err)
	}
	e, ok := v.Find("clé de prod ünïcødé")
	if !ok {
		t.Fatal("entry not found by case-insensitive name")
	}
	if _, err := v.Update(e.ID, Draft{Name: e.Name, Provider: e.Provider, Secret: "sk-ant-api03-changed", Notes: e.Notes, Tags: e.Tags}); err != nil {
		t.Fatal(err)
	}
	v.Close()
	v, err = Open(path, "Pässwört ñ", opts)
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	v.mu.Lock()
	doc := string(v.doc.encode())
	v.mu.Unlock()
	for _, want := range []string{`"future_field":"keep me"`, `"future_top":{"kept":true}`, `sk-ant-api03-changed`} {
		if !strings.Contains(doc, want) {
			t.Fatalf("%s missing from %s", want, doc)
		}
	}
}

func TestFailedSaveKeepsFileAndMemory(t *testing.T) {
	opts, _, _ := testOptions()
	dir := filepath.Join(t.TempDir(), "d")
	v, err := Create(filepath.Join(dir, "v.keyshelf"), testPass, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	mustAdd(t, v, "kept", "secret-kept-0001")
	before, _ := os.ReadFile(v.Path())
	restore := breakFolder(t, dir)
	_, err = v.Add(Draft{Name: "lost", Secret: "secret-lost-0002"})
	var se *SaveError
	if !errors.As(err, &se) || !errors.Is(err, ErrSave) || !strings.Contains(err.Error(), "intact") {
		t.Fatalf("error %v", err)
	}
	if strings.Contains(err.Error(), "secret-lost") {
		t.Fatal("error leaks the key")
	}
	if _, ok := v.Find("lost"); ok || v.Len() != 1 {
		t.Fatal("memory holds a change that was not saved")
	}
	restore()
	after, _ := os.ReadFile(v.Path())
	if !bytes.Equal(before, after) {
		t.Fatal("vault file changed by a failed save")
	}
	// Retrying now works.
	if _, err := v.Add(Draft{Name: "lost", Secret: "secret-lost-0002"}); err != nil {
		t.Fatal(err)
	}
}

func TestChangePassphrase(t *testing.T) {
	v, opts, _ := newVault(t)
	mustAdd(t, v, "a", "secret-a-000001")
	if err := v.Remember("laptop"); err != nil {
		t.Fatal(err)
	}
	if _, err := v.ChangePassphrase(""); !errors.Is(err, ErrEmptyPassphrase) {
		t.Fatal(err)
	}
	if _, err := v.ChangePassphrase("new pass"); err != nil {
		t.Fatal(err)
	}
	v.Close()
	if _, err := Open(v.Path(), testPass, opts); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("old passphrase: %v", err)
	}
	v2, err := Open(v.Path(), "new pass", opts)
	if err != nil {
		t.Fatal(err)
	}
	v2.Close()
	v3, err := OpenWithDevice(v.Path(), opts)
	if err != nil {
		t.Fatalf("device key after passphrase change: %v", err)
	}
	v3.Close()
}

func TestRememberForget(t *testing.T) {
	v, opts, _ := newVault(t)
	kc := opts.Keychain.(*keychain.Memory)
	mustAdd(t, v, "a", "secret-a-000001")
	if _, err := OpenWithDevice(v.Path(), opts); !errors.Is(err, ErrNoDeviceKey) {
		t.Fatalf("device open before remember: %v", err)
	}
	if err := v.Remember(""); err != nil {
		t.Fatal(err)
	}
	if err := v.Remember("other-box"); err != nil {
		t.Fatal(err)
	}
	if kc.Len() != 2 || len(v.DeviceLabels()) != 2 {
		t.Fatalf("keychain holds %d items, vault %v", kc.Len(), v.DeviceLabels())
	}
	// The keychain holds a 32-byte key, never the passphrase.
	item, _ := kc.Get(v.ID() + "/other-box")
	if strings.Contains(item, testPass) || len(item) != 44 {
		t.Fatalf("keychain item %d chars", len(item))
	}
	v.Close()
	v2, err := OpenWithDevice(v.Path(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if e, ok := v2.Find("a"); !ok || e.Secret != "secret-a-000001" {
		t.Fatal("device-opened vault lacks its entry")
	}
	// Opened with a device key, the vault needs the passphrase to renew
	// its data key.
	if _, err := v2.Forget(""); !errors.Is(err, ErrPassphraseNeeded) {
		t.Fatalf("forget without the passphrase: %v", err)
	}
	if err := v2.ConfirmPassphrase("wrong"); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("confirm a wrong passphrase: %v", err)
	}
	if err := v2.ConfirmPassphrase(testPass); err != nil {
		t.Fatal(err)
	}
	r, err := v2.Forget("")
	if err != nil || len(r.Forgotten) != 2 || kc.Len() != 0 || len(v2.DeviceLabels()) != 0 {
		t.Fatalf("forget: %+v %v, keychain %d", r, err, kc.Len())
	}
	if _, err := v2.Forget(""); !errors.Is(err, ErrNoDeviceKey) {
		t.Fatalf("second forget: %v", err)
	}
	v2.Close()
	if _, err := OpenWithDevice(v.Path(), opts); !errors.Is(err, ErrNoDeviceKey) {
		t.Fatalf("device open after forget: %v", err)
	}
}

func TestRememberWithoutKeychain(t *testing.T) {
	opts, _, _ := testOptions()
	broken := &keychain.Memory{Fail: keychain.ErrUnavailable}
	opts.Keychain = broken
	v, err := Create(filepath.Join(t.TempDir(), "v.keyshelf"), testPass, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	if err := v.Remember("x"); !errors.Is(err, keychain.ErrUnavailable) {
		t.Fatalf("remember without keychain: %v", err)
	}
	if len(v.DeviceLabels()) != 0 {
		t.Fatal("a slot was added although the keychain failed")
	}
	v.Close()
	if _, err := OpenWithDevice(v.Path(), opts); !errors.Is(err, ErrNoDeviceKey) {
		t.Fatalf("device open without keychain: %v", err)
	}
}

func TestDeviceLabel(t *testing.T) {
	for in, want := range map[string]string{
		"Jane's MacBook Pro.local": "jane-s-macbook-pro",
		"":                         "device",
		"___":                      "device",
		"DESKTOP-7Q2ABC":           "desktop-7q2abc",
		strings.Repeat("a", 40):    strings.Repeat("a", 32),
		"büro-pc":                  "b-ro-pc",
	} {
		got := DeviceLabel(in)
		if got != want || !format.ValidLabel(got) {
			t.Errorf("DeviceLabel(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSearch(t *testing.T) {
	v, _, _ := newVault(t)
	for _, n := range []string{"Stripe live", "OpenAI prod", "My openai test", "Production DB", "popenair"} {
		mustAdd(t, v, n, "sk-proj-"+strings.Repeat("x", 20)+"T3BlbkFJ")
	}
	_, err := v.Add(Draft{Name: "Deploy", Secret: "ghp_0123456789abcdefghijABCDEFGHIJ012345", Tags: []string{"ci"}, Notes: "used by the release job"})
	if err != nil {
		t.Fatal(err)
	}
	names := func(es []Entry) string {
		var s []string
		for _, e := range es {
			s = append(s, e.Name)
		}
		return strings.Join(s, "|")
	}
	for q, want := range map[string]string{
		"":          "Deploy|My openai test|OpenAI prod|popenair|Production DB|Stripe live",
		"ope":       "OpenAI prod|My openai test|popenair|Production DB|Stripe live",
		"OPENAI":    "OpenAI prod|My openai test|popenair|Production DB|Stripe live",
		"prod":      "Production DB|OpenAI prod",
		"github":    "Deploy",
		"ci":        "Deploy",
		"release":   "Deploy",
		"open prod": "OpenAI prod|Production DB",
		"zzz":       "",
	} {
		if got := names(v.Search(q)); got != want {
			t.Errorf("Search(%q) = %s\nwant %s", q, got, want)
		}
	}
}

// AppendSearch reuses the slice it is given, returns what Search returns, and
// leaves nothing of the earlier result past its end.
func TestAppendSearchReuses(t *testing.T) {
	v, _, _ := newVault(t)
	for _, n := range []string{"alpha one", "alpha two", "beta"} {
		mustAdd(t, v, n, "sk-proj-"+strings.Repeat("y", 20)+"T3BlbkFJ")
	}
	all := v.AppendSearch(nil, "")
	if len(all) != 3 {
		t.Fatalf("%d entries for the empty search, want 3", len(all))
	}
	buf := all[:cap(all)]
	got := v.AppendSearch(all[:0], "alpha")
	if len(got) != 2 || &got[0] != &buf[0] {
		t.Fatalf("AppendSearch(all[:0]) gave %d entries in a new array; want 2 in the old one", len(got))
	}
	if got[0].Name != "alpha one" || got[1].Name != "alpha two" {
		t.Fatalf("got %q, %q", got[0].Name, got[1].Name)
	}
	for i := len(got); i < len(buf); i++ {
		if buf[i].Name != "" || buf[i].Secret != "" {
			t.Fatalf("entry %d of the reused array still holds %q", i, buf[i].Name)
		}
	}
	if want := v.Search("alpha"); len(want) != len(got) || want[0].ID != got[0].ID || want[1].ID != got[1].ID {
		t.Fatal("AppendSearch and Search disagree")
	}
}

func TestClosedVault(t *testing.T) {
	v, _, _ := newVault(t)
	mustAdd(t, v, "a", "secret-a-000001")
	v.Close()
	if _, err := v.Add(Draft{Name: "b", Secret: "x"}); !errors.Is(err, ErrClosed) {
		t.Fatalf("add after close: %v", err)
	}
	if v.Len() != 0 || len(v.List()) != 0 {
		t.Fatal("entries still in memory after close")
	}
}

func TestErrorsNeverHoldSecrets(t *testing.T) {
	// Contents that are not valid JSON and hold a key: the error must not
	// quote them.
	h, dek, err := format.NewHeader(testPass, testParams, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, pt := range []string{
		`{"version":1,"entries":[{"secret":"sk-LEAKME-0123456789",}]}`,
		`{"version":1,"entries":[{"secret":"sk-LEAKME-0123456789","created":"sk-LEAKME-0123456789"}]}`,
		`{"version":1,"entries":[{"name":"sk-LEAKME-0123456789","tags":"sk-LEAKME-0123456789"}]}`,
	} {
		data, err := format.Seal(h, dek, []byte(pt), nil)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), "v.keyshelf")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		_, err = Open(path, testPass, Options{KDF: testParams})
		if err == nil || strings.Contains(err.Error(), "LEAKME") {
			t.Fatalf("error %v", err)
		}
	}
}

func TestNewerContentsVersion(t *testing.T) {
	h, dek, _ := format.NewHeader(testPass, testParams, nil)
	data, _ := format.Seal(h, dek, []byte(`{"version":2,"entries":[]}`), nil)
	path := filepath.Join(t.TempDir(), "v.keyshelf")
	os.WriteFile(path, data, 0o600)
	_, err := Open(path, testPass, Options{KDF: testParams})
	wantErr(t, err, ErrNewerVersion)
}
