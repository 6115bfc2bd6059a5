package vault

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"golang.org/x/text/unicode/norm"

	"keyshelf/vault/format"
	"keyshelf/vault/keychain"
)

type vector struct {
	File         string          `json:"file"`
	Expect       string          `json:"expect"`
	Passphrase   string          `json:"passphrase"`
	Plaintext    json.RawMessage `json:"plaintext"`
	DeviceKeyHex string          `json:"device_key_hex"`
	Label        string          `json:"label"`
}

func loadVectors(t *testing.T) []vector {
	data, err := os.ReadFile("testdata/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var vs []vector
	if err := json.Unmarshal(data, &vs); err != nil {
		t.Fatal(err)
	}
	return vs
}

// assertDocument checks that the vault's contents, encoded, equal want as JSON.
func assertDocument(t *testing.T, v *Vault, want json.RawMessage) {
	t.Helper()
	v.mu.Lock()
	got := v.doc.encode()
	v.mu.Unlock()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Fatalf("contents differ:\n got %s\nwant %s", got, want)
	}
}

// TestVectorsOpen opens every known-answer vector through the vault API, and
// for the good ones saves, reopens and compares again (unknown fields survive).
func TestVectorsOpen(t *testing.T) {
	vs := loadVectors(t)
	if len(vs) < 10 {
		t.Fatalf("only %d vectors", len(vs))
	}
	for _, vec := range vs {
		t.Run(vec.File+"/"+vec.Expect, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "v.keyshelf")
			copyFile(t, filepath.Join("testdata", vec.File), path)
			opts, _, kc := testOptions()
			if vec.File == "default-params.keyshelf" {
				opts.KDF = format.DefaultParams
			}
			v, err := Open(path, vec.Passphrase, opts)
			want := map[string]error{"wrong passphrase": ErrWrongPassphrase, "tampered": ErrTampered,
				"unsafe kdf": ErrUnsafeKDF, "newer version": ErrNewerVersion, "not a vault": ErrNotVault}[vec.Expect]
			if vec.Expect != "success" {
				if want == nil {
					t.Fatalf("unknown expectation %q", vec.Expect)
				}
				wantErr(t, err, want)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			assertDocument(t, v, vec.Plaintext)
			if err := v.Save(); err != nil {
				t.Fatal(err)
			}
			v = reopenWith(t, v, vec.Passphrase, opts)
			assertDocument(t, v, vec.Plaintext)
			if nfd := norm.NFD.String(vec.Passphrase); nfd != vec.Passphrase {
				v = reopenWith(t, v, nfd, opts)
				assertDocument(t, v, vec.Plaintext)
			}
			if vec.DeviceKeyHex != "" {
				key, _ := hex.DecodeString(vec.DeviceKeyHex)
				if err := kc.Set(v.ID()+"/"+vec.Label, base64.StdEncoding.EncodeToString(key)); err != nil {
					t.Fatal(err)
				}
				v.Close()
				v2, err := OpenWithDevice(path, opts)
				if err != nil {
					t.Fatalf("open with the device key: %v", err)
				}
				assertDocument(t, v2, vec.Plaintext)
				v2.Close()
			}
			v.Close()
		})
	}
}

func reopenWith(t *testing.T, v *Vault, pass string, opts Options) *Vault {
	t.Helper()
	v.Close()
	v2, err := Open(v.Path(), pass, opts)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	return v2
}

// TestWeakParamsRewrapped: a vault written with parameters below the defaults
// is re-wrapped at the defaults on the next passphrase entry, and still opens.
func TestWeakParamsRewrapped(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the default KDF")
	}
	path := filepath.Join(t.TempDir(), "v.keyshelf")
	copyFile(t, "testdata/basic.keyshelf", path)
	v, err := Open(path, "correct horse battery staple", Options{Keychain: &keychain.Memory{}})
	if err != nil {
		t.Fatal(err)
	}
	if got := v.KDF(); got != format.DefaultParams {
		t.Fatalf("params after open: %+v", got)
	}
	v.Close()
	info, err := Peek(path)
	if err != nil || info.KDF != format.DefaultParams {
		t.Fatalf("file params %+v, %v", info.KDF, err)
	}
	v, err = Open(path, "correct horse battery staple", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if e, ok := v.Find("openai PROD"); !ok || e.Secret != "sk-proj-abcdefghijklmnopT3BlbkFJqrstuvwxyz012345" {
		t.Fatalf("entry lost in the re-wrap: %+v", e)
	}
	v.Close()
}
