// Package bwexport writes Bitwarden's password-protected JSON export, for
// tests: vault/importers reads that format, and its tests and the window's
// need files in it without a Bitwarden account to export from.
//
// The layout, as Bitwarden documents and writes it: the key is derived
// from the password with PBKDF2-SHA256 over the salt string (kdfType 0) or
// Argon2id over SHA-256 of it (kdfType 1), then stretched with
// HKDF-Expand(SHA-256) into an "enc" and a "mac" key. Each encrypted
// string is "2.IV|CIPHERTEXT|MAC" in standard base64: AES-256-CBC with
// PKCS#7 padding, and HMAC-SHA256 over IV and ciphertext. The outer object
// holds encKeyValidation_DO_NOT_EDIT (any text, to check the password) and
// data (the unencrypted JSON export).
package bwexport

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/hkdf"
)

// Seal returns plain (an unencrypted Bitwarden JSON export) as the
// password-protected export. kdfType 0 is PBKDF2 with iterations; 1 is
// Argon2id with iterations passes, 16 MiB and one lane. IVs and salt are
// fixed, so the output is the same on every call: a test fixture, never
// a real export.
func Seal(plain, password string, kdfType, iterations int) ([]byte, error) {
	const salt = "c2FsdHNhbHRzYWx0c2FsdA=="
	obj := map[string]any{"encrypted": true, "passwordProtected": true, "salt": salt, "kdfType": kdfType, "kdfIterations": iterations}
	var master []byte
	switch kdfType {
	case 0:
		var err error
		if master, err = pbkdf2.Key(sha256.New, password, []byte(salt), iterations, 32); err != nil {
			return nil, err
		}
	case 1:
		s := sha256.Sum256([]byte(salt))
		master = argon2.IDKey([]byte(password), s[:], uint32(iterations), 16*1024, 1, 32)
		obj["kdfMemory"], obj["kdfParallelism"] = 16, 1
	default:
		return nil, fmt.Errorf("unknown kdfType %d", kdfType)
	}
	var enc, mac [32]byte
	for _, k := range []struct {
		info string
		out  []byte
	}{{"enc", enc[:]}, {"mac", mac[:]}} {
		if _, err := io.ReadFull(hkdf.Expand(sha256.New, master, []byte(k.info)), k.out); err != nil {
			return nil, err
		}
	}
	block, err := aes.NewCipher(enc[:])
	if err != nil {
		return nil, err
	}
	seal := func(text string, ivByte byte) string {
		iv := bytes.Repeat([]byte{ivByte}, aes.BlockSize)
		n := aes.BlockSize - len(text)%aes.BlockSize
		ct := append([]byte(text), bytes.Repeat([]byte{byte(n)}, n)...)
		cipher.NewCBCEncrypter(block, iv).CryptBlocks(ct, ct)
		m := hmac.New(sha256.New, mac[:])
		m.Write(iv)
		m.Write(ct)
		b := base64.StdEncoding.EncodeToString
		return "2." + b(iv) + "|" + b(ct) + "|" + b(m.Sum(nil))
	}
	obj["encKeyValidation_DO_NOT_EDIT"] = seal("1b6b6a0c-0e5d-4b3c-9a7f-2d1e0c9b8a76", 1)
	obj["data"] = seal(plain, 2)
	return json.MarshalIndent(obj, "", "  ")
}
