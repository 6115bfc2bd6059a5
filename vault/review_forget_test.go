package vault

import (
	"encoding/base64"
	"slices"
	"testing"
	"time"

	"keyshelf/vault/format"
)

// Forget renews the data key; an older copy from another computer (saved
// before it saw the Forget) brings the old data key and the forgotten slot back.
func TestReviewForgetUndoneByOlderCopy(t *testing.T) {
	a, b, opts, _ := twoComputers(t)
	if err := a.Remember("laptop"); err != nil {
		t.Fatal(err)
	}
	lostKeyB64, err := opts.Keychain.Get(keychainUser(a.header, "laptop"))
	if err != nil {
		t.Fatal(err)
	}
	syncOver(t, a, b)
	if _, err := b.Reload(""); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Forget("laptop"); err != nil {
		t.Fatal(err)
	}
	mustAdd(t, b, "Stripe", "sk_test_from_b_0001") // b has not seen the Forget yet
	syncOver(t, b, a)
	r, err := a.Reload("")
	t.Logf("reload %+v err %v labels %v", r, err, a.DeviceLabels())
	mustAdd(t, a, "NewSecret", "sk-added-after-forget-0001")
	data := readAll(t, a.Path())
	f, err := format.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	lost, _ := base64.StdEncoding.DecodeString(lostKeyB64)
	if dek, err := f.UnlockDevice("laptop", lost); err == nil {
		pt, _ := f.Decrypt(dek)
		t.Errorf("the forgotten laptop's device key opens the vault saved after Forget: %d bytes of plaintext, holds new key: %v", len(pt), slices.Contains([]string{string(pt)}, "") || len(pt) > 0)
	}
}

// A version that lands while Reload merges is marked seen without being read.
func TestReviewReloadRaceMarksUnreadVersionSeen(t *testing.T) {
	a, b, _, clock := twoComputers(t)
	mustAdd(t, b, "Stripe", "sk_test_from_b_0001")
	syncOver(t, b, a)
	armed := true
	a.opts.Now = func() time.Time {
		if armed {
			armed = false
			mustAdd(t, b, "Twilio", "twilio-secret-from-b-0001")
			syncOver(t, b, a) // lands while a merges the first version
		}
		return clock.Now()
	}
	if _, err := a.Reload(""); err != nil {
		t.Fatal(err)
	}
	r, err := a.Reload("")
	t.Logf("second reload %+v %v", r, err)
	mustAdd(t, a, "Local", "local-secret-value-0001")
	a.Close()
	v, err := Open(a.Path(), testPass, a.opts)
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	if _, ok := v.Find("Twilio"); !ok {
		t.Errorf("b's Twilio key was overwritten by a's save")
	}
}
