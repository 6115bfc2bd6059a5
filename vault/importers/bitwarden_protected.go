package importers

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/hkdf"
)

// ErrNeedsPassword: the file is Bitwarden's password-protected export;
// FromBitwardenProtected reads it with the password the user chose when
// exporting.
var ErrNeedsPassword = errors.New("this Bitwarden export is protected by a password")

// ErrWrongPassword: the password does not open the protected export.
var ErrWrongPassword = errors.New("the password does not open this export")

// bwProtected is the outer object of Bitwarden's password-protected
// export. The data, once decrypted, is the unencrypted JSON export.
type bwProtected struct {
	Encrypted         bool   `json:"encrypted"`
	PasswordProtected bool   `json:"passwordProtected"`
	Salt              string `json:"salt"`
	KdfType           *int   `json:"kdfType"`
	KdfIterations     int    `json:"kdfIterations"`
	KdfMemory         *int   `json:"kdfMemory"`      // Argon2id, MiB
	KdfParallelism    *int   `json:"kdfParallelism"` // Argon2id
	Validation        string `json:"encKeyValidation_DO_NOT_EDIT"`
	Data              string `json:"data"`
}

// The limits Bitwarden itself sets on its KDFs, checked before any work:
// a file asking for more is refused, not run.
const (
	bwPBKDF2Min, bwPBKDF2Max       = 5000, 2_000_000
	bwArgonTimeMin, bwArgonTimeMax = 2, 10
	bwArgonMemMin, bwArgonMemMax   = 16, 1024 // MiB
	bwArgonParMin, bwArgonParMax   = 1, 16
	bwMaxSalt                      = 1024
)

// BitwardenProtected reports whether data is Bitwarden's
// password-protected JSON export.
func BitwardenProtected(data []byte) bool {
	var p bwProtected
	return json.Unmarshal(data, &p) == nil && p.Encrypted && p.PasswordProtected
}

// FromBitwardenProtected decrypts Bitwarden's password-protected JSON
// export with password and reads it as FromBitwardenJSON does. Every field
// of the outer object is checked before the key is derived; the decrypted
// export exists only in memory, and is wiped when read. It returns
// ErrWrongPassword when the password does not open it, and ErrFormat,
// wrapped, for a file that is not such an export or is damaged.
func FromBitwardenProtected(data []byte, password string) ([]Candidate, error) {
	plain, err := decryptBitwarden(data, password)
	if err != nil {
		return nil, err
	}
	defer clear(plain)
	return FromBitwardenJSON(plain)
}

func decryptBitwarden(data []byte, password string) ([]byte, error) {
	var p bwProtected
	if err := json.Unmarshal(data, &p); err != nil || !p.Encrypted || !p.PasswordProtected {
		return nil, fmt.Errorf("%w: not Bitwarden's password-protected export", ErrFormat)
	}
	if p.Salt == "" || len(p.Salt) > bwMaxSalt || p.KdfType == nil {
		return nil, fmt.Errorf("%w: the export's key settings are missing", ErrFormat)
	}
	val, err := parseEncString(p.Validation)
	if err != nil {
		return nil, fmt.Errorf("%w: its key check is damaged (%v)", ErrFormat, err)
	}
	body, err := parseEncString(p.Data)
	if err != nil {
		return nil, fmt.Errorf("%w: its data is damaged (%v)", ErrFormat, err)
	}
	var master []byte
	switch *p.KdfType {
	case 0: // PBKDF2-SHA256 over the salt as written
		if p.KdfIterations < bwPBKDF2Min || p.KdfIterations > bwPBKDF2Max {
			return nil, fmt.Errorf("%w: PBKDF2 with %d iterations (Bitwarden uses %d to %d)", ErrFormat, p.KdfIterations, bwPBKDF2Min, bwPBKDF2Max)
		}
		master, err = pbkdf2.Key(sha256.New, password, []byte(p.Salt), p.KdfIterations, 32)
		if err != nil {
			return nil, fmt.Errorf("derive the export's key: %w", err)
		}
	case 1: // Argon2id over SHA-256 of the salt
		mem, par := 64, 4
		if p.KdfMemory != nil {
			mem = *p.KdfMemory
		}
		if p.KdfParallelism != nil {
			par = *p.KdfParallelism
		}
		if p.KdfIterations < bwArgonTimeMin || p.KdfIterations > bwArgonTimeMax || mem < bwArgonMemMin || mem > bwArgonMemMax ||
			par < bwArgonParMin || par > bwArgonParMax {
			return nil, fmt.Errorf("%w: Argon2id settings outside Bitwarden's (t=%d, m=%d MiB, p=%d)", ErrFormat, p.KdfIterations, mem, par)
		}
		salt := sha256.Sum256([]byte(p.Salt))
		master = argon2.IDKey([]byte(password), salt[:], uint32(p.KdfIterations), uint32(mem)*1024, uint8(par), 32)
	default:
		return nil, fmt.Errorf("%w: unknown key derivation %d", ErrFormat, *p.KdfType)
	}
	defer clear(master)
	encKey, macKey := make([]byte, 32), make([]byte, 32)
	defer clear(encKey)
	defer clear(macKey)
	for _, k := range []struct {
		info string
		out  []byte
	}{{"enc", encKey}, {"mac", macKey}} {
		if _, err := io.ReadFull(hkdf.Expand(sha256.New, master, []byte(k.info)), k.out); err != nil {
			return nil, fmt.Errorf("stretch the export's key: %w", err)
		}
	}
	check, err := val.open(encKey, macKey)
	if err != nil {
		return nil, err
	}
	clear(check)
	return body.open(encKey, macKey)
}

// encString is Bitwarden's type 2 encrypted string: AES-256-CBC with
// PKCS#7 padding and HMAC-SHA256 over IV and ciphertext, written
// "2.IV|CIPHERTEXT|MAC" in standard base64.
type encString struct{ iv, ct, mac []byte }

func parseEncString(s string) (encString, error) {
	rest, ok := strings.CutPrefix(s, "2.")
	if !ok {
		return encString{}, errors.New("not an encrypted string of type 2")
	}
	parts := strings.Split(rest, "|")
	if len(parts) != 3 {
		return encString{}, errors.New("not IV|ciphertext|MAC")
	}
	var e encString
	var err error
	for i, dst := range []*[]byte{&e.iv, &e.ct, &e.mac} {
		if *dst, err = base64.StdEncoding.DecodeString(parts[i]); err != nil {
			return encString{}, errors.New("bad base64")
		}
	}
	switch {
	case len(e.iv) != aes.BlockSize:
		return encString{}, errors.New("the IV is not 16 bytes")
	case len(e.mac) != sha256.Size:
		return encString{}, errors.New("the MAC is not 32 bytes")
	case len(e.ct) == 0 || len(e.ct)%aes.BlockSize != 0:
		return encString{}, errors.New("the ciphertext is not whole blocks")
	}
	return e, nil
}

// open checks the MAC, in constant time, and decrypts. A MAC that does
// not match is a wrong password: with the right one it always matches.
func (e encString) open(encKey, macKey []byte) ([]byte, error) {
	m := hmac.New(sha256.New, macKey)
	m.Write(e.iv)
	m.Write(e.ct)
	if !hmac.Equal(m.Sum(nil), e.mac) {
		return nil, ErrWrongPassword
	}
	block, err := aes.NewCipher(encKey)
	if err != nil {
		return nil, err
	}
	out := make([]byte, len(e.ct))
	cipher.NewCBCDecrypter(block, e.iv).CryptBlocks(out, e.ct)
	n := int(out[len(out)-1])
	if n == 0 || n > aes.BlockSize || !bytes.Equal(out[len(out)-n:], bytes.Repeat([]byte{byte(n)}, n)) {
		clear(out)
		return nil, fmt.Errorf("%w: bad padding in an authenticated string", ErrFormat)
	}
	return out[:len(out)-n], nil
}
