package importers

import (
	"strings"
	"testing"
)

func checkKeePassCSV(t *testing.T, cands []Candidate) {
	t.Helper()
	by := byName(cands)
	if o := by["OpenAI prod"]; o.Secret != kpOpenAI || !o.Key || o.Provider != "openai" || o.Notes != "billing account 7" || !strings.Contains(o.Source, "Work ▸ APIs") {
		t.Errorf("OpenAI prod: key %v provider %q notes %q source %q", o.Key, o.Provider, o.Notes, o.Source)
	}
	if b, ok := by["Bank"]; !ok || b.Key {
		t.Errorf("the website login: found %v, key %v", ok, b.Key)
	}
}

func TestFromKeePassCSV(t *testing.T) {
	csv := `"Group","Title","Username","Password","URL","Notes","TOTP","Icon","Last Modified","Created"
"Root/Work/APIs","OpenAI prod","","` + kpOpenAI + `","","billing account 7","","0","2026-12-02T16:33:09Z","2025-01-02T03:04:05Z"
"Root","Bank","alice","` + kpBankPass + `","https://bank.example","","","0","",""
`
	cands, err := FromKeePassCSV([]byte(csv))
	if err != nil {
		t.Fatal(err)
	}
	checkKeePassCSV(t, cands)
	for _, bad := range []string{"", "Name,Value\nA,1\n", "\"Title\",\"Password\"\n\"a,\"b\n"} {
		if _, err := FromKeePassCSV([]byte(bad)); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// TestRealKeePassXCExportCSV reads keepassxc-cli export -f csv of the
// database TestRealKeePassXCExport reads as XML.
func TestRealKeePassXCExportCSV(t *testing.T) {
	cands, err := FromKeePassCSV(realKeePassExport(t, "csv"))
	if err != nil {
		t.Fatal(err)
	}
	checkKeePassCSV(t, cands)
}

func FuzzKeePassCSV(f *testing.F) {
	f.Add([]byte("\"Group\",\"Title\",\"Username\",\"Password\"\n\"Root/A\",\"t\",\"\",\"sk-proj-FAKE0123456789abcdefghij\"\n"))
	f.Add([]byte("Title,Password\n\"unclosed,x\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cands, err := FromKeePassCSV(data)
		if err != nil {
			return
		}
		for _, c := range cands {
			if c.Secret == "" || c.Name == "" {
				t.Fatalf("a candidate without a value or a name: %+v", c.Source)
			}
		}
	})
}
