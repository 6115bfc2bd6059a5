package vault

import (
	"bytes"
	"testing"
	"time"

	"keyshelf/vault/check"
)

// fullDocument is a document that uses every field this build knows.
func fullDocument() document {
	t0 := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	exp := t0.AddDate(1, 0, 0)
	return document{rotationDays: 60, entries: []Entry{{
		ID: "0123456789abcdef0123456789abcdef", Name: "OpenAI \"prod\"\n", Provider: "openai",
		Secret: "sk-proj-abc\u2028def", KeyID: "AKIA0000", Notes: "notes\t<&>", Tags: []string{"a", "b"},
		Created: t0, Updated: t0, Favorite: true, BaseURL: "https://gw.example/v1",
		Custom:       &check.Custom{URL: "https://x.example", Header: "X-Key", Value: "{key}", ValidStatus: 200},
		LastCheck:    &check.Result{Outcome: check.Valid, Detail: "ok", Account: "me", Scopes: "repo", Expires: exp, Credit: "$5", Checked: t0},
		RotationDays: -1, Rotated: t0, Expires: &exp, UsedBy: []string{"CI"},
		History: []OldSecret{{Secret: "old", From: t0, Until: t0}},
		Log:     []Event{{Time: t0, Action: ActionCopied, Source: SourceTray, Detail: "d"}},
	}}}
}

// FuzzDocumentRoundTrip decodes arbitrary plaintext; whatever decodes must
// encode to something that decodes to the same entries and encodes to the
// same bytes again (the encoding is a fixed point).
func FuzzDocumentRoundTrip(f *testing.F) {
	full := fullDocument()
	f.Add(full.encode())
	f.Add([]byte(`{"version":1,"entries":[]}`))
	f.Add([]byte(`{"version":1,"entries":[{"id":"x","name":"n","provider":"p","secret":"s","created":"0001-01-01T00:00:00+23:59",` +
		`"updated":"9999-12-31T23:59:59-23:59","expires":"2026-01-01T00:00:00.123Z","future":{"a":[1, 2]}}],"top":null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := decodeDocument(data)
		if err != nil {
			return
		}
		enc := doc.encode()
		doc2, err := decodeDocument(enc)
		if err != nil {
			t.Fatalf("the decoder refuses what the encoder wrote: %v", err)
		}
		if len(doc2.entries) != len(doc.entries) {
			t.Fatalf("%d entries became %d", len(doc.entries), len(doc2.entries))
		}
		for i := range doc.entries {
			a, b := &doc.entries[i], &doc2.entries[i]
			if a.ID != b.ID || a.Name != b.Name || a.Secret != b.Secret || a.Notes != b.Notes || !a.Created.Equal(b.Created) ||
				len(a.History) != len(b.History) || len(a.Log) != len(b.Log) || len(a.extra) != len(b.extra) {
				t.Fatalf("entry %d changed in a round trip", i)
			}
		}
		if enc2 := doc2.encode(); !bytes.Equal(enc, enc2) {
			t.Fatalf("encoding is not a fixed point:\n%q\n%q", enc, enc2)
		}
	})
}

// FuzzEncodeDecodes builds entries from arbitrary values, as the window,
// the command line, checks and importers may hand them in, and requires
// that the decoder reads back whatever the encoder writes.
func FuzzEncodeDecodes(f *testing.F) {
	f.Add("name", "secret", "notes", int64(0), int64(1764324000), int64(253402300799+1))
	f.Add("\xff", "sk-\x00\u2028", "", int64(-62135596800-86400), int64(-1<<62), int64(1<<62))
	f.Fuzz(func(t *testing.T, name, secret, notes string, created, expires, checked int64) {
		exp := time.Unix(expires, 0)
		doc := fullDocument()
		e := &doc.entries[0]
		e.Name, e.Secret, e.Notes = name, secret, notes
		e.Created, e.Updated, e.Expires = time.Unix(created, 0), time.Unix(checked, 0), &exp
		e.LastCheck.Checked, e.LastCheck.Expires = time.Unix(checked, 0), exp
		e.History[0].From, e.Log[0].Time = time.Unix(expires, 0), time.Unix(created, 0)
		got, err := decodeDocument(doc.encode())
		if err != nil {
			t.Fatalf("the decoder refuses what the encoder wrote: %v", err)
		}
		if len(got.entries) != 1 || got.entries[0].ID != e.ID {
			t.Fatal("the entry did not read back")
		}
	})
}
