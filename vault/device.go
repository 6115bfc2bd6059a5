package vault

import (
	"encoding/base64"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"keyshelf/vault/format"
	"keyshelf/vault/keychain"
)

// keychainUser is the keychain account of a device key: "<vault id>/<label>".
func keychainUser(h *format.Header, label string) string { return h.IDString() + "/" + label }

// DeviceLabel turns a host name into a keychain slot label ([a-z0-9-]{1,32}).
func DeviceLabel(hostname string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(hostname) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '.':
			// Keep only the first part of a dotted host name.
			goto done
		default:
			if s := b.String(); s != "" && !strings.HasSuffix(s, "-") {
				b.WriteByte('-')
			}
		}
	}
done:
	s := strings.Trim(b.String(), "-")
	if len(s) > format.MaxLabelLen {
		s = strings.TrimRight(s[:format.MaxLabelLen], "-")
	}
	if s == "" {
		return "device"
	}
	return s
}

// ThisDeviceLabel is the label for this computer's keychain slot.
func ThisDeviceLabel() string {
	h, _ := os.Hostname()
	return DeviceLabel(h)
}

// Remember lets this device unlock the vault without the passphrase: it puts
// a new random 32-byte device key in the keychain (never the passphrase, never
// the vault) and a keychain slot wrapping the data key under it in the vault.
// An empty label means ThisDeviceLabel. Remembering again replaces the key.
func (v *Vault) Remember(label string) error {
	if label == "" {
		label = ThisDeviceLabel()
	}
	if !format.ValidLabel(label) {
		return fmt.Errorf("device label %q must be 1 to %d of a-z, 0-9 and -", label, format.MaxLabelLen)
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if err := v.usable(); err != nil {
		return err
	}
	kc := v.opts.Keychain
	if kc == nil {
		return keychain.ErrUnavailable
	}
	// Another computer's version first: the slot must wrap the data key
	// the file will have.
	if err := v.catchUp(); err != nil {
		return &SaveError{Err: err}
	}
	key := make([]byte, format.KeySize)
	defer clear(key)
	if _, err := io.ReadFull(v.opts.Rand, key); err != nil {
		return fmt.Errorf("make a device key: %w", err)
	}
	slot := format.Slot{Label: label}
	if err := format.WrapKey(v.header, &slot, key, v.dek, v.opts.Rand); err != nil {
		return err
	}
	user := keychainUser(v.header, label)
	previous, prevErr := kc.Get(user)
	if err := kc.Set(user, base64.StdEncoding.EncodeToString(key)); err != nil {
		return fmt.Errorf("remember this device: %w", err)
	}
	old := v.header.Keychain
	v.header.Keychain = append(slices.DeleteFunc(slices.Clone(old), func(s format.Slot) bool { return s.Label == label }), slot)
	if err := v.save(); err != nil {
		v.header.Keychain = old
		if prevErr == nil {
			kc.Set(user, previous)
		} else {
			kc.Delete(user)
		}
		return err
	}
	return nil
}

// DeviceLabels lists the vault's keychain slot labels.
func (v *Vault) DeviceLabels() []string {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.header == nil {
		return nil
	}
	out := make([]string, len(v.header.Keychain))
	for i, s := range v.header.Keychain {
		out[i] = s.Label
	}
	return out
}
