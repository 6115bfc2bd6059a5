package importers

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// bwExport follows Bitwarden's documented unencrypted JSON export: a login
// that is a website, an API-key login, custom fields, a secure note holding
// a key, and a card.
const bwExport = `{
  "encrypted": false,
  "folders": [{"id": "f1", "name": "Work"}],
  "items": [
    {"id": "i1", "organizationId": null, "folderId": "f1", "type": 1, "reprompt": 0, "name": "OpenAI prod", "notes": "billing 7",
     "favorite": false, "fields": [
       {"name": "ORG_TOKEN", "value": "Zx81kQ0pLm2Vb7Nc4Rt6Yw9abc", "type": 1, "linkedId": null},
       {"name": "region", "value": "eu", "type": 0, "linkedId": null},
       {"name": "enabled", "value": "true", "type": 2, "linkedId": null}],
     "login": {"uris": [], "username": null, "password": "` + kpOpenAI + `", "totp": null},
     "passwordHistory": [{"lastUsedDate": "2025-06-01T00:00:00.000Z", "password": "` + kpOpenAIOld + `"}],
     "revisionDate": "2025-06-01T00:00:00.000Z", "creationDate": "2025-01-02T03:04:05.000Z", "deletedDate": null},
    {"id": "i2", "folderId": null, "type": 1, "name": "Bank", "notes": null, "fields": [],
     "login": {"uris": [{"match": null, "uri": "https://bank.example"}], "username": "alice", "password": "` + kpBankPass + `", "totp": null}},
    {"id": "i3", "folderId": null, "type": 2, "name": "GitHub deploy", "notes": "CI token: ghp_FAKE0123456789abcdefghijklmnopqrstuv (rotate in May)",
     "secureNote": {"type": 0}},
    {"id": "i4", "folderId": null, "type": 3, "name": "Visa", "card": {"number": "4111111111111111"}}
  ]
}`

func TestFromBitwardenJSON(t *testing.T) {
	cands, err := FromBitwardenJSON([]byte(bwExport))
	if err != nil {
		t.Fatal(err)
	}
	by := byName(cands)
	o := by["OpenAI prod"]
	if o.Secret != kpOpenAI || !o.Key || o.Provider != "openai" || o.Notes != "billing 7" || !slices.Equal(o.Tags, []string{"Work"}) ||
		!slices.Equal(oldSecrets(o), []string{kpOpenAIOld}) || o.History[0].Until.Month() != time.June || o.Created.Year() != 2025 {
		t.Errorf("OpenAI prod: key %v provider %q notes %q tags %q history %d created %v", o.Key, o.Provider, o.Notes, o.Tags, len(o.History), o.Created)
	}
	if c := by["OpenAI prod – ORG_TOKEN"]; c.Secret != "Zx81kQ0pLm2Vb7Nc4Rt6Yw9abc" || !c.Key {
		t.Errorf("the hidden field ORG_TOKEN: key %v", c.Key)
	}
	if c, ok := by["OpenAI prod – region"]; !ok || c.Key {
		t.Errorf("the text field region: found %v, key %v", ok, c.Key)
	}
	if _, ok := by["OpenAI prod – enabled"]; ok {
		t.Error("a boolean field became a candidate")
	}
	if b, ok := by["Bank"]; !ok || b.Key {
		t.Errorf("the website login: found %v, key %v", ok, b.Key)
	}
	if g := by["GitHub deploy"]; g.Secret != "ghp_FAKE0123456789abcdefghijklmnopqrstuv" || !g.Key || g.Provider != "github" {
		t.Errorf("the key in the secure note: %q key %v provider %q", g.Source, g.Key, g.Provider)
	}
	for _, c := range cands {
		if strings.Contains(c.Secret, "4111") {
			t.Error("a card number became a candidate")
		}
	}
}

func TestFromBitwardenJSONRefusals(t *testing.T) {
	for _, bad := range []string{"", "{}", `{"encrypted": true, "items": []}`, `{"passwordProtected": true, "salt": "x", "data": "y", "items": []}`, "A=1"} {
		_, err := FromBitwardenJSON([]byte(bad))
		if err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	_, err := FromBitwardenJSON([]byte(`{"encrypted": true, "items": []}`))
	if err == nil || !strings.Contains(err.Error(), "encrypted export") {
		t.Errorf("the encrypted export: %v", err)
	}
}
