package cmdline

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func sshKey(t *testing.T, path string) {
	t.Helper()
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", path).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v %s", err, out)
	}
}

func TestShareAndReceive(t *testing.T) {
	for _, tool := range []string{"ssh-keygen", "age"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is not installed (scripts/install-deps.sh test)", tool)
		}
	}
	f := runFixture(t)
	f.mustOK(f.with("", "set", "--env-name", "GH_DEPLOY", "GitHub"))
	key := filepath.Join(f.dir, "id_ed25519")
	sshKey(t, key)
	other := filepath.Join(f.dir, "other")
	sshKey(t, other)
	file := filepath.Join(f.dir, "github.age")
	code, out, errs := f.with("", "share", "--to", key+".pub", "--out", file, "GitHub")
	if code != 0 || out != "" || !strings.Contains(errs, "keyshelf receive github.age") {
		t.Fatalf("share: exit %d %q %s", code, out, errs)
	}
	data, _ := os.ReadFile(file)
	if strings.Contains(string(data), ghKey) || !strings.HasPrefix(string(data), "-----BEGIN AGE ENCRYPTED FILE-----") {
		t.Fatal("the share is not armored age, or holds the key in clear")
	}
	// The teammate without Keyshelf: the age tool.
	plain, err := exec.Command("age", "-d", "-i", key, file).Output()
	if err != nil || !strings.Contains(string(plain), "key: "+ghKey+"\n") || !strings.Contains(string(plain), "env_name: GH_DEPLOY\n") {
		t.Fatalf("age -d: %v", err)
	}

	// The teammate with Keyshelf: receive into their own vault.
	g := newFixture(t)
	g.mustOK(g.with("", "init"))
	code, _, errs = g.with("", "receive", "--identity", other, file)
	g.mustFail(1, code, errs, "this share is for someone else")
	out = g.mustOK(g.with("", "receive", "--identity", key, file))
	if !strings.Contains(out, `Added "GitHub" (GitHub) ghp_`) {
		t.Errorf("receive said %q", out)
	}
	if got := g.mustOK(g.with("", "get", "GitHub")); got != ghKey+"\n" {
		t.Error("the received key differs")
	}
	if js := g.mustOK(g.with("", "list", "--json")); !strings.Contains(js, `"env_name": "GH_DEPLOY"`) {
		t.Errorf("the variable did not come: %s", js)
	}
	if out := g.mustOK(g.with("", "receive", "--identity", key, file)); !strings.Contains(out, "already has this key") {
		t.Errorf("a second receive: %q", out)
	}
	broken := filepath.Join(f.dir, "broken.age")
	os.WriteFile(broken, []byte(strings.Replace(string(data), "A", "B", 5)), 0o600)
	code, _, errs = g.with("", "receive", "--identity", key, broken)
	if code != 1 || strings.Contains(errs, ghKey) {
		t.Errorf("a damaged share: exit %d %s", code, errs)
	}

	// For a passphrase: made up, printed on stderr, read back from a file.
	code, sealed, errs := f.with("", "share", "--passphrase", "OpenAI")
	m := regexp.MustCompile(`passphrase, to give by another way than the file: (\S+)`).FindStringSubmatch(errs)
	if code != 0 || m == nil || len(m[1]) != 29 {
		t.Fatalf("share --passphrase: exit %d, stderr of %d bytes", code, len(errs))
	}
	pfile := filepath.Join(f.dir, "one-time")
	os.WriteFile(pfile, []byte(m[1]+"\n"), 0o600)
	os.WriteFile(filepath.Join(f.dir, "o.age"), []byte(sealed), 0o600)
	wrong := filepath.Join(f.dir, "wrong")
	os.WriteFile(wrong, []byte("not it\n"), 0o600)
	code, _, errs = g.with("", "receive", "--share-passphrase-file", wrong, filepath.Join(f.dir, "o.age"))
	g.mustFail(1, code, errs, "wrong passphrase for this share")
	if out := g.mustOK(g.with("", "receive", "--share-passphrase-file", pfile, filepath.Join(f.dir, "o.age"))); !strings.Contains(out, `Added "OpenAI" (OpenAI)`) {
		t.Errorf("receive of a passphrase share: %q", out)
	}

	code, _, errs = f.with("", "share", "GitHub")
	f.mustFail(2, code, errs, "give either --to RECIPIENT or --passphrase")
	code, _, errs = f.with("", "share", "--to", "bob@example.com", "GitHub")
	f.mustFail(2, code, errs, "not an age or SSH public key")
	// The sharer saw no key; the receiver only what get printed.
	if strings.Contains(f.seen.String(), ghKey) || strings.Contains(f.seen.String(), oaiKey) {
		t.Error("share printed a key")
	}
	if strings.Count(g.seen.String(), ghKey) != 1 || strings.Contains(g.seen.String(), oaiKey) {
		t.Error("receive printed a key")
	}
}
