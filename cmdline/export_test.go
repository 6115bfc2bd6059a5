package cmdline

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"keyshelf/vault"
	"keyshelf/vault/dotenv"
)

func TestExportEnv(t *testing.T) {
	f := runFixture(t)
	out := f.mustOK(f.with("", "export"))
	vars, warns, err := dotenv.Parse([]byte(out))
	if err != nil || len(warns) > 0 {
		t.Fatalf("the export is no .env file: %v %v", err, warns)
	}
	got := map[string]string{}
	for _, v := range vars {
		got[v.Name] = v.Value
	}
	if len(got) != 3 || got["OPENAI_API_KEY"] != oaiKey || got["ANTHROPIC_API_KEY"] != anthKey || got["GITHUB_TOKEN"] != ghKey {
		t.Errorf("exported %d variables, not the three keys under their variables", len(got))
	}
	if out := f.mustOK(f.with("", "export", "--only", "GitHub")); out != "GITHUB_TOKEN="+ghKey+"\n" {
		t.Error("--only GitHub exported something else")
	}
	code, _, errs := f.with("", "export", "--format", "fish")
	f.mustFail(2, code, errs, `unknown format "fish" (env, sh, powershell, cmd or backup)`)
	code, _, errs = f.with("", "export", "--out", f.vault)
	f.mustFail(2, code, errs, "--out is the vault itself")
}

// TestExportShEvaluated evaluates `export --format sh` in a real sh, as
// direnv's eval "$(keyshelf export --format sh)" does.
func TestExportShEvaluated(t *testing.T) {
	f := runFixture(t)
	f.mustOK(f.with("it's $HOME `x` \"q\" \\ ünï", "add", "--provider", "custom", "--env-name", "ODD_VALUE", "Odd"))
	block := f.mustOK(f.with("", "export", "--format", "sh"))
	script := filepath.Join(f.dir, "s")
	if err := os.WriteFile(script, []byte(block+"exec awk 'BEGIN { printf \"%s|%s\", ENVIRON[\"OPENAI_API_KEY\"], ENVIRON[\"ODD_VALUE\"] }'\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("sh", script).Output()
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != oaiKey+"|it's $HOME `x` \"q\" \\ ünï" {
		t.Error("sh did not read the exported values back as they are")
	}
	// cmd cannot carry a %; the error names the variable, not the value.
	f.mustOK(f.with("secret-50%-off-0123", "add", "--provider", "custom", "--env-name", "PCT", "Percent"))
	code, _, errs := f.with("", "export", "--format", "cmd", "--only", "Percent")
	f.mustFail(1, code, errs, "PCT: the key cannot be written safely in this form: it holds a %")
	if strings.Contains(f.seen.String(), "50%-off") {
		t.Error("an error printed the key")
	}
}

func TestExportOutWarnsAndGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not on PATH")
	}
	f := runFixture(t)
	repo := filepath.Join(f.dir, "repo")
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-C", repo}, args...)...)
		cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+f.dir)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	if err := os.Mkdir(repo, 0o700); err != nil {
		t.Fatal(err)
	}
	git("init", "-q")
	if err := os.WriteFile(filepath.Join(repo, ".gitignore"), []byte(".env\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name     string
		gitAlarm bool
	}{{".env", false}, {"keys.env", true}} {
		out := filepath.Join(repo, c.name)
		code, stdout, errs := f.with("", "export", "--only", "OpenAI", "--out", out)
		if code != 0 || stdout != "" {
			t.Fatalf("exit %d, stdout %d bytes", code, len(stdout))
		}
		if !strings.Contains(errs, "holds keys in plain text (mode 0600)") {
			t.Errorf("%s: no plain-text warning: %s", c.name, errs)
		}
		if got := strings.Contains(errs, "git does not ignore it"); got != c.gitAlarm {
			t.Errorf("%s: git warning %v, want %v: %s", c.name, got, c.gitAlarm, errs)
		}
		info, err := os.Stat(out)
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v", c.name, info.Mode().Perm())
		}
		if b, _ := os.ReadFile(out); string(b) != "OPENAI_API_KEY="+oaiKey+"\n" {
			t.Errorf("%s does not hold the key", c.name)
		}
		if _, err := os.Stat(out + ".bak"); err == nil {
			t.Errorf("a backup of %s was left", c.name)
		}
	}
}

const template = "# Copy to .env\r\n" +
	"OPENAI_API_KEY=\r\n" +
	"export ANTHROPIC_API_KEY=\"\" # from console.anthropic.com\r\n" +
	"GH=keyshelf://GitHub\r\n" +
	"SECOND_OPENAI='keyshelf://OpenAI'\r\n" +
	"ESCAPED=keyshelf://Git%48ub\r\n" +
	"PORT=8080\r\n" +
	"\r\n" +
	"DATABASE_URL=   # set me\r\n"

func TestFill(t *testing.T) {
	f := runFixture(t)
	tmpl := filepath.Join(f.dir, ".env.example")
	if err := os.WriteFile(tmpl, []byte(template), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errs := f.with("", "fill", tmpl)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	want := "# Copy to .env\r\n" +
		"OPENAI_API_KEY=" + oaiKey + "\r\n" +
		"export ANTHROPIC_API_KEY=" + anthKey + " # from console.anthropic.com\r\n" +
		"GH=" + ghKey + "\r\n" +
		"SECOND_OPENAI=" + oaiKey + "\r\n" +
		"ESCAPED=" + ghKey + "\r\n" +
		"PORT=8080\r\n" +
		"\r\n" +
		"DATABASE_URL=   # set me\r\n"
	if out != want {
		t.Errorf("filled:\n%s", f.redact(out))
	}
	if !strings.Contains(errs, "left empty (no key goes in them): DATABASE_URL") {
		t.Errorf("stderr: %s", errs)
	}
	if b, _ := os.ReadFile(tmpl); string(b) != template {
		t.Error("the template was changed")
	}
	code, _, errs = f.with("", "fill", "--out", tmpl, tmpl)
	f.mustFail(2, code, errs, "--out may be neither the template nor the vault")

	dest := filepath.Join(f.dir, ".env")
	f.mustOK(f.with("", "fill", "--out", dest, tmpl))
	if b, _ := os.ReadFile(dest); string(b) != want {
		t.Error("--out holds something else")
	}

	// run --env-file puts the same in the environment, writing nothing.
	exe := child(t, "env OPENAI_API_KEY GH PORT DATABASE_URL")
	if out := f.mustOK(f.with("", "run", "--env-file", tmpl, "--", exe)); out != "OPENAI_API_KEY="+oaiKey+"\nGH="+ghKey+"\nPORT=8080\nDATABASE_URL=-\n" {
		t.Errorf("run --env-file gave:\n%s", f.redact(out))
	}

	// --redact masks the keys, not the template's settings.
	exe = child(t, "env PORT GH")
	if out := f.mustOK(f.with("", "run", "--env-file", tmpl, "--redact", "--", exe)); out != "PORT=8080\nGH="+vault.Mask(ghKey)+"\n" {
		t.Errorf("run --env-file --redact gave:\n%s", f.redact(out))
	}

	// Choices the template must make, and names it gets wrong.
	f.mustOK(f.with(workKey, "add", "--provider", "openai", "Work"))
	code, _, errs = f.with("", "fill", tmpl)
	f.mustFail(1, code, errs, "line 2: 2 keys go in OPENAI_API_KEY (OpenAI, Work); write OPENAI_API_KEY=keyshelf://KEY NAME to choose one")
	bad := filepath.Join(f.dir, "bad.example")
	os.WriteFile(bad, []byte("A=keyshelf://Nobody\n"), 0o600)
	code, _, errs = f.with("", "fill", bad)
	f.mustFail(1, code, errs, `line 1: no key named "Nobody"`)
	// A value that is a line break is a setting, kept as it is.
	os.WriteFile(bad, []byte("GITHUB_TOKEN=\"\n\"\n"), 0o600)
	if out := f.mustOK(f.with("", "fill", bad)); out != "GITHUB_TOKEN=\"\n\"\n" {
		t.Errorf("a multi-line value was changed: %q", f.redact(out))
	}
}

// redact is s with the fixtures' keys replaced, for failure messages.
func (f *fixture) redact(s string) string {
	for _, k := range []string{oaiKey, anthKey, ghKey, workKey} {
		s = strings.ReplaceAll(s, k, "<"+k[:4]+"… key>")
	}
	return s
}

// TestBackupRoundTrip writes an encrypted backup, opens it as a vault with
// its own passphrase (and not with the vault's), and imports it into a new
// vault, every field carried.
func TestBackupRoundTrip(t *testing.T) {
	f := runFixture(t)
	f.mustOK(f.with("", "set", "--key-id", "AKIAEXAMPLE0123456789", "--env-name", "GH_WORK", "--rotate-days", "30", "--used-by", "ci,laptop", "GitHub"))
	f.mustOK(f.with(ghKey+"NEW", "rotate", "GitHub"))
	bpass := filepath.Join(f.dir, "backup-pass")
	os.WriteFile(bpass, []byte("a different backup passphrase\n"), 0o600)
	backup := filepath.Join(f.dir, "keys.backup")
	code, _, errs := f.with("", "export", "--format", "backup", "--out", backup, "--backup-passphrase-file", bpass)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if info, err := os.Stat(backup); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("backup: %v %v", info, err)
	}
	code, _, errs = f.with("", "export", "--format", "backup", "--out", backup, "--backup-passphrase-file", bpass)
	f.mustFail(1, code, errs, "exists")
	code, _, errs = f.with("", "export", "--format", "backup")
	f.mustFail(2, code, errs, "needs --out FILE")

	// It opens as a vault with its own passphrase only.
	g := newFixture(t)
	g.vault, g.pfile = backup, bpass
	if out := g.mustOK(g.with("", "get", "GitHub")); out != ghKey+"NEW\n" {
		t.Error("the backup opened as a vault does not hold the rotated key")
	}
	h := newFixture(t)
	h.vault = backup
	code, _, errs = h.with("", "list")
	f.mustFail(1, code, errs, "passphrase")

	// Imported into a new vault, every field comes back.
	n := newFixture(t)
	n.mustOK(n.with("", "init"))
	code, out, errs := n.with("", "import", "--export-password-file", bpass, backup)
	if code != 0 || !strings.Contains(out, "Imported 3 keys") {
		t.Fatalf("import: exit %d %s %s", code, out, errs)
	}
	var items []map[string]any
	if err := json.Unmarshal([]byte(n.mustOK(n.with("", "list", "--json"))), &items); err != nil {
		t.Fatal(err)
	}
	var gh map[string]any
	for _, it := range items {
		if it["name"] == "GitHub" {
			gh = it
		}
	}
	if gh == nil || gh["key_id"] != "AKIAEXAMPLE0123456789" || gh["env_name"] != "GH_WORK" || gh["rotation_days"] != float64(30) || fmt.Sprint(gh["used_by"]) != "[ci laptop]" {
		t.Errorf("imported GitHub: %v", gh)
	}
	if out := n.mustOK(n.with("", "get", "GitHub")); out != ghKey+"NEW\n" {
		t.Error("the imported key is not the current one")
	}
	// Its earlier value came too.
	v, err := vault.Open(n.vault, pass, vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	e, _ := v.Find("GitHub")
	e, _ = v.Get(e.ID)
	v.Close()
	if len(e.History) != 1 || e.History[0].Secret != ghKey {
		t.Errorf("the imported key has %d earlier values", len(e.History))
	}
	// Importing it again finds every key already there.
	if out := n.mustOK(n.with("", "import", "--export-password-file", bpass, backup)); !strings.Contains(out, "Nothing to import") {
		t.Error("a second import took keys again")
	}
	code, _, errs = n.with("", "import", "--export-password-file", n.pfile, backup)
	n.mustFail(1, code, errs, "wrong passphrase")
}
