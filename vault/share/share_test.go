package share

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

var fake = Share{Name: "OpenAI prod", Provider: "openai", EnvName: "OPENAI_API_KEY", Secret: "sk-proj-SHAREabcdefghijklmnT3BlbkFJqrstuvwxyz0123"}

func run(t *testing.T, stdin []byte, name string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Stdin = bytes.NewReader(stdin)
	var errb bytes.Buffer
	cmd.Stderr = &errb
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v: %s", name, strings.Join(args, " "), err, errb.String())
	}
	return out
}

func need(t *testing.T, tools ...string) {
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is not installed (scripts/install-deps.sh test installs age and openssh-client)", tool)
		}
	}
}

func TestEncodeDecode(t *testing.T) {
	plain, err := Encode(fake)
	if err != nil {
		t.Fatal(err)
	}
	want := "keyshelf-share: 1\nname: OpenAI prod\nprovider: openai\nenv_name: OPENAI_API_KEY\nkey: " + fake.Secret + "\n"
	if string(plain) != want {
		t.Errorf("plain text:\n%s", strings.ReplaceAll(string(plain), fake.Secret, "<key>"))
	}
	got, err := Decode(append([]byte("# a comment\n"), plain...))
	if err != nil || got != fake {
		t.Errorf("Decode gave %q (the key differs: %v), %v", got.Name, got.Secret != fake.Secret, err)
	}
	if _, err := Decode([]byte("keyshelf-share: 2\nname: x\nkey: y\n")); !errors.Is(err, ErrNewerVersion) {
		t.Errorf("a newer share: %v", err)
	}
	for _, bad := range []string{"", "hello\n", "keyshelf-share: 1\nname: x\n", "name: x\nkey: y\n"} {
		if _, err := Decode([]byte(bad)); !errors.Is(err, ErrNotShare) {
			t.Errorf("Decode(%q): %v", bad, err)
		}
	}
	if _, err := Encode(Share{Name: "x", Secret: "a\nb"}); err == nil || strings.Contains(err.Error(), "a\nb") {
		t.Errorf("a key with a line break: %v", err)
	}
}

// TestRealAgeWithSSHKey: a share for an ssh-keygen key is opened by the
// age tool with the private key, and by Open; Open refuses another key.
func TestRealAgeWithSSHKey(t *testing.T) {
	need(t, "age", "ssh-keygen")
	dir := t.TempDir()
	key := filepath.Join(dir, "id_ed25519")
	run(t, nil, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "teammate", "-f", key)
	other := filepath.Join(dir, "other")
	run(t, nil, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other)
	rec, err := ParseRecipient(key + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := Seal(fake, rec)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, []byte(fake.Secret)) || !bytes.HasPrefix(sealed, []byte("-----BEGIN AGE ENCRYPTED FILE-----")) {
		t.Fatal("the share is not armored age, or holds the key in clear")
	}
	if out := run(t, sealed, "age", "-d", "-i", key); !bytes.Contains(out, []byte("key: "+fake.Secret+"\n")) {
		t.Error("age -d did not give the plain-text form")
	}
	ids, err := LoadIdentities([]string{key}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := Open(sealed, ids...); err != nil || got != fake {
		t.Errorf("Open gave %q (the key differs: %v), %v", got.Name, got.Secret != fake.Secret, err)
	}
	wrong, _ := LoadIdentities([]string{other}, nil)
	if _, err := Open(sealed, wrong...); !errors.Is(err, ErrNotForYou) {
		t.Errorf("another key: %v", err)
	}
	// A key line given directly, and an RSA key.
	line, _ := os.ReadFile(key + ".pub")
	if _, err := ParseRecipient(string(line)); err != nil {
		t.Error(err)
	}
	rsa := filepath.Join(dir, "id_rsa")
	run(t, nil, "ssh-keygen", "-q", "-t", "rsa", "-b", "2048", "-N", "", "-f", rsa)
	if r, err := ParseRecipient(rsa + ".pub"); err != nil {
		t.Error(err)
	} else if s, err := Seal(fake, r); err != nil || !bytes.Contains(run(t, s, "age", "-d", "-i", rsa), []byte(fake.Secret)) {
		t.Errorf("an RSA share: %v", err)
	}
}

// TestRealAgeWithAgeKey: both ways with an age-keygen key, and a damaged
// file is said to be one.
func TestRealAgeWithAgeKey(t *testing.T) {
	need(t, "age", "age-keygen")
	dir := t.TempDir()
	idFile := filepath.Join(dir, "keys.txt")
	run(t, nil, "age-keygen", "-o", idFile)
	pub := strings.TrimSpace(string(run(t, nil, "age-keygen", "-y", idFile)))
	rec, err := ParseRecipient(pub)
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := Seal(fake, rec)
	if err != nil {
		t.Fatal(err)
	}
	if out := run(t, sealed, "age", "-d", "-i", idFile); !bytes.Contains(out, []byte("name: OpenAI prod\n")) {
		t.Error("age -d did not open it")
	}
	// Made by the age tool from the plain-text form, opened by Open.
	plain, _ := Encode(fake)
	byAge := run(t, plain, "age", "-a", "-r", pub)
	ids, err := LoadIdentities([]string{idFile}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := Open(byAge, ids...); err != nil || got != fake {
		t.Errorf("Open of age's file gave %q (the key differs: %v), %v", got.Name, got.Secret != fake.Secret, err)
	}
	damaged := bytes.Replace(sealed, []byte("A"), []byte("B"), 3)
	if _, err := Open(damaged, ids...); err == nil || errors.Is(err, ErrNotForYou) {
		t.Errorf("a damaged share: %v", err)
	}
	if _, err := Open([]byte("not age at all"), ids...); !errors.Is(err, ErrNotShare) {
		t.Errorf("not an age file: %v", err)
	}
}

func TestPassphraseShare(t *testing.T) {
	rec, err := PassphraseRecipient("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := Seal(fake, rec)
	if err != nil {
		t.Fatal(err)
	}
	if !ForPassphrase(sealed) {
		t.Fatal("not recognised as a passphrase share")
	}
	id, _ := PassphraseIdentity("wrong")
	if _, err := Open(sealed, id); !errors.Is(err, ErrWrongPassphrase) {
		t.Errorf("a wrong passphrase: %v", err)
	}
	id, _ = PassphraseIdentity("correct horse battery staple")
	if got, err := Open(sealed, id); err != nil || got != fake {
		t.Errorf("Open gave %q (the key differs: %v), %v", got.Name, got.Secret != fake.Secret, err)
	}
}

func TestParseRecipientRefuses(t *testing.T) {
	for _, bad := range []string{"", "bob@example.com", "ssh-dss AAAA", filepath.Join(t.TempDir(), "none.pub")} {
		if _, err := ParseRecipient(bad); err == nil {
			t.Errorf("ParseRecipient(%q) took it", bad)
		}
	}
}
