package format

import (
	"crypto/rand"
	"fmt"
	"io"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/chacha20poly1305"
	"golang.org/x/text/unicode/norm"
)

// File is a parsed vault file: its header, the exact header bytes (the payload's
// associated data) and the ciphertext.
type File struct {
	Header     *Header
	headerRaw  []byte
	ciphertext []byte
}

// Parse splits and validates a whole vault file. It runs no KDF.
func Parse(data []byte) (*File, error) {
	h, n, err := ParseHeader(data)
	if err != nil {
		return nil, err
	}
	if len(data)-n < TagSize {
		return nil, fmt.Errorf("%w: the file is truncated after its header", ErrCorrupt)
	}
	return &File{Header: h, headerRaw: data[:n], ciphertext: data[n:]}, nil
}

// DeriveKEK runs Argon2id over the NFC form of passphrase. The parameters must
// already be valid; an invalid set makes it return an error instead of panicking.
func DeriveKEK(passphrase string, salt []byte, p Params) ([]byte, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	pw := []byte(norm.NFC.String(passphrase))
	key := argon2.IDKey(pw, salt, p.Time, p.MemoryKiB, p.Threads, KeySize)
	clear(pw)
	return key, nil
}

// SlotAAD is the associated data binding a wrapped key to its slot and vault.
func SlotAAD(h *Header, label string) []byte {
	kind := "passphrase"
	if label != "" {
		kind = "keychain " + label
	}
	return []byte(Magic + " slot " + kind + " " + h.IDString())
}

// randOr returns rnd, or crypto/rand when it is nil.
func randOr(rnd io.Reader) io.Reader {
	if rnd == nil {
		return rand.Reader
	}
	return rnd
}

// WrapKey seals dek under key into s, with a fresh nonce from rnd (nil means
// crypto/rand).
func WrapKey(h *Header, s *Slot, key, dek []byte, rnd io.Reader) error {
	rnd = randOr(rnd)
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		return fmt.Errorf("wrap key: %w", err)
	}
	if len(dek) != KeySize {
		return fmt.Errorf("wrap key: data key is %d bytes, want %d", len(dek), KeySize)
	}
	if _, err := io.ReadFull(rnd, s.Nonce[:]); err != nil {
		return fmt.Errorf("wrap key: read random nonce: %w", err)
	}
	aead.Seal(s.Wrapped[:0], s.Nonce[:], dek, SlotAAD(h, s.Label))
	return nil
}

// UnwrapKey opens slot s with key and returns the data key. A failure is
// reported as failErr (ErrWrongPassphrase or ErrWrongDeviceKey).
func UnwrapKey(h *Header, s *Slot, key []byte, failErr error) ([]byte, error) {
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		return nil, failErr
	}
	dek, err := aead.Open(nil, s.Nonce[:], s.Wrapped[:], SlotAAD(h, s.Label))
	if err != nil {
		return nil, failErr
	}
	return dek, nil
}

// UnlockPassphrase derives the KEK from passphrase and unwraps the data key.
func (f *File) UnlockPassphrase(passphrase string) ([]byte, error) {
	kek, err := DeriveKEK(passphrase, f.Header.Salt[:], f.Header.KDF)
	if err != nil {
		return nil, err
	}
	defer clear(kek)
	return UnwrapKey(f.Header, &f.Header.Passphrase, kek, ErrWrongPassphrase)
}

// UnlockDevice unwraps the data key from the keychain slot labelled label.
func (f *File) UnlockDevice(label string, deviceKey []byte) ([]byte, error) {
	s, ok := f.Header.KeychainSlot(label)
	if !ok {
		return nil, fmt.Errorf("%w: no slot %q", ErrWrongDeviceKey, label)
	}
	return UnwrapKey(f.Header, &s, deviceKey, ErrWrongDeviceKey)
}

// Decrypt opens the payload with the data key.
func (f *File) Decrypt(dek []byte) ([]byte, error) {
	aead, err := chacha20poly1305.NewX(dek)
	if err != nil {
		return nil, ErrTampered
	}
	pt, err := aead.Open(nil, f.Header.PayloadNonce[:], f.ciphertext, f.headerRaw)
	if err != nil {
		return nil, ErrTampered
	}
	return pt, nil
}

// Seal picks a fresh payload nonce for h (from rnd; nil means crypto/rand)
// and returns the whole file: the header followed by plaintext sealed under dek.
func Seal(h *Header, dek, plaintext []byte, rnd io.Reader) ([]byte, error) {
	rnd = randOr(rnd)
	aead, err := chacha20poly1305.NewX(dek)
	if err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	if _, err := io.ReadFull(rnd, h.PayloadNonce[:]); err != nil {
		return nil, fmt.Errorf("seal: read random nonce: %w", err)
	}
	hdr := h.Marshal()
	out := make([]byte, len(hdr), len(hdr)+len(plaintext)+TagSize)
	copy(out, hdr)
	return aead.Seal(out, h.PayloadNonce[:], plaintext, hdr), nil
}

// NewHeader makes the header of a new vault: a random id, salt and data key,
// with the data key wrapped under passphrase. It returns the header and the
// data key.
func NewHeader(passphrase string, p Params, rnd io.Reader) (*Header, []byte, error) {
	rnd = randOr(rnd)
	h := &Header{}
	if _, err := io.ReadFull(rnd, h.ID[:]); err != nil {
		return nil, nil, fmt.Errorf("new vault: read random id: %w", err)
	}
	dek := make([]byte, KeySize)
	if _, err := io.ReadFull(rnd, dek); err != nil {
		return nil, nil, fmt.Errorf("new vault: read random key: %w", err)
	}
	if err := SetPassphrase(h, dek, passphrase, p, rnd); err != nil {
		return nil, nil, err
	}
	return h, dek, nil
}

// SetPassphrase re-wraps dek under a new passphrase with a fresh salt and the
// parameters p. Keychain slots are left as they are: they wrap the same key.
func SetPassphrase(h *Header, dek []byte, passphrase string, p Params, rnd io.Reader) error {
	rnd = randOr(rnd)
	var salt [SaltSize]byte
	if _, err := io.ReadFull(rnd, salt[:]); err != nil {
		return fmt.Errorf("set passphrase: read random salt: %w", err)
	}
	kek, err := DeriveKEK(passphrase, salt[:], p)
	if err != nil {
		return err
	}
	defer clear(kek)
	var s Slot
	if err := WrapKey(h, &s, kek, dek, rnd); err != nil {
		return err
	}
	h.KDF, h.Salt, h.Passphrase = p, salt, s
	return nil
}
