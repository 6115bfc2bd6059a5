package importers

import (
	"archive/zip"
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"
)

// opExportData follows 1Password's documented 1PUX layout (export.data):
// an API Credential with its expiry and history, a login with a concealed
// custom field, and an archived item.
const opExportData = `{"accounts": [{"attrs": {"accountName": "Me", "name": "Me"},
 "vaults": [{"attrs": {"uuid": "v1", "name": "Private", "type": "P"}, "items": [
  {"uuid": "a1", "favIndex": 0, "createdAt": 1735787045, "updatedAt": 1735787045, "state": "active", "categoryUuid": "112",
   "details": {"loginFields": [], "notesPlain": "prod key", "sections": [{"title": "", "name": "", "fields": [
     {"title": "username", "id": "username", "value": {"string": "svc-account"}},
     {"title": "credential", "id": "credential", "value": {"concealed": "` + kpOpenAI + `"}},
     {"title": "type", "id": "type", "value": {"menu": "bearer"}},
     {"title": "expires", "id": "expires", "value": {"date": 1804118400}}]}],
    "passwordHistory": [{"value": "` + kpOpenAIOld + `", "time": 1700000000}]},
   "overview": {"title": "OpenAI prod", "tags": ["ai"], "url": ""}},
  {"uuid": "a2", "createdAt": 1735787045, "state": "active", "categoryUuid": "001",
   "details": {"loginFields": [{"value": "alice", "designation": "username", "name": "username"},
     {"value": "` + kpBankPass + `", "designation": "password", "name": "password"}],
    "sections": [{"fields": [{"title": "recovery token", "id": "x1", "value": {"concealed": "Zx81kQ0pLm2Vb7Nc4Rt6Yw9abc"}}]}]},
   "overview": {"title": "Bank", "url": "https://bank.example"}},
  {"uuid": "a3", "createdAt": 1735787045, "state": "archived", "categoryUuid": "112",
   "details": {"sections": [{"fields": [{"title": "credential", "id": "credential", "value": {"concealed": "sk-proj-FAKEarchivedarchivedarchivedarchived0123456789"}}]}]},
   "overview": {"title": "Old key"}}
 ]}]}]}`

func onePUX(t *testing.T, exportData string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for name, body := range map[string]string{"export.attributes": `{"version":3,"description":"1Password Unencrypted Export"}`, "export.data": exportData} {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestFrom1PUX(t *testing.T) {
	cands, err := From1PUX(onePUX(t, opExportData))
	if err != nil {
		t.Fatal(err)
	}
	by := byName(cands)
	o := by["OpenAI prod"]
	if o.Secret != kpOpenAI || !o.Key || o.Provider != "openai" || o.Notes != "prod key" || !slices.Equal(o.Tags, []string{"ai", "Private"}) {
		t.Errorf("the API credential: key %v provider %q notes %q tags %q", o.Key, o.Provider, o.Notes, o.Tags)
	}
	if !o.Expires.Equal(time.Unix(1804118400, 0).UTC()) || !slices.Equal(oldSecrets(o), []string{kpOpenAIOld}) || !o.History[0].Until.Equal(time.Unix(1700000000, 0)) || o.Created.Year() != 2025 {
		t.Errorf("the API credential: expires %v, %d history values, created %v", o.Expires, len(o.History), o.Created)
	}
	if _, ok := by["OpenAI prod – username"]; ok {
		t.Error("the API credential's user name became a candidate")
	}
	if b, ok := by["Bank"]; !ok || b.Key {
		t.Errorf("the website login: found %v, key %v", ok, b.Key)
	}
	if r := by["Bank – recovery token"]; r.Secret != "Zx81kQ0pLm2Vb7Nc4Rt6Yw9abc" || !r.Key {
		t.Errorf("the concealed token field: key %v", r.Key)
	}
	if _, ok := by["Old key"]; ok {
		t.Error("an archived item was offered")
	}
}

func TestFrom1PUXRefusals(t *testing.T) {
	for name, data := range map[string][]byte{
		"not a zip": []byte("A=1"),
		"no export.data": func() []byte {
			b := onePUX(t, "{}")
			return bytes.Replace(b, []byte("export.data"), []byte("export.dat_"), -1)
		}(),
		"not JSON inside": onePUX(t, "not json "+kpOpenAI),
	} {
		_, err := From1PUX(data)
		if err == nil {
			t.Errorf("%s: accepted", name)
		} else if strings.Contains(err.Error(), "FAKE") {
			t.Errorf("%s: the error quotes the file: %v", name, err)
		}
	}
}
