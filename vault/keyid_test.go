package vault

import (
	"strings"
	"testing"
	"time"

	"keyshelf/vault/check"
)

// Fake two-part credentials: the key IDs have the providers' shapes.
const (
	twilioSID   = "SK0123456789abcdef0123456789abcdef"
	twilioToken = "0123456789abcdef0123456789abcdef"
	awsKeyID    = "AKIAFAKETEST01234567"
	awsSecret   = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYFAKEKEY012"
)

func TestKeyIDDetectsStoresAndSurvivesReopen(t *testing.T) {
	v, opts, _ := newVault(t)
	tw, err := v.Add(Draft{Name: "sms", Secret: twilioToken, KeyID: " " + twilioSID + " "})
	if err != nil || tw.Entry.KeyID != twilioSID || tw.Entry.Provider != "twilio" {
		t.Fatalf("add twilio: %q %q %v", tw.Entry.KeyID, tw.Entry.Provider, err)
	}
	aw, err := v.Add(Draft{Name: "deploy", Secret: awsSecret, KeyID: awsKeyID})
	if err != nil || aw.Entry.Provider != "aws" {
		t.Fatalf("add aws: %q %v", aw.Entry.Provider, err)
	}
	one := mustAdd(t, v, "plain", "sk-plain-0001")
	if tg := aw.Entry.Target(); tg.KeyID != awsKeyID || tg.Secret != awsSecret || tg.Provider != "aws" {
		t.Error("Target lacks the key ID")
	}
	if d := tw.Entry.Draft(); d.KeyID != twilioSID {
		t.Error("Draft lacks the key ID")
	}

	v.mu.Lock()
	pt := string(v.doc.encode())
	v.mu.Unlock()
	if !strings.Contains(pt, `"secret":"`+awsSecret+`","key_id":"`+awsKeyID+`","created":`) {
		t.Error("key_id is not stored after the secret")
	}
	if strings.Count(pt, `"key_id"`) != 2 {
		t.Error("key_id is written for an entry without one")
	}

	v = reopen(t, v, opts)
	if e, _ := v.Get(tw.Entry.ID); e.KeyID != twilioSID || e.Provider != "twilio" {
		t.Errorf("after reopen: %q %q", e.KeyID, e.Provider)
	}
	if e, _ := v.Get(one.ID); e.KeyID != "" {
		t.Error("a key ID appeared")
	}
}

func TestKeyIDUpdateDropsLastCheck(t *testing.T) {
	v, _, clock := newVault(t)
	r, err := v.Add(Draft{Name: "deploy", Secret: awsSecret, KeyID: awsKeyID})
	if err != nil {
		t.Fatal(err)
	}
	if err := v.RecordCheck(r.Entry, check.Result{Outcome: check.Valid, Checked: clock.Now()}); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Hour)
	e, _ := v.Get(r.Entry.ID)
	d := e.Draft()
	d.Notes = "ci"
	u, err := v.Update(e.ID, d)
	if err != nil || u.Entry.LastCheck == nil || u.Entry.KeyID != awsKeyID {
		t.Fatalf("an edit of the notes lost the check or key ID: %v", err)
	}
	d = u.Entry.Draft()
	d.KeyID = "AKIAFAKETEST76543210"
	u, err = v.Update(e.ID, d)
	if err != nil || u.Entry.KeyID != "AKIAFAKETEST76543210" || u.Entry.LastCheck != nil {
		t.Fatalf("new key ID: %q, last check %v, %v", u.Entry.KeyID, u.Entry.LastCheck, err)
	}
	if u.Entry.Secret != awsSecret || len(u.Entry.History) != 0 {
		t.Error("a new key ID changed the secret or its history")
	}
	// A check of the old key ID is stale.
	if err := v.RecordCheck(e, check.Result{Outcome: check.Valid, Checked: clock.Now()}); err == nil {
		t.Error("a check of the old key ID was recorded")
	}
	d.KeyID = ""
	if u, err = v.Update(e.ID, d); err != nil || u.Entry.KeyID != "" {
		t.Fatalf("clearing the key ID: %v", err)
	}
}

func TestKeyIDValidation(t *testing.T) {
	v, _, _ := newVault(t)
	for _, bad := range []string{"AKIA 1234", "SK\n12", "a\tb", "id\x00", strings.Repeat("x", MaxKeyIDLen+1)} {
		if _, err := v.Add(Draft{Name: "x", Secret: "s-0001", KeyID: bad}); err == nil {
			t.Errorf("key ID of %d bytes accepted", len(bad))
		} else if strings.Contains(err.Error(), "s-0001") {
			t.Error("the secret is in the error")
		}
	}
	if _, err := v.Add(Draft{Name: "x", Secret: "s-0001", KeyID: strings.Repeat("é", MaxKeyIDLen)}); err != nil {
		t.Errorf("a key ID of %d characters refused: %v", MaxKeyIDLen, err)
	}
	// An explicit provider wins over the key ID's shape.
	r, err := v.Add(Draft{Name: "y", Provider: "custom", Secret: "s-0002", KeyID: awsKeyID})
	if err != nil || r.Entry.Provider != "custom" || r.Entry.KeyID != awsKeyID {
		t.Errorf("explicit provider: %q %v", r.Entry.Provider, err)
	}
}
