// Package share hands one key to a teammate without a server: an age file
// (filippo.io/age, ASCII-armored so that it can also be pasted) for their
// age or SSH public key, or for a one-time passphrase. Inside is a small
// plain-text form (docs/share-format.md):
//
//	keyshelf-share: 1
//	name: OpenAI prod
//	provider: openai
//	env_name: OPENAI_API_KEY
//	key: sk-proj-…
//
// so that a teammate without Keyshelf reads it with `age -d`. Errors never
// hold the key.
package share

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"filippo.io/age"
	"filippo.io/age/agessh"
	"filippo.io/age/armor"
	"golang.org/x/crypto/ssh"

	"keyshelf/vault"
	"keyshelf/vault/importers"
	"keyshelf/vault/provider"
)

// Share is the key handed over.
type Share struct {
	Name     string
	Provider string // a provider ID, or ""
	EnvName  string // the environment variable it goes in, or ""
	Secret   string
}

// Version is the plain-text form's version (its first line).
const Version = 1

// MaxSize bounds a share file read: one key and a few fields.
const MaxSize = 64 << 10

// Errors of opening a share.
var (
	// ErrNotForYou: none of the identities given opens the file; it was
	// made for someone else (or for a passphrase).
	ErrNotForYou = errors.New("this share is for someone else: none of your keys opens it")
	// ErrWrongPassphrase: the passphrase does not open the file.
	ErrWrongPassphrase = errors.New("wrong passphrase for this share")
	// ErrNotShare: the file is no age file, or was damaged.
	ErrNotShare = errors.New("not a Keyshelf share, or a damaged one")
	// ErrNewerVersion: the share was written by a newer Keyshelf.
	ErrNewerVersion = errors.New("the share was written by a newer version of Keyshelf; update Keyshelf to open it")
)

// Encode is s in the plain-text form. A field with a line break or
// another control character is refused: the form has one field a line.
func Encode(s Share) ([]byte, error) {
	if s.Name == "" || s.Secret == "" {
		return nil, errors.New("a share needs a name and a key")
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "keyshelf-share: %d\n", Version)
	for _, f := range []struct{ k, v string }{{"name", s.Name}, {"provider", s.Provider}, {"env_name", s.EnvName}, {"key", s.Secret}} {
		if f.v == "" {
			continue
		}
		if strings.ContainsFunc(f.v, func(r rune) bool { return r < ' ' || r == 0x7f }) {
			return nil, fmt.Errorf("the %s holds a line break or a control character, which a share cannot carry", strings.ReplaceAll(f.k, "_", " "))
		}
		fmt.Fprintf(&b, "%s: %s\n", f.k, f.v)
	}
	return b.Bytes(), nil
}

// Decode reads the plain-text form. Unknown fields are skipped (a newer
// Keyshelf may add some); a newer version is ErrNewerVersion.
func Decode(data []byte) (Share, error) {
	var s Share
	sc := bufio.NewScanner(bytes.NewReader(data))
	first := true
	for sc.Scan() {
		line := strings.TrimSuffix(sc.Text(), "\r")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, ": ")
		if !ok {
			return Share{}, ErrNotShare
		}
		if first {
			if k != "keyshelf-share" {
				return Share{}, ErrNotShare
			}
			if v != fmt.Sprint(Version) {
				return Share{}, ErrNewerVersion
			}
			first = false
			continue
		}
		switch k {
		case "name":
			s.Name = v
		case "provider":
			s.Provider = v
		case "env_name":
			s.EnvName = v
		case "key":
			s.Secret = v
		}
	}
	if first || s.Name == "" || s.Secret == "" {
		return Share{}, ErrNotShare
	}
	return s, nil
}

// ParseRecipient reads a teammate's public key: an age key (age1…), an
// SSH key line (ssh-ed25519 …, ssh-rsa …), or a file holding one (their
// id_ed25519.pub, or the keys a code host publishes for them, the first
// usable line taken).
func ParseRecipient(s string) (age.Recipient, error) {
	s = strings.TrimSpace(s)
	if r, err := parseOne(s); err == nil {
		return r, nil
	}
	data, err := os.ReadFile(s)
	if err != nil {
		// Never the text itself: a private key or an API key pasted by
		// mistake would be shown back.
		return nil, errors.New("not an age or SSH public key (age1…, ssh-ed25519 or ssh-rsa), nor a file holding one")
	}
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if r, err := parseOne(line); err == nil {
			return r, nil
		}
	}
	return nil, fmt.Errorf("%s holds no age or SSH public key (ssh-ed25519 or ssh-rsa)", s)
}

func parseOne(s string) (age.Recipient, error) {
	if strings.HasPrefix(s, "age1") {
		return age.ParseX25519Recipient(s)
	}
	if strings.HasPrefix(s, "ssh-") {
		return agessh.ParseRecipient(s)
	}
	return nil, errors.New("unknown recipient")
}

// Seal encrypts s for recipients (or, with a passphrase, for it: an age
// scrypt recipient), ASCII-armored.
func Seal(s Share, recipients ...age.Recipient) ([]byte, error) {
	plain, err := Encode(s)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	aw := armor.NewWriter(&out)
	w, err := age.Encrypt(aw, recipients...)
	if err != nil {
		return nil, fmt.Errorf("encrypt the share: %w", err)
	}
	if _, err := w.Write(plain); err != nil {
		return nil, err
	}
	clear(plain)
	if err := w.Close(); err != nil {
		return nil, err
	}
	if err := aw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// PassphraseRecipient is the recipient of a share for a passphrase.
func PassphraseRecipient(pass string) (age.Recipient, error) {
	return age.NewScryptRecipient(pass)
}

// ForPassphrase reports whether data is a share for a passphrase (so that
// the passphrase is asked, not keys looked for).
func ForPassphrase(data []byte) bool {
	rd := unarmor(data)
	head := make([]byte, 512)
	n, _ := io.ReadFull(rd, head)
	return bytes.Contains(head[:n], []byte("\n-> scrypt "))
}

func unarmor(data []byte) io.Reader {
	if bytes.HasPrefix(bytes.TrimSpace(data), []byte(armor.Header)) {
		return armor.NewReader(bytes.NewReader(data))
	}
	return bytes.NewReader(data)
}

// Open decrypts a share with identities, or with a passphrase identity
// (PassphraseIdentity).
func Open(data []byte, identities ...age.Identity) (Share, error) {
	if len(data) > MaxSize {
		return Share{}, ErrNotShare
	}
	r, err := age.Decrypt(unarmor(data), identities...)
	if err != nil {
		var nm *age.NoIdentityMatchError
		switch {
		case errors.As(err, &nm) && ForPassphrase(data):
			return Share{}, ErrWrongPassphrase
		case errors.As(err, &nm):
			return Share{}, ErrNotForYou
		}
		return Share{}, fmt.Errorf("%w (%v)", ErrNotShare, err)
	}
	plain, err := io.ReadAll(io.LimitReader(r, MaxSize))
	if err != nil {
		return Share{}, fmt.Errorf("%w (%v)", ErrNotShare, err)
	}
	defer clear(plain)
	return Decode(plain)
}

// PassphraseIdentity opens a share for pass.
func PassphraseIdentity(pass string) (age.Identity, error) {
	return age.NewScryptIdentity(pass)
}

// LoadIdentities reads private keys: age identity files (age-keygen's) or
// SSH private keys. ask, when a key is protected by a passphrase, asks for
// it (nil: such a key is an error).
func LoadIdentities(paths []string, ask func(prompt string) (string, error)) ([]age.Identity, error) {
	var ids []age.Identity
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("read the identity: %w", err)
		}
		if bytes.Contains(data, []byte("AGE-SECRET-KEY-")) {
			more, err := age.ParseIdentities(bytes.NewReader(data))
			if err != nil {
				return nil, fmt.Errorf("%s: %w", p, err)
			}
			ids = append(ids, more...)
			continue
		}
		id, err := agessh.ParseIdentity(data)
		var missing *ssh.PassphraseMissingError
		if errors.As(err, &missing) && missing.PublicKey != nil && ask != nil {
			path := p
			id, err = agessh.NewEncryptedSSHIdentity(missing.PublicKey, data, func() ([]byte, error) {
				pass, err := ask("Passphrase of " + path + ": ")
				return []byte(pass), err
			})
		}
		if err != nil {
			return nil, fmt.Errorf("%s is no age identity or SSH private key: %w", p, err)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// Draft is the vault entry a received share adds to a vault holding have:
// its name (made free with " (2)" when taken), provider, key and variable,
// and a note naming the file. already names the entry that holds the same
// key, when one does (then nothing is to be added).
func (s Share) Draft(have []vault.Entry, file string) (d vault.Draft, already string) {
	taken := map[string]bool{}
	for _, e := range have {
		if e.Secret == s.Secret {
			return vault.Draft{}, e.Name
		}
		taken[strings.ToLower(e.Name)] = true
	}
	d = vault.Draft{Name: importers.FreeName(s.Name, taken), Provider: s.Provider, Secret: s.Secret,
		Notes: "Received from a share (" + file + ")"}
	if _, ok := provider.Get(s.Provider); !ok && s.Provider != provider.Custom {
		d.Provider = "" // one this build does not know: detected from the key
	}
	if n, err := vault.CleanEnvName(s.EnvName); err == nil {
		d.EnvName = n
	}
	return d, ""
}

// DefaultIdentities are the private keys tried when none is given: the
// user's ~/.ssh/id_ed25519 and id_rsa, those that exist.
func DefaultIdentities() []string {
	home, err := os.UserHomeDir()
	if err != nil {
		return nil
	}
	var out []string
	for _, p := range []string{filepath.Join(home, ".ssh", "id_ed25519"), filepath.Join(home, ".ssh", "id_rsa")} {
		if _, err := os.Stat(p); err == nil {
			out = append(out, p)
		}
	}
	return out
}

// OneTimePassphrase makes up a passphrase for a share: six groups of four
// letters and digits from an alphabet of 31 (no 0/o or 1/l/i), about 118
// bits, easy to read out. Each character is drawn without bias (a random
// byte past the last whole multiple of 31 is drawn again).
func OneTimePassphrase() string {
	const alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
	const limit = 256 - 256%len(alphabet)
	var sb strings.Builder
	var b [1]byte
	for n := 0; n < 24; {
		rand.Read(b[:]) // never fails (crypto/rand)
		if int(b[0]) >= limit {
			continue
		}
		if n > 0 && n%4 == 0 {
			sb.WriteByte('-')
		}
		sb.WriteByte(alphabet[int(b[0])%len(alphabet)])
		n++
	}
	return sb.String()
}
