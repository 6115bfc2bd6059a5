package cmdline

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"keyshelf/internal/bwexport"
)

const importEnv = `PORT=8080
export OPENAI_API_KEY=sk-proj-FAKEabcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ
GITHUB_TOKEN='ghp_FAKE0123456789abcdefghijklmnopqrst'
INTERNAL_SECRET=Zx81kQ0pLm2Vb7Nc4Rt6Yw9
`

func TestImportEnv(t *testing.T) {
	f := newFixture(t)
	f.mustOK(f.with("", "init"))
	// A key already there under another name, and a name already taken.
	f.mustOK(f.with("ghp_FAKE0123456789abcdefghijklmnopqrst", "add", "Deploy key"))
	f.mustOK(f.with("sk-proj-FAKEotherkeyotherkeyotherkeyotherkey0123456789", "add", "openai_api_key"))
	file := filepath.Join(f.dir, ".env")
	if err := os.WriteFile(file, []byte(importEnv), 0o600); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(file)

	out := f.mustOK(f.with("", "import", "--dry-run", file))
	for _, want := range []string{
		"PORT", "left out: a setting, not a key",
		"GITHUB_TOKEN", "skipped: the vault has it as Deploy key",
		"import as OPENAI_API_KEY (2) (the name is taken)",
		"INTERNAL_SECRET", "line 4",
		"Dry run: 2 keys would be imported",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("dry run output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(f.seen.String(), "abcdefghijklmnopqrstuvwxyz0123") || strings.Contains(f.seen.String(), "Zx81kQ0pLm2Vb7Nc4Rt6Yw9") {
		t.Fatalf("a full key in the output:\n%s", out)
	}
	list := f.mustOK(f.with("", "list"))
	if strings.Contains(list, "INTERNAL_SECRET") {
		t.Fatal("the dry run imported")
	}

	out = f.mustOK(f.with("", "import", file))
	if !strings.Contains(out, "Imported 2 keys") {
		t.Fatalf("import said:\n%s", out)
	}
	if got := f.mustOK(f.with("", "get", "OPENAI_API_KEY (2)")); strings.TrimSpace(got) != "sk-proj-FAKEabcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ" {
		t.Fatal("the imported OpenAI key is not the file's")
	}
	if got := f.mustOK(f.with("", "get", "INTERNAL_SECRET")); strings.TrimSpace(got) != "Zx81kQ0pLm2Vb7Nc4Rt6Yw9" {
		t.Fatal("the imported secret is not the file's")
	}
	// The variable names are kept as the entries' environment names.
	if js := f.mustOK(f.with("", "list", "--json")); !strings.Contains(js, `"env_name": "INTERNAL_SECRET"`) || !strings.Contains(js, `"env_name": "OPENAI_API_KEY"`) {
		t.Errorf("list --json lacks the imported env names:\n%s", js)
	}
	// Again: nothing new.
	out = f.mustOK(f.with("", "import", file))
	if !strings.Contains(out, "Nothing to import.") {
		t.Fatalf("a second import said:\n%s", out)
	}
	// --all takes the setting too.
	out = f.mustOK(f.with("", "import", "--all", file))
	if !strings.Contains(out, "Imported 1 key ") {
		t.Fatalf("--all said:\n%s", out)
	}
	after, _ := os.ReadFile(file)
	if string(after) != string(before) {
		t.Fatal("the imported file changed")
	}
}

func TestImportRefusals(t *testing.T) {
	f := newFixture(t)
	f.mustOK(f.with("", "init"))
	if code, _, errs := f.with("", "import"); code != 2 || !strings.Contains(errs, "name the file") {
		t.Fatalf("no file: exit %d, %q", code, errs)
	}
	if code, _, errs := f.with("", "import", "--format", "csv", "x"); code != 2 || !strings.Contains(errs, "unknown format") {
		t.Fatalf("bad format: exit %d, %q", code, errs)
	}
	bad := filepath.Join(f.dir, "bad.env")
	if err := os.WriteFile(bad, []byte("A='sk-proj-FAKEunclosedvalue\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errs := f.with("", "import", bad)
	if code != 1 || !strings.Contains(errs, "never closed") || strings.Contains(errs, "FAKEunclosed") {
		t.Fatalf("unclosed quote: exit %d, %q", code, errs)
	}
}

func TestImportKeePassXML(t *testing.T) {
	f := newFixture(t)
	f.mustOK(f.with("", "init"))
	file := filepath.Join(f.dir, "export.xml")
	xml := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<KeePassFile><Meta/><Root><Group><Name>Root</Name>
<Entry><Tags>ai</Tags><Times><Expires>True</Expires><ExpiryTime>2027-03-01T00:00:00Z</ExpiryTime></Times>
<String><Key>Title</Key><Value>OpenAI prod</Value></String>
<String><Key>Password</Key><Value>sk-proj-FAKEabcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ</Value></String>
<String><Key>Notes</Key><Value>billing 7</Value></String></Entry>
<Entry><String><Key>Title</Key><Value>Bank</Value></String><String><Key>UserName</Key><Value>alice</Value></String>
<String><Key>Password</Key><Value>Hunter2Hunter2Hunter2xx</Value></String><String><Key>URL</Key><Value>https://bank.example</Value></String></Entry>
</Group></Root></KeePassFile>`
	if err := os.WriteFile(file, []byte(xml), 0o600); err != nil {
		t.Fatal(err)
	}
	out := f.mustOK(f.with("", "import", file))
	if !strings.Contains(out, "Imported 1 key ") || !strings.Contains(out, "left out: a website login") {
		t.Fatalf("import said:\n%s", out)
	}
	js := f.mustOK(f.with("", "list", "--json"))
	for _, want := range []string{`"name": "OpenAI prod"`, `"expires": "2027-03-01`, `"ai"`} {
		if !strings.Contains(js, want) {
			t.Errorf("list --json lacks %s:\n%s", want, js)
		}
	}
	if strings.Contains(f.seen.String(), "Hunter2") || strings.Contains(f.seen.String(), "abcdefghijklmnopqrstuvwxyz0123") {
		t.Fatal("a full password or key in the output")
	}
}

func TestImportProtectedBitwarden(t *testing.T) {
	f := newFixture(t)
	f.mustOK(f.with("", "init"))
	plain := `{"encrypted": false, "folders": [], "items": [{"id": "i1", "type": 1, "name": "OpenAI prod",
	  "login": {"uris": [], "username": null, "password": "sk-proj-FAKEabcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ"}}]}`
	sealed, err := bwexport.Seal(plain, "fake export password", 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(f.dir, "bitwarden_encrypted_export.json")
	pw := filepath.Join(f.dir, "export-pass")
	for p, data := range map[string]string{file: string(sealed), pw: "wrong\n"} {
		if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// No terminal and no password file: it says how to give one.
	code, _, stderr := f.with("", "import", file)
	if code == 0 || !strings.Contains(stderr, "--export-password-file") {
		t.Fatalf("without a password: exit %d, %s", code, stderr)
	}
	code, _, stderr = f.with("", "import", "--export-password-file", pw, file)
	if code == 0 || !strings.Contains(stderr, "password does not open") {
		t.Fatalf("a wrong password: exit %d, %s", code, stderr)
	}
	if err := os.WriteFile(pw, []byte("fake export password\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out := f.mustOK(f.with("", "import", "--export-password-file", pw, file))
	if !strings.Contains(out, "Imported 1 key") || strings.Contains(f.seen.String(), "abcdefghijklmnopqrstuvwxyz0123") {
		t.Fatalf("import said:\n%s", out)
	}
}
