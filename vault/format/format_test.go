package format

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

// testParams is the cheapest setting a reader accepts; tests use it for speed.
var testParams = Params{MemoryKiB: MinMemoryKiB, Time: 1, Threads: 1}

type vector struct {
	File         string          `json:"file"`
	Expect       string          `json:"expect"`
	Passphrase   string          `json:"passphrase"`
	Plaintext    json.RawMessage `json:"plaintext"`
	DeviceKeyHex string          `json:"device_key_hex"`
	Label        string          `json:"label"`
}

func loadVectors(t *testing.T) []vector {
	t.Helper()
	data, err := os.ReadFile("../testdata/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var vs []vector
	if err := json.Unmarshal(data, &vs); err != nil {
		t.Fatal(err)
	}
	if len(vs) < 10 {
		t.Fatalf("only %d vectors", len(vs))
	}
	return vs
}

func jsonEqual(t *testing.T, got, want []byte) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("plaintext is not JSON: %v", err)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Fatalf("plaintext differs:\n got %s\nwant %s", got, want)
	}
}

// TestVectors checks the known-answer vectors written by an independent
// implementation of the format.
func TestVectors(t *testing.T) {
	for _, v := range loadVectors(t) {
		t.Run(v.File+"/"+v.Expect, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("../testdata", v.File))
			if err != nil {
				t.Fatal(err)
			}
			f, parseErr := Parse(data)
			// The refusals must come from Parse, which never runs the KDF.
			switch v.Expect {
			case "unsafe kdf":
				wantErr(t, parseErr, ErrUnsafeKDF)
				return
			case "newer version":
				wantErr(t, parseErr, ErrNewerVersion)
				if !strings.Contains(parseErr.Error(), "newer") {
					t.Fatalf("message %q does not say newer", parseErr)
				}
				return
			case "not a vault":
				wantErr(t, parseErr, ErrNotVault)
				return
			}
			if parseErr != nil {
				t.Fatalf("parse: %v", parseErr)
			}
			dek, err := f.UnlockPassphrase(v.Passphrase)
			if v.Expect == "wrong passphrase" {
				wantErr(t, err, ErrWrongPassphrase)
				return
			}
			if err != nil {
				t.Fatalf("unlock: %v", err)
			}
			pt, err := f.Decrypt(dek)
			if v.Expect == "tampered" {
				wantErr(t, err, ErrTampered)
				return
			}
			if v.Expect != "success" {
				t.Fatalf("unknown expectation %q", v.Expect)
			}
			if err != nil {
				t.Fatalf("decrypt: %v", err)
			}
			jsonEqual(t, pt, v.Plaintext)
			if !bytes.Equal(f.Header.Marshal(), f.headerRaw) {
				t.Fatalf("header does not re-encode to the same bytes")
			}
			if nfd := norm.NFD.String(v.Passphrase); nfd != v.Passphrase {
				if _, err := f.UnlockPassphrase(nfd); err != nil {
					t.Fatalf("NFD form of the passphrase: %v", err)
				}
			}
			if v.DeviceKeyHex != "" {
				key, err := hex.DecodeString(v.DeviceKeyHex)
				if err != nil {
					t.Fatal(err)
				}
				dek2, err := f.UnlockDevice(v.Label, key)
				if err != nil {
					t.Fatalf("device key: %v", err)
				}
				if !bytes.Equal(dek, dek2) {
					t.Fatal("device slot wraps a different data key")
				}
				key[0] ^= 1
				_, err = f.UnlockDevice(v.Label, key)
				wantErr(t, err, ErrWrongDeviceKey)
			}
		})
	}
}

func wantErr(t *testing.T, err, kind error) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Fatalf("error %v, want %v", err, kind)
	}
}

func TestRoundTrip(t *testing.T) {
	h, dek, err := NewHeader("pässword", testParams, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	var dev [KeySize]byte
	rand.Read(dev[:])
	s := Slot{Label: "work-laptop"}
	if err := WrapKey(h, &s, dev[:], dek, rand.Reader); err != nil {
		t.Fatal(err)
	}
	h.Keychain = append(h.Keychain, s)
	msg := []byte(`{"version":1,"entries":[]}`)
	data, err := Seal(h, dek, msg, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	f, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(f.Header, h) {
		t.Fatalf("header changed in the round trip")
	}
	for _, unlock := range []func() ([]byte, error){
		func() ([]byte, error) { return f.UnlockPassphrase(norm.NFD.String("pässword")) },
		func() ([]byte, error) { return f.UnlockDevice("work-laptop", dev[:]) },
	} {
		k, err := unlock()
		if err != nil {
			t.Fatal(err)
		}
		pt, err := f.Decrypt(k)
		if err != nil || !bytes.Equal(pt, msg) {
			t.Fatalf("decrypt: %v %q", err, pt)
		}
	}
	if _, err := f.UnlockPassphrase("pässword "); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("a trailing space must matter (no trimming): %v", err)
	}
}

// TestSealFreshNonce checks that two saves of the same content differ.
func TestSealFreshNonce(t *testing.T) {
	h, dek, err := NewHeader("x", testParams, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := Seal(h, dek, []byte("{}"), rand.Reader)
	b, _ := Seal(h, dek, []byte("{}"), rand.Reader)
	if bytes.Equal(a, b) {
		t.Fatal("two seals share a nonce")
	}
}

func validHeader(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("../testdata/keychain-slot.keyshelf")
	if err != nil {
		t.Fatal(err)
	}
	_, n, err := ParseHeader(data)
	if err != nil {
		t.Fatal(err)
	}
	return string(data[:n])
}

// TestHostileHeaders checks that each kind of bad header is refused with the
// right kind of error, quickly and without a large allocation.
func TestHostileHeaders(t *testing.T) {
	good := validHeader(t)
	lines := strings.SplitAfter(good, "\n")
	kdf := lines[2]
	replaceKDF := func(newLine string) string { return strings.Replace(good, kdf, newLine, 1) }
	salt := strings.TrimSuffix(strings.SplitN(kdf, "salt=", 2)[1], "\n")
	big := strings.Repeat("A", MaxHeaderSize)

	cases := []struct {
		name   string
		header string
		want   error
	}{
		{"m above 4 GiB", replaceKDF("kdf argon2id m=4194305 t=1 p=1 salt=" + salt + "\n"), ErrUnsafeKDF},
		{"m beyond 32 bits", replaceKDF("kdf argon2id m=18446744073709551615 t=1 p=1 salt=" + salt + "\n"), ErrUnsafeKDF},
		{"m below minimum", replaceKDF("kdf argon2id m=8191 t=1 p=1 salt=" + salt + "\n"), ErrUnsafeKDF},
		{"t zero", replaceKDF("kdf argon2id m=8192 t=0 p=1 salt=" + salt + "\n"), ErrUnsafeKDF},
		{"t above 64", replaceKDF("kdf argon2id m=8192 t=65 p=1 salt=" + salt + "\n"), ErrUnsafeKDF},
		{"p zero", replaceKDF("kdf argon2id m=8192 t=1 p=0 salt=" + salt + "\n"), ErrUnsafeKDF},
		{"p 256", replaceKDF("kdf argon2id m=8192 t=1 p=256 salt=" + salt + "\n"), ErrUnsafeKDF},
		{"negative m", replaceKDF("kdf argon2id m=-1 t=1 p=1 salt=" + salt + "\n"), ErrCorrupt},
		{"leading zero", replaceKDF("kdf argon2id m=08192 t=1 p=1 salt=" + salt + "\n"), ErrCorrupt},
		{"short salt", replaceKDF("kdf argon2id m=8192 t=1 p=1 salt=" + salt[:20] + "\n"), ErrCorrupt},
		{"long salt", replaceKDF("kdf argon2id m=8192 t=1 p=1 salt=" + salt + "AAAA\n"), ErrCorrupt},
		{"garbage salt", replaceKDF("kdf argon2id m=8192 t=1 p=1 salt=!!!!!!!!!!!!!!!!!!!!!!\n"), ErrCorrupt},
		{"salt with non-zero padding bits", replaceKDF("kdf argon2id m=8192 t=1 p=1 salt=" + salt[:21] + "h\n"), ErrCorrupt},
		{"other kdf", replaceKDF("kdf scrypt m=8192 t=1 p=1 salt=" + salt + "\n"), ErrCorrupt},
		{"kdf fields reordered", replaceKDF("kdf argon2id t=1 m=8192 p=1 salt=" + salt + "\n"), ErrCorrupt},
		{"garbage nonce", strings.Replace(good, lines[3][16:48], strings.Repeat("*", 32), 1), ErrCorrupt},
		{"short wrapped key", strings.Replace(good, lines[3], lines[3][:len(lines[3])-5]+"\n", 1), ErrCorrupt},
		{"uppercase id", strings.Replace(good, lines[1], strings.ToUpper(lines[1][:3])+strings.ToUpper(lines[1][3:]), 1), ErrCorrupt},
		{"uppercase hex id", strings.Replace(good, lines[1], "id "+strings.ToUpper(lines[1][3:]), 1), ErrCorrupt},
		{"repeated id", strings.Replace(good, lines[1], lines[1]+lines[1], 1), ErrCorrupt},
		{"repeated kdf", strings.Replace(good, kdf, kdf+kdf, 1), ErrCorrupt},
		{"repeated passphrase slot", strings.Replace(good, lines[3], lines[3]+lines[3], 1), ErrCorrupt},
		{"repeated keychain slot", strings.Replace(good, lines[4], lines[4]+lines[4], 1), ErrCorrupt},
		{"repeated payload", strings.Replace(good, lines[5], lines[5]+lines[5], 1), ErrCorrupt},
		{"missing kdf", strings.Replace(good, kdf, "", 1), ErrCorrupt},
		{"missing passphrase slot", strings.Replace(good, lines[3], "", 1), ErrCorrupt},
		{"keychain before passphrase", strings.Replace(good, lines[3]+lines[4], lines[4]+lines[3], 1), ErrCorrupt},
		{"unknown line", strings.Replace(good, lines[5], "comment hello\n"+lines[5], 1), ErrCorrupt},
		{"bad label", strings.Replace(good, "keychain laptop", "keychain Laptop", 1), ErrCorrupt},
		{"long label", strings.Replace(good, "keychain laptop", "keychain "+strings.Repeat("a", 33), 1), ErrCorrupt},
		{"CRLF", strings.ReplaceAll(good, "\n", "\r\n"), ErrCorrupt},
		{"CR in a line", strings.Replace(good, lines[1], strings.TrimSuffix(lines[1], "\n")+"\r\n", 1), ErrCorrupt},
		{"trailing space", strings.Replace(good, lines[5], strings.TrimSuffix(lines[5], "\n")+" \n", 1), ErrCorrupt},
		{"no end marker", strings.TrimSuffix(good, "---\n"), ErrCorrupt},
		{"header over 64 KiB", strings.Replace(good, lines[5], "slot keychain x "+big+"\n"+lines[5], 1), ErrCorrupt},
		{"endless first line", "keyshelf-vault/v1" + big, ErrNotVault},
		{"no newline at all", big, ErrNotVault},
		{"v2", strings.Replace(good, Magic, "keyshelf-vault/v2", 1), ErrNewerVersion},
		{"v10", strings.Replace(good, Magic, "keyshelf-vault/v10", 1), ErrNewerVersion},
		{"v0", strings.Replace(good, Magic, "keyshelf-vault/v0", 1), ErrNotVault},
		{"empty", "", ErrCorrupt},
		{"truncated magic", "keyshelf-va", ErrCorrupt},
		{"binary", "\x00\x01\x02", ErrNotVault},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data := []byte(c.header)
			if strings.HasSuffix(c.header, "---\n") {
				data = append(data, strings.Repeat("x", TagSize)...)
			}
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := Parse(data)
			runtime.ReadMemStats(&after)
			if !errors.Is(err, c.want) {
				t.Fatalf("error %v, want %v", err, c.want)
			}
			if grew := after.TotalAlloc - before.TotalAlloc; grew > 1<<20 {
				t.Fatalf("parsing allocated %d bytes", grew)
			}
		})
	}
}

func TestTruncatedCiphertext(t *testing.T) {
	good := validHeader(t)
	_, err := Parse([]byte(good + "short"))
	wantErr(t, err, ErrCorrupt)
}

func TestDeriveKEKRefusesBadParams(t *testing.T) {
	for _, p := range []Params{{MemoryKiB: 8192, Time: 0, Threads: 1}, {MemoryKiB: 8192, Time: 1, Threads: 0}, {MemoryKiB: 1 << 30, Time: 1, Threads: 1}} {
		if _, err := DeriveKEK("x", make([]byte, SaltSize), p); !errors.Is(err, ErrUnsafeKDF) {
			t.Fatalf("%+v: %v", p, err)
		}
	}
}

func TestWeakerThan(t *testing.T) {
	if !testParams.WeakerThan(DefaultParams) || DefaultParams.WeakerThan(DefaultParams) {
		t.Fatal("WeakerThan is wrong")
	}
	if (Params{MemoryKiB: 1 << 20, Time: 3, Threads: 4}).WeakerThan(DefaultParams) {
		t.Fatal("more memory is not weaker")
	}
}
