// Package format reads and writes the Keyshelf vault file, version 1, exactly
// as docs/vault-format.md describes it: a text header of LF-terminated lines
// followed by an XChaCha20-Poly1305 ciphertext, with the data key wrapped by an
// Argon2id key-encryption key and optionally by device keys.
//
// Parsing validates every header field before any expensive work, so a hostile
// file can neither make the reader allocate gigabytes nor panic.
package format

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Sizes fixed by the format.
const (
	IDSize      = 16 // vault id bytes (32 hex characters)
	SaltSize    = 16 // Argon2id salt bytes
	KeySize     = 32 // DEK, KEK and device key bytes
	NonceSize   = 24 // XChaCha20-Poly1305 nonce bytes
	TagSize     = 16 // Poly1305 tag bytes
	WrappedSize = KeySize + TagSize
	// MaxHeaderSize is the largest header a reader accepts, in bytes,
	// counting every line up to and including the "---" line.
	MaxHeaderSize = 64 << 10
	// MaxLabelLen is the longest keychain slot label.
	MaxLabelLen = 32
)

// Magic is the first line of a version 1 vault, without its LF.
const Magic = "keyshelf-vault/v1"

const magicPrefix = "keyshelf-vault/v"

// HasMagic reports whether data starts as a vault file of any version does
// (whole or not): to tell a vault from other files before reading it.
func HasMagic(data []byte) bool { return bytes.HasPrefix(data, []byte(magicPrefix)) }

// Limits a reader enforces on the Argon2id parameters before running the KDF.
const (
	MinMemoryKiB = 8192
	MaxMemoryKiB = 4194304
	MinTime      = 1
	MaxTime      = 64
	MinThreads   = 1
	MaxThreads   = 64
)

var b64 = base64.RawStdEncoding.Strict()

// Params are the Argon2id cost parameters.
type Params struct {
	MemoryKiB uint32 // m, in KiB
	Time      uint32 // t, passes
	Threads   uint8  // p, lanes
}

// DefaultParams are what writers use: RFC 9106's second recommended setting.
var DefaultParams = Params{MemoryKiB: 65536, Time: 3, Threads: 4}

// Validate reports whether p lies inside the limits a reader accepts.
func (p Params) Validate() error {
	switch {
	case p.MemoryKiB < MinMemoryKiB || p.MemoryKiB > MaxMemoryKiB:
		return fmt.Errorf("%w: memory m=%d KiB is outside %d..%d", ErrUnsafeKDF, p.MemoryKiB, MinMemoryKiB, MaxMemoryKiB)
	case p.Time < MinTime || p.Time > MaxTime:
		return fmt.Errorf("%w: passes t=%d is outside %d..%d", ErrUnsafeKDF, p.Time, MinTime, MaxTime)
	case p.Threads < MinThreads || p.Threads > MaxThreads:
		return fmt.Errorf("%w: lanes p=%d is outside %d..%d", ErrUnsafeKDF, p.Threads, MinThreads, MaxThreads)
	}
	return nil
}

// WeakerThan reports whether any parameter of p is below the same one of q.
func (p Params) WeakerThan(q Params) bool {
	return p.MemoryKiB < q.MemoryKiB || p.Time < q.Time || p.Threads < q.Threads
}

// Slot holds the data key wrapped under one key-encryption key.
type Slot struct {
	// Label names a keychain slot; it is empty for the passphrase slot.
	Label   string
	Nonce   [NonceSize]byte
	Wrapped [WrappedSize]byte
}

// Header is the parsed text header of a vault file.
type Header struct {
	ID           [IDSize]byte
	KDF          Params
	Salt         [SaltSize]byte
	Passphrase   Slot
	Keychain     []Slot
	PayloadNonce [NonceSize]byte
}

// IDString is the vault id as written in the file: 32 lowercase hex digits.
func (h *Header) IDString() string { return hex.EncodeToString(h.ID[:]) }

// KeychainSlot returns the keychain slot with the given label.
func (h *Header) KeychainSlot(label string) (Slot, bool) {
	for _, s := range h.Keychain {
		if s.Label == label {
			return s, true
		}
	}
	return Slot{}, false
}

// Marshal encodes the header exactly as it is stored, ending with "---\n".
func (h *Header) Marshal() []byte {
	var b bytes.Buffer
	b.Grow(256 + 140*len(h.Keychain))
	b.WriteString(Magic + "\n")
	b.WriteString("id " + h.IDString() + "\n")
	fmt.Fprintf(&b, "kdf argon2id m=%d t=%d p=%d salt=%s\n", h.KDF.MemoryKiB, h.KDF.Time, h.KDF.Threads, b64.EncodeToString(h.Salt[:]))
	fmt.Fprintf(&b, "slot passphrase %s %s\n", b64.EncodeToString(h.Passphrase.Nonce[:]), b64.EncodeToString(h.Passphrase.Wrapped[:]))
	for _, s := range h.Keychain {
		fmt.Fprintf(&b, "slot keychain %s %s %s\n", s.Label, b64.EncodeToString(s.Nonce[:]), b64.EncodeToString(s.Wrapped[:]))
	}
	b.WriteString("payload " + b64.EncodeToString(h.PayloadNonce[:]) + "\n")
	b.WriteString("---\n")
	return b.Bytes()
}

// ValidLabel reports whether s may name a keychain slot: [a-z0-9-]{1,32}.
func ValidLabel(s string) bool {
	if len(s) < 1 || len(s) > MaxLabelLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// ParseHeader parses and validates the header at the start of data. It returns
// the header and its length in bytes (the offset of the ciphertext). It never
// runs the KDF and never allocates more than the header's own size.
func ParseHeader(data []byte) (*Header, int, error) {
	if err := checkMagic(data); err != nil {
		return nil, 0, err
	}
	p := parser{data: data}
	p.off = len(Magic) + 1
	h := &Header{}

	// id
	f, err := p.fields("id", 2)
	if err != nil {
		return nil, 0, err
	}
	if !isLowerHex(f[1], 2*IDSize) {
		return nil, 0, p.errf("id must be %d lowercase hex digits", 2*IDSize)
	}
	if _, err := hex.Decode(h.ID[:], []byte(f[1])); err != nil {
		return nil, 0, p.errf("id is not hex")
	}

	// kdf
	if f, err = p.fields("kdf", 6); err != nil {
		return nil, 0, err
	}
	if f[1] != "argon2id" {
		return nil, 0, p.errf("unsupported key derivation %q", clip(f[1]))
	}
	m, err := p.param(f[2], "m")
	if err != nil {
		return nil, 0, err
	}
	t, err := p.param(f[3], "t")
	if err != nil {
		return nil, 0, err
	}
	lanes, err := p.param(f[4], "p")
	if err != nil {
		return nil, 0, err
	}
	if m < MinMemoryKiB || m > MaxMemoryKiB {
		return nil, 0, fmt.Errorf("%w: memory m=%d KiB is outside %d..%d", ErrUnsafeKDF, m, MinMemoryKiB, MaxMemoryKiB)
	}
	if t < MinTime || t > MaxTime {
		return nil, 0, fmt.Errorf("%w: passes t=%d is outside %d..%d", ErrUnsafeKDF, t, MinTime, MaxTime)
	}
	if lanes < MinThreads || lanes > MaxThreads {
		return nil, 0, fmt.Errorf("%w: lanes p=%d is outside %d..%d", ErrUnsafeKDF, lanes, MinThreads, MaxThreads)
	}
	h.KDF = Params{MemoryKiB: uint32(m), Time: uint32(t), Threads: uint8(lanes)}
	salt, ok := strings.CutPrefix(f[5], "salt=")
	if !ok {
		return nil, 0, p.errf("kdf line lacks salt=")
	}
	if err := p.decode(h.Salt[:], salt, "salt"); err != nil {
		return nil, 0, err
	}

	// slot passphrase
	if f, err = p.fields("slot", 4); err != nil {
		return nil, 0, err
	}
	if f[1] != "passphrase" {
		return nil, 0, p.errf("expected the passphrase slot, found slot %q", clip(f[1]))
	}
	if err := p.slot(&h.Passphrase, f[2], f[3]); err != nil {
		return nil, 0, err
	}

	// slot keychain*, then payload
	for {
		line, err := p.line()
		if err != nil {
			return nil, 0, err
		}
		f = strings.Split(line, " ")
		if f[0] == "payload" {
			break
		}
		if f[0] != "slot" {
			return nil, 0, p.unexpected(f[0], "payload")
		}
		if len(f) < 2 || f[1] != "keychain" {
			if len(f) >= 2 && f[1] == "passphrase" {
				return nil, 0, p.errf("repeated passphrase slot")
			}
			return nil, 0, p.errf("unknown slot kind")
		}
		if len(f) != 5 {
			return nil, 0, p.errf("keychain slot line has %d fields, want 5", len(f))
		}
		if !ValidLabel(f[2]) {
			return nil, 0, p.errf("keychain slot label must be 1 to %d of a-z, 0-9 and -", MaxLabelLen)
		}
		if _, dup := h.KeychainSlot(f[2]); dup {
			return nil, 0, p.errf("repeated keychain slot %q", f[2])
		}
		s := Slot{Label: f[2]}
		if err := p.slot(&s, f[3], f[4]); err != nil {
			return nil, 0, err
		}
		h.Keychain = append(h.Keychain, s)
	}
	if len(f) != 2 {
		return nil, 0, p.errf("payload line has %d fields, want 2", len(f))
	}
	if err := p.decode(h.PayloadNonce[:], f[1], "payload nonce"); err != nil {
		return nil, 0, err
	}

	line, err := p.line()
	if err != nil {
		return nil, 0, err
	}
	if line != "---" {
		return nil, 0, p.unexpected(strings.SplitN(line, " ", 2)[0], "---")
	}
	return h, p.off, nil
}

// checkMagic classifies the first line without reading past a short prefix.
func checkMagic(data []byte) error {
	if len(data) == 0 {
		return fmt.Errorf("%w: the file is empty", ErrCorrupt)
	}
	if bytes.HasPrefix(data, []byte(Magic+"\n")) {
		return nil
	}
	if !bytes.HasPrefix(data, []byte(magicPrefix)) {
		if bytes.HasPrefix([]byte(Magic), data) {
			return fmt.Errorf("%w: the file is truncated", ErrCorrupt)
		}
		return ErrNotVault
	}
	rest := data[len(magicPrefix):]
	if i := bytes.IndexByte(rest, '\n'); i >= 0 {
		rest = rest[:i]
	} else if len(rest) > 10 {
		return ErrNotVault
	}
	if bytes.HasSuffix(rest, []byte("\r")) {
		return fmt.Errorf("%w: its line endings were changed to CRLF", ErrCorrupt)
	}
	if len(rest) == 0 || len(rest) > 9 || rest[0] == '0' {
		return ErrNotVault
	}
	v, err := strconv.Atoi(string(rest))
	if err != nil {
		return ErrNotVault
	}
	if v > 1 {
		return fmt.Errorf("%w (format v%d; this build reads v1)", ErrNewerVersion, v)
	}
	// "keyshelf-vault/v1" without its LF.
	return fmt.Errorf("%w: the file is truncated", ErrCorrupt)
}

type parser struct {
	data   []byte
	off    int
	lineNo int
}

// line returns the next LF-terminated line, without the LF.
func (p *parser) line() (string, error) {
	p.lineNo++
	rest := p.data[p.off:]
	limit := MaxHeaderSize - p.off
	if limit <= 0 {
		return "", fmt.Errorf("%w: header is larger than %d bytes", ErrCorrupt, MaxHeaderSize)
	}
	if len(rest) > limit {
		rest = rest[:limit]
	}
	i := bytes.IndexByte(rest, '\n')
	if i < 0 {
		if len(p.data)-p.off >= limit {
			return "", fmt.Errorf("%w: header is larger than %d bytes", ErrCorrupt, MaxHeaderSize)
		}
		return "", fmt.Errorf("%w: the file is truncated in its header", ErrCorrupt)
	}
	line := rest[:i]
	for _, c := range line {
		if c < 0x20 || c > 0x7e {
			return "", p.errf("header line holds a byte that is not printable ASCII")
		}
	}
	p.off += i + 1
	return string(line), nil
}

// fields reads the next line, which must start with keyword and have n fields.
func (p *parser) fields(keyword string, n int) ([]string, error) {
	line, err := p.line()
	if err != nil {
		return nil, err
	}
	f := strings.Split(line, " ")
	if f[0] != keyword {
		return nil, p.unexpected(f[0], keyword)
	}
	if len(f) != n {
		return nil, p.errf("%s line has %d fields, want %d", keyword, len(f), n)
	}
	return f, nil
}

var knownKeywords = map[string]bool{"id": true, "kdf": true, "slot": true, "payload": true, "---": true}

func (p *parser) unexpected(got, want string) error {
	if knownKeywords[got] {
		return p.errf("%q line out of order or repeated, expected %q", got, want)
	}
	return p.errf("unknown header line %q, expected %q", clip(got), want)
}

func (p *parser) errf(format string, args ...any) error {
	return fmt.Errorf("%w: header line %d: %s", ErrCorrupt, p.lineNo, fmt.Sprintf(format, args...))
}

// param parses "name=decimal". Values beyond 32 bits are unsafe, not corrupt.
func (p *parser) param(field, name string) (uint64, error) {
	v, ok := strings.CutPrefix(field, name+"=")
	if !ok || v == "" || len(v) > 20 {
		return 0, p.errf("kdf line lacks a number for %s=", name)
	}
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return 0, p.errf("kdf %s= is not a decimal number", name)
		}
	}
	if len(v) > 1 && v[0] == '0' {
		return 0, p.errf("kdf %s= has a leading zero", name)
	}
	n, err := strconv.ParseUint(v, 10, 32)
	if errors.Is(err, strconv.ErrRange) {
		return 0, fmt.Errorf("%w: %s=%s is far too large", ErrUnsafeKDF, name, v)
	}
	if err != nil {
		return 0, p.errf("kdf %s= is not a number", name)
	}
	return n, nil
}

// decode decodes unpadded standard base64 into dst, which it must fill exactly.
func (p *parser) decode(dst []byte, s, what string) error {
	if b64.EncodedLen(len(dst)) != len(s) {
		return p.errf("%s has the wrong length", what)
	}
	n, err := b64.Decode(dst, []byte(s))
	if err != nil || n != len(dst) {
		return p.errf("%s is not valid base64", what)
	}
	return nil
}

func (p *parser) slot(s *Slot, nonce, wrapped string) error {
	if err := p.decode(s.Nonce[:], nonce, "slot nonce"); err != nil {
		return err
	}
	return p.decode(s.Wrapped[:], wrapped, "wrapped key")
}

func isLowerHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// clip shortens untrusted text quoted in an error message.
func clip(s string) string {
	if len(s) > 24 {
		return s[:24] + "…"
	}
	return s
}
