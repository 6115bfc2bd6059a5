// Package leakscan finds API keys where they should not be: in the files of
// a folder tree (a code repository, Downloads, a build's output). It reports
// two kinds of find:
//
//   - one of the vault's own keys, whatever its shape. The scanner keeps no
//     key in clear: New turns each into a keyed hash (HMAC-SHA-256 under a
//     key made for this scanner) and a rolling hash of its bytes, and a
//     window of a line whose rolling hash matches is confirmed by its HMAC.
//   - anything shaped like a known provider's key (package provider's
//     shapes). A generic shape (32 letters and digits, Mistral's say) is
//     reported only when it mixes upper case, lower case and digits and its
//     line speaks of a key (key, token, secret, api, auth, bearer, password
//     or the provider's name), which leaves out hashes, UUIDs and the like.
//
// It walks the trees without following symbolic links (so no loop), skips
// .git, node_modules and vendor folders, binary files and files over
// Options.MaxFileSize, lists each skipped file with the reason, and goes on
// past files it may not read. A find is shown masked and named by a
// fingerprint (its path and a hash of its line) that an Ignore file keeps
// to accept it; no find, error or skip ever holds a key.
package leakscan

import (
	"bufio"
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"unicode"

	"keyshelf/vault"
	"keyshelf/vault/check"
	"keyshelf/vault/provider"
)

// Key is one of the vault's keys to look for.
type Key struct {
	ID, Name string
	Secret   string
	Provider string
}

// Find is one key found in a file.
type Find struct {
	Root string // the folder scanned that holds the file (links resolved)
	Path string // as walked: Root joined with the file's path in it
	Line int    // from 1
	// Provider is the provider ID of the key's shape or entry ("" when a
	// vault key has neither).
	Provider string
	Masked   string // the key as vault.Mask shows it
	// EntryID and EntryName name the vault entry whose key this is; ""
	// for a key that only has a provider's shape.
	EntryID, EntryName string
	// Weak reports a find by a generic shape only.
	Weak bool
	// Fingerprint names the find for an Ignore file: its path (relative to
	// its root, with /) and a hash of its line.
	Fingerprint string
	// Accepted reports that the Ignore file lists the find.
	Accepted bool
}

// Skip is a file or folder the scan passed over, and why.
type Skip struct {
	Path, Reason string
}

// Result is a scan's outcome.
type Result struct {
	Finds   []Find // by path, then line
	Skipped []Skip // by path
	Files   int    // files read
	Bytes   int64  // bytes read
}

// Unaccepted counts the finds no Ignore file lists.
func (r Result) Unaccepted() int {
	n := 0
	for _, f := range r.Finds {
		if !f.Accepted {
			n++
		}
	}
	return n
}

// Options tune a scan.
type Options struct {
	// MaxFileSize is the largest file read; larger ones are skipped. 0
	// means DefaultMaxFileSize.
	MaxFileSize int64
	// Workers read files at once; 0 means the number of CPUs.
	Workers int
	// Progress, when set, is called from the scan's goroutines with the
	// number of files read so far, at most every 64 files and at the end.
	Progress func(files int)
}

// DefaultMaxFileSize is the largest file a scan reads unless told otherwise.
const DefaultMaxFileSize = 8 << 20

// openFile opens a file to scan; tests replace it to make one unreadable
// (they run as root, whom permissions do not stop).
var openFile = os.Open

// skipDirs are folders never walked into.
var skipDirs = map[string]string{
	".git": "git's own data", ".hg": "Mercurial's own data", ".svn": "Subversion's own data",
	"node_modules": "installed npm packages", "vendor": "vendored dependencies",
	"__pycache__": "Python bytecode", ".venv": "a Python virtual environment",
}

// known is a vault key as the scanner keeps it: no key in clear.
type known struct {
	id, name, provider, masked string
	length                     int
	mac                        [32]byte
}

// Scanner looks for a fixed set of keys and shapes. It is safe for
// concurrent use.
//
// The vault's keys are found Rabin-Karp style: one rolling hash over a
// window of the shortest key's length (at most maxWindow bytes) slides
// over each line; a bitset of the keys' window hashes turns almost every
// position away with one bit test, and a hit is confirmed by the HMAC of
// each key of that window hash at its whole length.
type Scanner struct {
	macKey [32]byte
	base   uint64
	window int
	pow    uint64 // base^(window-1)
	filter []uint64
	byHash map[uint64][]known
}

// maxWindow bounds the rolling window: longer windows do not filter better.
const maxWindow = 16

// filterBits is the size of the window-hash bitset (128 KiB).
const filterBits = 1 << 20

// New makes a scanner for keys (the vault's), hashing each at once.
func New(keys []Key) (*Scanner, error) {
	s := &Scanner{byHash: map[uint64][]known{}, filter: make([]uint64, filterBits/64)}
	if _, err := rand.Read(s.macKey[:]); err != nil {
		return nil, fmt.Errorf("leak scan: %w", err)
	}
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, fmt.Errorf("leak scan: %w", err)
	}
	s.base = binary.LittleEndian.Uint64(b[:]) | 1<<40 | 1
	s.window = maxWindow
	for _, k := range keys {
		if len(k.Secret) >= minKnownLen {
			s.window = min(s.window, len(k.Secret))
		}
	}
	s.pow = 1
	for range s.window - 1 {
		s.pow *= s.base
	}
	for _, k := range keys {
		if len(k.Secret) < minKnownLen {
			continue // too short to tell from ordinary text
		}
		h := s.roll([]byte(k.Secret[:s.window]))
		s.filter[(h>>44)/64] |= 1 << ((h >> 44) % 64)
		s.byHash[h] = append(s.byHash[h], known{id: k.ID, name: k.Name, provider: k.Provider,
			masked: vault.Mask(k.Secret), length: len(k.Secret), mac: s.sum([]byte(k.Secret))})
	}
	for _, ks := range s.byHash {
		slices.SortFunc(ks, func(a, b known) int { return b.length - a.length }) // longest first
	}
	return s, nil
}

// minKnownLen is the shortest vault key looked for.
const minKnownLen = 8

func (s *Scanner) roll(b []byte) uint64 {
	var h uint64
	for _, c := range b {
		h = h*s.base + uint64(c)
	}
	return h
}

func (s *Scanner) sum(b []byte) [32]byte {
	m := hmac.New(sha256.New, s.macKey[:])
	m.Write(b)
	var out [32]byte
	m.Sum(out[:0])
	return out
}

// shape is a provider shape compiled to find keys inside text.
type shape struct {
	provider, name string
	weak           bool
	re             *regexp.Regexp
	// literal is what every match starts with ("" when nothing is sure):
	// a line without it is not searched.
	literal []byte
}

// keyChars may be part of a key; a shape's match must not touch one.
const keyChars = `A-Za-z0-9_\-`

var shapes = sync.OnceValue(func() []shape {
	var out []shape
	for _, p := range provider.All() {
		for _, sh := range p.Shapes {
			re := regexp.MustCompile(`(?:^|[^` + keyChars + `])(` + sh.Pattern + `)(?:[^` + keyChars + `]|$)`)
			lit, _ := regexp.MustCompile(sh.Pattern).LiteralPrefix()
			out = append(out, shape{provider: p.ID, name: p.Name, weak: sh.Weak, re: re, literal: []byte(lit)})
		}
	}
	return out
})

// keyWords are what a line holding a generic-shaped key is expected to say.
var keyWords = []string{"key", "token", "secret", "api", "auth", "bearer", "password", "passwd", "credential"}

// ScanLine returns the finds in one line of text, without path, line or
// fingerprint: for tests and for text that is not in a file.
func (s *Scanner) ScanLine(line []byte) []Find {
	finds, _ := s.scanLine(line)
	return finds
}

// scanLine is ScanLine with the span of each find in line.
func (s *Scanner) scanLine(line []byte) ([]Find, [][2]int) {
	var finds []Find
	var spans [][2]int // of the finds, so that no two overlap
	overlaps := func(a, b int) bool {
		for _, sp := range spans {
			if a < sp[1] && sp[0] < b {
				return true
			}
		}
		return false
	}
	// The vault's own keys: at each position, the longest key there.
	if len(s.byHash) > 0 && len(line) >= s.window {
		W := s.window
		h := s.roll(line[:W])
		for at := 0; ; at++ {
			if s.filter[(h>>44)/64]&(1<<((h>>44)%64)) != 0 {
				if k, ok := s.knownAt(line, at, h); ok && !overlaps(at, at+k.length) {
					finds = append(finds, Find{Provider: k.provider, Masked: k.masked, EntryID: k.id, EntryName: k.name})
					spans = append(spans, [2]int{at, at + k.length})
				}
			}
			if at+W >= len(line) {
				break
			}
			h = (h-uint64(line[at])*s.pow)*s.base + uint64(line[at+W])
		}
	}
	var lower []byte
	// No provider key is shorter than minShapeLen characters of a key's
	// alphabet: most lines of code have no such run, and end here.
	run := longestRun(line)
	if run < minShapeLen {
		return finds, spans
	}
	talks := -1 // whether the line speaks of keys: -1 not known yet
	for _, sh := range shapes() {
		if sh.weak && run < minWeakLen {
			continue
		}
		if len(sh.literal) > 0 && !bytes.Contains(line, sh.literal) {
			continue
		}
		if sh.weak {
			// A generic shape counts only on a line that speaks of keys:
			// asked once, before the (dear) search.
			if talks < 0 {
				lower = bytes.ToLower(line)
				talks = 0
				if speaksOfKeys(lower, shape{}) {
					talks = 1
				}
			}
			if talks == 0 && !speaksOfKeys(lower, sh) {
				continue
			}
		}
		for _, m := range sh.re.FindAllSubmatchIndex(line, -1) {
			a, b := m[2], m[3]
			if overlaps(a, b) {
				continue
			}
			key := line[a:b]
			// A prefix (DeepSeek's sk-) already sets the key apart from a
			// hash: only a shape with none needs mixed case.
			if sh.weak && !((len(sh.literal) > 0 || mixed(key)) && standsAlone(line, a, b) && speaksOfKeys(lower[max(0, a-weakContext):a], sh)) {
				continue
			}
			spans = append(spans, [2]int{a, b})
			finds = append(finds, Find{Provider: sh.provider, Masked: vault.Mask(string(key)), Weak: sh.weak})
		}
	}
	return finds, spans
}

// knownAt finds the vault key (the longest) that starts at line[at:],
// whose window hash is h.
func (s *Scanner) knownAt(line []byte, at int, h uint64) (known, bool) {
	for _, k := range s.byHash[h] {
		if at+k.length > len(line) {
			continue
		}
		mac := s.sum(line[at : at+k.length])
		if hmac.Equal(mac[:], k.mac[:]) {
			return k, true
		}
	}
	return known{}, false
}

// minShapeLen is the shortest key any provider shape takes (Slack's
// xoxb-1-abcdef is 13; with the dashes in the run that is the floor), and
// minWeakLen the shortest a generic shape takes (32).
const (
	minShapeLen = 13
	minWeakLen  = 32
)

// longestRun is the length of the longest run of characters keys are made
// of (letters, digits, _, -, .).
func longestRun(line []byte) int {
	best, n := 0, 0
	for _, c := range line {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.' {
			n++
			if n > best {
				best = n
			}
		} else {
			n = 0
		}
	}
	return best
}

// weakContext is how far before a generic-shaped match its line must
// speak of keys (OPENAI_API_KEY=, "token": , Authorization: Bearer).
const weakContext = 48

// standsAlone reports whether line[a:b] is not a piece of base64 (a data
// blob, an embedded image): no +, / or = right around it.
func standsAlone(line []byte, a, b int) bool {
	if a > 0 && (line[a-1] == '+' || line[a-1] == '/') {
		return false
	}
	return b >= len(line) || (line[b] != '+' && line[b] != '/' && line[b] != '=')
}

// mixed reports whether key has upper case, lower case and digits.
func mixed(key []byte) bool {
	var u, l, d bool
	for _, c := range key {
		switch {
		case c >= 'A' && c <= 'Z':
			u = true
		case c >= 'a' && c <= 'z':
			l = true
		case c >= '0' && c <= '9':
			d = true
		}
	}
	return u && l && d
}

// speaksOfKeys reports whether a (lower-cased) line mentions keys or the
// shape's provider.
func speaksOfKeys(lower []byte, sh shape) bool {
	for _, w := range keyWords {
		if bytes.Contains(lower, []byte(w)) {
			return true
		}
	}
	return sh.provider != "" && (bytes.Contains(lower, []byte(sh.provider)) || bytes.Contains(lower, []byte(strings.ToLower(sh.name))))
}

// ErrNotFolder: a root given to Scan is not a folder (or file) that exists.
var ErrNotFolder = errors.New("no such folder")

// Scan walks roots (folders, or files) and scans every file, ign marking
// the finds it accepts (nil: none). It stops at ctx's end, returning what
// it found so far with ctx's error.
func (s *Scanner) Scan(ctx context.Context, roots []string, ign *Ignore, opts Options) (Result, error) {
	if opts.MaxFileSize <= 0 {
		opts.MaxFileSize = DefaultMaxFileSize
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.NumCPU()
	}
	type job struct{ root, path string }
	jobs := make(chan job, 256)
	var mu sync.Mutex
	var res Result
	skip := func(path, why string) {
		mu.Lock()
		res.Skipped = append(res.Skipped, Skip{Path: path, Reason: why})
		mu.Unlock()
	}
	var wg sync.WaitGroup
	for range opts.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				if ctx.Err() != nil {
					continue
				}
				finds, n, why := s.scanFile(j.path, opts.MaxFileSize)
				if why != "" {
					skip(j.path, why)
					continue
				}
				rel := relSlash(j.root, j.path)
				for i := range finds {
					finds[i].Root, finds[i].Path = j.root, j.path
					finds[i].Accepted = ign.Has(j.root, finds[i].Fingerprint, rel)
					finds[i].Fingerprint = rel + ":" + finds[i].Fingerprint
				}
				mu.Lock()
				res.Finds = append(res.Finds, finds...)
				res.Files++
				res.Bytes += n
				files := res.Files
				mu.Unlock()
				if opts.Progress != nil && files%64 == 0 {
					opts.Progress(files)
				}
			}
		}()
	}
	var walkErr error
	for _, root := range roots {
		// A root given as a symbolic link is followed (the user named it);
		// links inside it are not.
		dir, file, err := resolveRoot(root)
		if err != nil {
			walkErr = err
			break
		}
		if file != "" {
			if info, err := os.Stat(file); err == nil && info.Mode().IsRegular() {
				jobs <- job{dir, file}
			} else {
				skip(root, "not a regular file")
			}
			continue
		}
		root := dir
		err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if err != nil {
				skip(path, "cannot be read: "+reason(err))
				if d != nil && d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			switch t := d.Type(); {
			case d.IsDir():
				if why, ok := skipDirs[d.Name()]; ok && path != root {
					skip(path, why)
					return fs.SkipDir
				}
			case t&fs.ModeSymlink != 0:
				skip(path, "a symbolic link (not followed)")
			case !t.IsRegular():
				skip(path, "not a regular file")
			case d.Name() == IgnoreFile:
			default:
				select {
				case jobs <- job{root, path}:
				case <-ctx.Done():
					return ctx.Err()
				}
			}
			return nil
		})
		if err != nil {
			walkErr = err
			break
		}
	}
	close(jobs)
	wg.Wait()
	if opts.Progress != nil {
		opts.Progress(res.Files)
	}
	slices.SortFunc(res.Finds, func(a, b Find) int {
		if c := strings.Compare(a.Path, b.Path); c != 0 {
			return c
		}
		return a.Line - b.Line
	})
	slices.SortFunc(res.Skipped, func(a, b Skip) int { return strings.Compare(a.Path, b.Path) })
	if walkErr == nil {
		walkErr = ctx.Err()
	}
	return res, walkErr
}

// scanFile scans one file: its finds (with Line and the line's hash as
// Fingerprint), the bytes read, or why it was skipped.
func (s *Scanner) scanFile(path string, limit int64) (finds []Find, n int64, skipped string) {
	f, err := openFile(path)
	if err != nil {
		return nil, 0, "cannot be read: " + reason(err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, 0, "cannot be read: " + reason(err)
	}
	if info.Size() > limit {
		return nil, 0, fmt.Sprintf("larger than %d MiB", limit>>20)
	}
	br := bufio.NewReaderSize(f, 64<<10)
	head, _ := br.Peek(8 << 10)
	if bytes.IndexByte(head, 0) >= 0 {
		return nil, 0, "binary"
	}
	line := 0
	for {
		text, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			// A line over 64 KiB (minified code): read it whole.
			rest, rerr := readRestOfLine(br, text)
			text, err = rest, rerr
		}
		if len(text) > 0 {
			line++
			n += int64(len(text))
			body := bytes.TrimRight(text, "\r\n")
			fds, spans := s.scanLine(body)
			if len(fds) > 0 {
				h := lineHash(body, fds, spans)
				for _, fd := range fds {
					fd.Line = line
					fd.Fingerprint = h
					finds = append(finds, fd)
				}
			}
		}
		if err == io.EOF {
			return finds, n, ""
		}
		if err != nil {
			return nil, 0, "cannot be read: " + reason(err)
		}
	}
}

func readRestOfLine(br *bufio.Reader, first []byte) ([]byte, error) {
	buf := bytes.Clone(first)
	for {
		more, err := br.ReadSlice('\n')
		buf = append(buf, more...)
		if !errors.Is(err, bufio.ErrBufferFull) {
			return buf, err
		}
	}
}

// lineHash is a find's line as its fingerprint keeps it: each key in it
// replaced by its masked form (so that a line that is just the key does
// not give a hash of the key to whoever reads the committed ignore file),
// trimmed of surrounding white space (re-indenting keeps it accepted), and
// hashed.
func lineHash(line []byte, finds []Find, spans [][2]int) string {
	var b []byte
	at := 0
	order := make([]int, len(spans))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(x, y int) int { return spans[x][0] - spans[y][0] })
	for _, i := range order {
		b = append(b, line[at:spans[i][0]]...)
		b = append(b, finds[i].Masked...)
		at = spans[i][1]
	}
	b = append(b, line[at:]...)
	h := sha256.Sum256(bytes.TrimFunc(b, unicode.IsSpace))
	return hex.EncodeToString(h[:12])
}

func relSlash(root, path string) string {
	rel, err := filepath.Rel(root, path)
	if err != nil {
		rel = path
	}
	return filepath.ToSlash(rel)
}

// reason is err without the path (which the skip already names).
func reason(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// ErrChanged: a find's line no longer holds its key (the file changed
// since the scan).
var ErrChanged = errors.New("the file changed since the scan: scan again")

// KeyOf reads a shaped find's key back from its file, for checking it
// with its provider: the scan keeps no key, so it is found again on the
// find's line, as the match whose masked form is the find's. It is for
// keys the vault does not hold (EntryID ""); the caller drops it after
// use.
func KeyOf(f Find) (string, error) {
	fh, err := openFile(f.Path)
	if err != nil {
		return "", err
	}
	defer fh.Close()
	br := bufio.NewReaderSize(fh, 64<<10)
	for n := 1; ; n++ {
		text, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			text, err = readRestOfLine(br, text)
		}
		if n == f.Line {
			line := bytes.TrimRight(text, "\r\n")
			for _, sh := range shapes() {
				if sh.provider != f.Provider {
					continue
				}
				for _, m := range sh.re.FindAllSubmatchIndex(line, -1) {
					if key := string(line[m[2]:m[3]]); vault.Mask(key) == f.Masked {
						return key, nil
					}
				}
			}
			return "", ErrChanged
		}
		if err != nil {
			return "", ErrChanged
		}
	}
}

// FromEntries makes a scanner for the keys of entries (the vault's).
func FromEntries(entries []vault.Entry) (*Scanner, error) {
	keys := make([]Key, len(entries))
	for i, e := range entries {
		keys[i] = Key{ID: e.ID, Name: e.Name, Secret: e.Secret, Provider: e.Provider}
	}
	s, err := New(keys)
	clear(keys)
	return s, err
}

// Verdict is what asking a find's provider about its key says.
type Verdict struct {
	Live  bool   // the provider takes the key: whoever owns it must revoke it
	Dead  bool   // the provider refuses it
	Words string // the verdict in words, never the key
}

// CheckFind reads a find's key back from its file (KeyOf) and asks its
// provider, with checker's one free, read-only request, whether it is
// live. It is for keys the vault does not hold.
func CheckFind(ctx context.Context, checker *check.Checker, f Find) Verdict {
	key, err := KeyOf(f)
	if err != nil {
		return Verdict{Words: "not checked: " + err.Error()}
	}
	res := checker.Check(ctx, check.Target{Provider: f.Provider, Secret: key})
	switch res.Outcome {
	case check.Valid, check.NoCredit, check.RateLimited, check.NoPermission:
		return Verdict{Live: true, Words: "LIVE (" + res.Outcome.Words() + "): whoever owns it must revoke it"}
	case check.Invalid:
		return Verdict{Dead: true, Words: "dead: the provider refuses it"}
	}
	return Verdict{Words: "could not check (" + res.Detail + ")"}
}
