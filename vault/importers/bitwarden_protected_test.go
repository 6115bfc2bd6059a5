package importers

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"keyshelf/internal/bwexport"
)

const bwTestPassword = "fake export password"

// sealBitwarden is plain as Bitwarden's password-protected export.
func sealBitwarden(t *testing.T, plain, password string, kdfType, iterations int) []byte {
	t.Helper()
	out, err := bwexport.Seal(plain, password, kdfType, iterations)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestFromBitwardenProtected(t *testing.T) {
	want, err := FromBitwardenJSON([]byte(bwExport))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name       string
		kdf, iters int
	}{{"PBKDF2", 0, bwPBKDF2Min}, {"Argon2id", 1, bwArgonTimeMin}} {
		t.Run(c.name, func(t *testing.T) {
			file := sealBitwarden(t, bwExport, bwTestPassword, c.kdf, c.iters)
			if Sniff(file) != FormatBitwardenJSON || !BitwardenProtected(file) {
				t.Fatal("the protected export is not recognised")
			}
			if _, _, err := Read("", file); !errors.Is(err, ErrNeedsPassword) {
				t.Fatalf("Read without a password: %v", err)
			}
			got, err := FromBitwardenProtected(file, bwTestPassword)
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("the protected export reads differently from the plain one")
			}
			if _, err := FromBitwardenProtected(file, bwTestPassword+"x"); !errors.Is(err, ErrWrongPassword) {
				t.Errorf("a wrong password: %v", err)
			}
		})
	}
}

func TestFromBitwardenProtectedRefusals(t *testing.T) {
	good := sealBitwarden(t, bwExport, bwTestPassword, 0, bwPBKDF2Min)
	var obj map[string]any
	if err := json.Unmarshal(good, &obj); err != nil {
		t.Fatal(err)
	}
	variant := func(k string, v any) []byte {
		o := map[string]any{}
		for kk, vv := range obj {
			o[kk] = vv
		}
		if v == nil {
			delete(o, k)
		} else {
			o[k] = v
		}
		b, _ := json.Marshal(o)
		return b
	}
	data := obj["data"].(string)
	flipped := []byte(data)
	flipped[len(flipped)/2] ^= 1 // still base64, another byte
	for name, c := range map[string]struct {
		file []byte
		want error
	}{
		"no salt":                {variant("salt", nil), ErrFormat},
		"no kdf":                 {variant("kdfType", nil), ErrFormat},
		"unknown kdf":            {variant("kdfType", 7), ErrFormat},
		"a billion iterations":   {variant("kdfIterations", 1_000_000_000), ErrFormat},
		"Argon2id, 5000 passes":  {variant("kdfType", 1), ErrFormat},
		"not type 2":             {variant("data", "0."+strings.TrimPrefix(data, "2.")), ErrFormat},
		"short mac":              {variant("data", data[:len(data)-8]+"AAAA"), ErrFormat},
		"bad base64":             {variant("data", "2.!!|!!|!!"), ErrFormat},
		"changed ciphertext":     {variant("data", string(flipped)), ErrWrongPassword},
		"changed key validation": {variant("encKeyValidation_DO_NOT_EDIT", data), nil},
		"not protected":          {variant("passwordProtected", false), ErrFormat},
	} {
		_, err := FromBitwardenProtected(c.file, bwTestPassword)
		switch {
		case c.want == nil && err != nil:
			t.Errorf("%s: %v", name, err) // another valid string of the same keys still opens
		case c.want != nil && !errors.Is(err, c.want):
			t.Errorf("%s: %v, want %v", name, err, c.want)
		}
		if err != nil && strings.Contains(err.Error(), bwTestPassword) {
			t.Errorf("%s: the error quotes the password", name)
		}
	}
}

// FuzzEncString feeds any text to the parser of Bitwarden's encrypted
// strings, and any IV and ciphertext, with a MAC made to match, to the
// decryption and padding check: they must refuse it or give the
// plaintext, never panic.
func FuzzEncString(f *testing.F) {
	sealed, err := bwexport.Seal(bwExport, bwTestPassword, 0, bwPBKDF2Min)
	if err != nil {
		f.Fatal(err)
	}
	var obj map[string]any
	if err := json.Unmarshal(sealed, &obj); err != nil {
		f.Fatal(err)
	}
	f.Add(obj["data"].(string), make([]byte, 48))
	f.Add(obj["encKeyValidation_DO_NOT_EDIT"].(string), []byte("0123456789abcdef0123456789abcdef"))
	f.Add("2.AAAAAAAAAAAAAAAAAAAAAA==|AAAAAAAAAAAAAAAAAAAAAA==|AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", []byte{})
	f.Add("2.||", []byte{1})
	key := make([]byte, 32)
	f.Fuzz(func(t *testing.T, s string, raw []byte) {
		if e, err := parseEncString(s); err == nil {
			_, _ = e.open(key, key) // the MAC cannot match: refused
		}
		if len(raw) < 32 || len(raw)%16 != 0 {
			return
		}
		m := hmac.New(sha256.New, key)
		m.Write(raw)
		e := encString{iv: raw[:16], ct: raw[16:], mac: m.Sum(nil)}
		if out, err := e.open(key, key); err == nil && len(out) >= len(e.ct) {
			t.Fatalf("opened %d bytes of plaintext from %d of ciphertext", len(out), len(e.ct))
		}
	})
}
