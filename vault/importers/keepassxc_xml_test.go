package importers

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

const (
	kpOpenAI    = "sk-proj-FAKEabcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ"
	kpOpenAIOld = "sk-proj-FAKEolderolderolderolderolder0123456789ABCDEFGH"
	kpToken     = "Zx81kQ0pLm2Vb7Nc4Rt6Yw9abc"
	kpBankPass  = "Hunter2Hunter2Hunter2xx"
)

// kpSource is a KeePass XML file with a key in each place the importer
// reads, and a website login beside them.
const kpSource = `<?xml version="1.0" encoding="utf-8" standalone="yes"?>
<KeePassFile>
<Meta><Generator>keyshelf test</Generator><DatabaseName>test</DatabaseName><RecycleBinUUID>AAAAAAAAAAAAAAAAAAAAAQ==</RecycleBinUUID></Meta>
<Root><Group><UUID>AAAAAAAAAAAAAAAAAAAAAA==</UUID><Name>Root</Name>
 <Group><UUID>AAAAAAAAAAAAAAAAAAAAAg==</UUID><Name>Work</Name>
  <Group><UUID>AAAAAAAAAAAAAAAAAAAAAw==</UUID><Name>APIs</Name>
   <Entry><UUID>AAAAAAAAAAAAAAAAAAAAEA==</UUID><Tags>ai;prod</Tags>
    <Times><CreationTime>2025-01-02T03:04:05Z</CreationTime><LastModificationTime>2025-06-01T00:00:00Z</LastModificationTime><ExpiryTime>2027-03-01T00:00:00Z</ExpiryTime><Expires>True</Expires></Times>
    <String><Key>Title</Key><Value>OpenAI prod</Value></String>
    <String><Key>UserName</Key><Value></Value></String>
    <String><Key>Password</Key><Value ProtectInMemory="True">` + kpOpenAI + `</Value></String>
    <String><Key>URL</Key><Value></Value></String>
    <String><Key>Notes</Key><Value>billing account 7</Value></String>
    <History><Entry><UUID>AAAAAAAAAAAAAAAAAAAAEA==</UUID>
     <Times><CreationTime>2025-01-02T03:04:05Z</CreationTime><Expires>False</Expires></Times>
     <String><Key>Title</Key><Value>OpenAI prod</Value></String>
     <String><Key>Password</Key><Value ProtectInMemory="True">` + kpOpenAIOld + `</Value></String>
    </Entry></History>
   </Entry>
   <Entry><UUID>AAAAAAAAAAAAAAAAAAAAEQ==</UUID>
    <String><Key>Title</Key><Value>Deploy service</Value></String>
    <String><Key>Password</Key><Value ProtectInMemory="True"></Value></String>
    <String><Key>API_TOKEN</Key><Value ProtectInMemory="True">` + kpToken + `</Value></String>
    <String><Key>Region</Key><Value>eu-west-1</Value></String>
   </Entry>
  </Group>
 </Group>
 <Entry><UUID>AAAAAAAAAAAAAAAAAAAAEg==</UUID>
  <String><Key>Title</Key><Value>Bank</Value></String>
  <String><Key>UserName</Key><Value>alice</Value></String>
  <String><Key>Password</Key><Value ProtectInMemory="True">` + kpBankPass + `</Value></String>
  <String><Key>URL</Key><Value>https://bank.example</Value></String>
 </Entry>
</Group></Root></KeePassFile>
`

func checkKeePass(t *testing.T, cands []Candidate) {
	t.Helper()
	by := byName(cands)
	o, ok := by["OpenAI prod"]
	if !ok || o.Secret != kpOpenAI || !o.Key || o.Provider != "openai" {
		t.Fatalf("OpenAI prod: %+v", o.Name)
	}
	if o.Notes != "billing account 7" || !slices.Equal(o.Tags, []string{"ai", "prod", "Work", "APIs"}) {
		t.Errorf("OpenAI prod: notes %q, tags %q", o.Notes, o.Tags)
	}
	if !o.Created.Equal(time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)) || !o.Expires.Equal(time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("OpenAI prod: created %v, expires %v", o.Created, o.Expires)
	}
	if !slices.Equal(oldSecrets(o), []string{kpOpenAIOld}) || !o.History[0].Until.Equal(time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("OpenAI prod: %d history values, want the older key replaced on 2025-06-01", len(o.History))
	}
	if !strings.Contains(o.Source, "Work ▸ APIs ▸ OpenAI prod") {
		t.Errorf("OpenAI prod: source %q", o.Source)
	}
	d, ok := by["Deploy service – API_TOKEN"]
	if !ok || d.Secret != kpToken || !d.Key {
		t.Errorf("the custom attribute API_TOKEN: found %v, key %v", ok, d.Key)
	}
	if r, ok := by["Deploy service – Region"]; !ok || r.Key {
		t.Errorf("the custom attribute Region: found %v, key %v (a setting)", ok, r.Key)
	}
	if _, ok := by["Deploy service"]; ok {
		t.Error("an empty password became a candidate")
	}
	b, ok := by["Bank"]
	if !ok || b.Key || !strings.Contains(b.Why, "website login") {
		t.Errorf("the website login: found %v, key %v (%s)", ok, b.Key, b.Why)
	}
	for _, c := range cands {
		if strings.Contains(c.Why, "FAKE") || strings.Contains(c.Why, "Hunter2") {
			t.Errorf("%s: the reason quotes a value", c.Name)
		}
	}
}

func TestFromKeePassXML(t *testing.T) {
	cands, err := FromKeePassXML([]byte(kpSource))
	if err != nil {
		t.Fatal(err)
	}
	checkKeePass(t, cands)
}

func TestFromKeePassXMLLeavesOutTheRecycleBin(t *testing.T) {
	src := strings.Replace(kpSource, "<UUID>AAAAAAAAAAAAAAAAAAAAAg==</UUID><Name>Work</Name>", "<UUID>AAAAAAAAAAAAAAAAAAAAAQ==</UUID><Name>Recycle Bin</Name>", 1)
	cands, err := FromKeePassXML([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cands {
		if c.Name == "OpenAI prod" {
			t.Fatal("an entry in the recycle bin was offered")
		}
	}
}

func TestFromKeePassXMLRefusals(t *testing.T) {
	for _, bad := range []string{"", "A=1\n", "<KeePassFile><Root><Group>" + kpOpenAI, "<other/>"} {
		_, err := FromKeePassXML([]byte(bad))
		if err == nil {
			t.Errorf("%q accepted", bad)
			continue
		}
		if strings.Contains(err.Error(), "FAKE") {
			t.Errorf("the error quotes the file: %v", err)
		}
	}
}

// TestRealKeePassXCExport builds a database with keepassxc-cli import from
// kpSource, exports it with keepassxc-cli export (what a user does), and
// reads the export. make test-unit sets KEYSHELF_REAL_KEEPASSXC=1, which
// makes a missing keepassxc-cli a failure.
func TestRealKeePassXCExport(t *testing.T) {
	cands, err := FromKeePassXML(realKeePassExport(t, "xml"))
	if err != nil {
		t.Fatal(err)
	}
	checkKeePass(t, cands)
}

// realKeePassExport is keepassxc-cli export -f format of a database made
// from kpSource with keepassxc-cli import. Without keepassxc-cli it skips,
// or fails when KEYSHELF_REAL_KEEPASSXC is set (make test-unit sets it).
func realKeePassExport(t *testing.T, format string) []byte {
	t.Helper()
	cli, err := exec.LookPath("keepassxc-cli")
	if err != nil {
		if os.Getenv("KEYSHELF_REAL_KEEPASSXC") != "" {
			t.Fatal("keepassxc-cli not found (scripts/install-deps.sh test installs keepassxc)")
		}
		t.Skip("keepassxc-cli not found; make test-unit runs this with it")
	}
	dir := t.TempDir()
	db := realKeePassDB(t, cli, dir)
	exp := exec.Command(cli, "export", "-q", "-f", format, db)
	exp.Stdin = strings.NewReader(kpTestPass)
	exp.Env = kpEnv(dir)
	out, err := exp.Output()
	if err != nil {
		t.Fatalf("keepassxc-cli export -f %s: %v", format, err)
	}
	return out
}

const kpTestPass = "test fake passphrase\n"

// kpEnv keeps keepassxc-cli's settings in dir and off any display.
func kpEnv(dir string) []string {
	return append(os.Environ(), "HOME="+dir, "XDG_CONFIG_HOME="+dir, "QT_QPA_PLATFORM=offscreen")
}

// realKeePassDB makes dir/test.kdbx from kpSource with keepassxc-cli import.
func realKeePassDB(t *testing.T, cli, dir string) string {
	t.Helper()
	src, db := filepath.Join(dir, "src.xml"), filepath.Join(dir, "test.kdbx")
	if err := os.WriteFile(src, []byte(kpSource), 0o600); err != nil {
		t.Fatal(err)
	}
	imp := exec.Command(cli, "import", "-q", "-p", "-t", "100", src, db)
	imp.Stdin = strings.NewReader(kpTestPass + kpTestPass)
	imp.Env = kpEnv(dir)
	if out, err := imp.CombinedOutput(); err != nil {
		t.Fatalf("keepassxc-cli import: %v\n%s", err, out)
	}
	return db
}
