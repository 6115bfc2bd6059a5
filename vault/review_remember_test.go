package vault

import (
	"errors"
	"testing"
)

// Remember succeeds while the save it makes takes in a re-keyed version:
// the new slot wraps the old data key and is dropped.
func TestReviewRememberDuringCatchUp(t *testing.T) {
	a, b, opts, _ := twoComputers(t)
	if _, err := b.Forget(""); err != nil && !errors.Is(err, ErrNoDeviceKey) {
		t.Fatal(err)
	}
	if err := b.Remember("other"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Forget("other"); err != nil { // renews the data key, same salt
		t.Fatal(err)
	}
	syncOver(t, b, a) // not yet reloaded by a
	if err := a.Remember("laptop"); err != nil {
		t.Fatal(err)
	}
	t.Logf("labels after Remember: %v", a.DeviceLabels())
	a.Close()
	if _, err := OpenWithDevice(a.Path(), opts); err != nil {
		t.Errorf("Remember said yes, but this device does not unlock: %v", err)
	}
}
