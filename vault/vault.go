// Package vault is Keyshelf's model: the entries, the encrypted vault file
// (see package format), safe storage and device keys. It never imports a GUI
// toolkit; the window and the command line are both built on it.
package vault

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"keyshelf/vault/format"
	"keyshelf/vault/keychain"
	"keyshelf/vault/store"
)

// MaxFileSize is the largest vault file Open reads.
const MaxFileSize = 256 << 20

// Options are the parts of the outside world a vault uses. The zero value
// works: the real clock, crypto/rand, the default KDF parameters, no keychain.
type Options struct {
	// Keychain holds device keys; nil means there is none.
	Keychain keychain.Keychain
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Rand is the source of randomness; nil means crypto/rand.
	Rand io.Reader
	// KDF are the Argon2id parameters for new passphrase slots; zero means
	// format.DefaultParams. A vault whose passphrase slot is weaker is
	// re-wrapped with these when opened with its passphrase.
	KDF format.Params
	// Source names this program in the entries' access logs (edits,
	// rotations); empty means SourceWindow.
	Source Source
}

func (o Options) withDefaults() Options {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Rand == nil {
		o.Rand = rand.Reader
	}
	if o.KDF == (format.Params{}) {
		o.KDF = format.DefaultParams
	}
	if o.Source == "" {
		o.Source = SourceWindow
	}
	return o
}

// Vault is an unlocked vault. Its methods are safe for concurrent use.
type Vault struct {
	mu     sync.Mutex
	path   string
	file   string // the real file path names (store.Resolve): saves, backup and lock are its
	roErr  error  // why the vault is read-only (*ReadOnlyError); nil when writable
	opts   Options
	lock   *store.Lock // nil when open read-only
	header *format.Header
	dek    []byte
	// kek is the passphrase slot's key while it is known (the vault was
	// opened or created with the passphrase, or ConfirmPassphrase was
	// called): re-keying on Forget needs it. Cleared on Close.
	kek    []byte
	doc    document
	index  []searchKey // search keys parallel to doc.entries; nil when stale
	hits   []searchHit // Search's scratch space, reused under mu
	closed bool
	// logOnly marks the next save as bookkeeping only (access log, check
	// results): it keeps the .bak of the last real change.
	logOnly bool
	// warning is a save's warning not yet taken (see TakeSaveWarning);
	// atomic, so that the window can take it without waiting for a save.
	warning atomic.Pointer[store.SyncWarning]
	// seen is what the file held when this copy last read or wrote it
	// (see reload.go); nil before the first save of a new vault.
	seen *fileSeen
}

// Create makes a new, empty vault at path, creating its folder (mode 0700)
// if needed. It refuses to replace an existing file. When path is a
// symbolic link that points at nothing yet, Create makes the file it points
// at (and that file's folder) and keeps the link.
func Create(path, passphrase string, opts Options) (*Vault, error) {
	opts = opts.withDefaults()
	if passphrase == "" {
		return nil, ErrEmptyPassphrase
	}
	file, err := store.Resolve(path)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
		return nil, fmt.Errorf("create the vault's folder: %w", err)
	}
	// Again, now that the folder exists: its own real path.
	if file, err = store.Resolve(file); err != nil {
		return nil, err
	}
	lock, err := tryLock(file)
	if err != nil {
		if notWritable(err) {
			return nil, fmt.Errorf("create the vault: the folder %s is not writable: %w", filepath.Dir(file), err)
		}
		return nil, err
	}
	if lock == nil {
		return nil, &ReadOnlyError{Kind: HeldElsewhere, Path: file}
	}
	if _, err := os.Lstat(file); !errors.Is(err, fs.ErrNotExist) {
		lock.Unlock()
		if err == nil {
			return nil, fmt.Errorf("%w: %s", ErrExists, path)
		}
		return nil, err
	}
	h, dek, err := format.NewHeader(passphrase, opts.KDF, opts.Rand)
	if err != nil {
		lock.Unlock()
		return nil, err
	}
	kek, err := format.DeriveKEK(passphrase, h.Salt[:], h.KDF)
	if err != nil {
		lock.Unlock()
		return nil, err
	}
	v := &Vault{path: path, file: file, opts: opts, lock: lock, header: h, dek: dek, kek: kek}
	if err := v.save(); err != nil {
		lock.Unlock()
		return nil, err
	}
	return v, nil
}

// Open unlocks the vault at path with its passphrase. When another running
// copy holds the vault's lock, or the vault's folder or file is not
// writable, the vault opens read-only (see ReadOnly and ReadOnlyReason).
func Open(path, passphrase string, opts Options) (*Vault, error) {
	v, f, err := openFile(path, opts)
	if err != nil {
		return nil, err
	}
	kek, err := format.DeriveKEK(passphrase, f.Header.Salt[:], f.Header.KDF)
	if err != nil {
		v.lock.Unlock()
		return nil, err
	}
	dek, err := format.UnwrapKey(f.Header, &f.Header.Passphrase, kek, ErrWrongPassphrase)
	if err != nil {
		clear(kek)
		v.lock.Unlock()
		return nil, err
	}
	if err := v.load(f, dek); err != nil {
		clear(kek)
		return nil, err
	}
	v.kek = kek
	if v.lock != nil && v.header.KDF.WeakerThan(v.opts.KDF) {
		// Strengthen the passphrase slot now that we have the passphrase.
		// A failure leaves the vault as it was; the next unlock tries again.
		old := *v.header
		if err := format.SetPassphrase(v.header, v.dek, passphrase, v.opts.KDF, v.opts.Rand); err != nil || v.save() != nil {
			*v.header = old
		} else if k, err := format.DeriveKEK(passphrase, v.header.Salt[:], v.header.KDF); err == nil {
			clear(v.kek)
			v.kek = k
		} else {
			clear(v.kek)
			v.kek = nil
		}
	}
	return v, nil
}

// OpenWithDevice unlocks the vault at path with a device key that this
// device's keychain holds for one of the vault's keychain slots. It returns
// ErrNoDeviceKey when there is none (wrapping keychain.ErrUnavailable when
// the keychain could not be asked).
func OpenWithDevice(path string, opts Options) (*Vault, error) {
	v, f, err := openFile(path, opts)
	if err != nil {
		return nil, err
	}
	dek, err := v.unlockDevice(f)
	if err != nil {
		v.lock.Unlock()
		return nil, err
	}
	if err := v.load(f, dek); err != nil {
		return nil, err
	}
	return v, nil
}

func (v *Vault) unlockDevice(f *format.File) ([]byte, error) {
	if v.opts.Keychain == nil {
		return nil, fmt.Errorf("%w: %w", ErrNoDeviceKey, keychain.ErrUnavailable)
	}
	var kcErr error
	for _, s := range f.Header.Keychain {
		enc, err := v.opts.Keychain.Get(keychainUser(f.Header, s.Label))
		if err != nil {
			if !errors.Is(err, keychain.ErrNotFound) {
				kcErr = err
			}
			continue
		}
		key, err := base64.StdEncoding.DecodeString(enc)
		if err != nil || len(key) != format.KeySize {
			continue
		}
		dek, err := f.UnlockDevice(s.Label, key)
		clear(key)
		if err == nil {
			return dek, nil
		}
	}
	if kcErr != nil {
		return nil, fmt.Errorf("%w: %w", ErrNoDeviceKey, kcErr)
	}
	return nil, ErrNoDeviceKey
}

// openFile takes the lock if it can, reads and parses the file. It runs no KDF.
// A path that is a link is resolved once, here: the lock, the reads and every
// save are the real file's, so opening through the link and through the real
// path share one lock.
func openFile(path string, opts Options) (*Vault, *format.File, error) {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, nil, fmt.Errorf("%w: %s", ErrNoVault, path)
	}
	file, err := store.Resolve(path)
	if err != nil {
		return nil, nil, err
	}
	v := &Vault{path: path, file: file, opts: opts.withDefaults()}
	if lock, why := takeLock(file); why != nil {
		v.roErr = why
	} else {
		v.lock = lock
	}
	data, err := readFile(file)
	if err != nil {
		v.lock.Unlock()
		return nil, nil, err
	}
	f, err := format.Parse(data)
	if err != nil {
		v.lock.Unlock()
		return nil, nil, err
	}
	if v.lock != nil {
		store.RemoveStaleTemps(file)
	}
	v.remember(data)
	return v, f, nil
}

// parseFile reads and parses the vault file at path (header validated,
// payload still sealed).
func parseFile(path string) (*format.File, error) {
	data, err := readFile(path)
	if err != nil {
		return nil, err
	}
	return format.Parse(data)
}

// readFile reads a vault file whole, refusing one over MaxFileSize. The
// buffer is sized from the file's size, so that a 2.5 MB vault is read into
// one allocation instead of the dozen io.ReadAll would grow through; a file
// that grows while it is read still reads whole, up to the limit.
func readFile(path string) ([]byte, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	size := 512
	if fi, err := fh.Stat(); err == nil && fi.Size() > 0 {
		size = int(min(fi.Size(), MaxFileSize)) + 1 // +1: EOF is seen without a grow
	}
	data := make([]byte, 0, size)
	for {
		n, err := fh.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if len(data) > MaxFileSize {
			return nil, fmt.Errorf("%w: the file is larger than %d MiB", ErrCorrupt, MaxFileSize>>20)
		}
		if err == io.EOF {
			return data, nil
		}
		if err != nil {
			return nil, err
		}
		if len(data) == cap(data) {
			data = slices.Grow(data, min(cap(data), MaxFileSize+1-len(data)))
		}
	}
}

// load decrypts and decodes the payload.
func (v *Vault) load(f *format.File, dek []byte) error {
	pt, err := f.Decrypt(dek)
	if err != nil {
		v.lock.Unlock()
		return err
	}
	doc, err := decodeDocument(pt)
	clear(pt)
	if err != nil {
		v.lock.Unlock()
		return err
	}
	v.header, v.dek, v.doc = f.Header, dek, doc
	return nil
}

// The store's writes; tests replace them to simulate a file system.
var (
	writeFile              = store.WriteFile
	writeFileKeepingBackup = store.WriteFileKeepingBackup
)

// save seals the document and replaces the file. Callers hold v.mu.
func (v *Vault) save() error {
	logOnly := v.logOnly
	v.logOnly = false
	if v.lock == nil {
		return v.readOnlyErr()
	}
	if err := v.catchUp(); err != nil {
		return &SaveError{Err: err}
	}
	data, err := v.seal(v.header, v.dek)
	if err != nil {
		return &SaveError{Err: err}
	}
	return v.replace(v.file, data, !logOnly)
}

// replace writes data over file, keeping the previous version as its .bak
// when backup is set. A refused folder sync after the rename is a success
// (the new file is in place, and memory must keep matching it); the caller
// is told once, through TakeSaveWarning. Other failures are *SaveError.
func (v *Vault) replace(file string, data []byte, backup bool) error {
	write := writeFile
	if !backup {
		write = writeFileKeepingBackup
	}
	if err := write(file, data); err != nil {
		var sw *store.SyncWarning
		if errors.As(err, &sw) {
			v.warning.Store(sw)
			v.rememberIf(file, data)
			return nil
		}
		return &SaveError{Err: err}
	}
	v.rememberIf(file, data)
	return nil
}

// seal encodes the document and seals it under h and dek, then reads the
// result back as Open would (parse, decrypt, decode) and refuses it unless
// it gives the same entries: nothing is written that would not open again.
func (v *Vault) seal(h *format.Header, dek []byte) ([]byte, error) {
	pt := v.doc.encode()
	defer clear(pt)
	data, err := format.Seal(h, dek, pt, v.opts.Rand)
	if err != nil {
		return nil, err
	}
	if err := v.readsBack(data, dek); err != nil {
		return nil, err
	}
	return data, nil
}

// errNoReadBack: a sealed vault did not read back; it was not written.
var errNoReadBack = errors.New("the new version would not open again, so it was not written")

// readsBack checks that data opens with dek and holds the document's entries.
func (v *Vault) readsBack(data, dek []byte) error {
	f, err := format.Parse(data)
	if err != nil {
		return fmt.Errorf("%w: %w", errNoReadBack, err)
	}
	pt, err := f.Decrypt(dek)
	if err != nil {
		return fmt.Errorf("%w: %w", errNoReadBack, err)
	}
	doc, err := decodeDocument(pt)
	clear(pt)
	if err != nil {
		return fmt.Errorf("%w: %w", errNoReadBack, err)
	}
	if len(doc.entries) != len(v.doc.entries) {
		return fmt.Errorf("%w: it holds %d keys instead of %d", errNoReadBack, len(doc.entries), len(v.doc.entries))
	}
	for i := range doc.entries {
		a, b := &doc.entries[i], &v.doc.entries[i]
		if a.ID != b.ID || a.Name != b.Name || a.Secret != b.Secret || a.KeyID != b.KeyID || a.Notes != b.Notes || a.EnvName != b.EnvName ||
			!slices.Equal(a.Tags, b.Tags) && len(a.Tags)+len(b.Tags) > 0 || len(a.History) != len(b.History) || len(a.Log) != len(b.Log) || len(a.Exposed) != len(b.Exposed) {
			return fmt.Errorf("%w: key %d does not read back as written", errNoReadBack, i+1)
		}
	}
	return nil
}

// TakeSaveWarning returns the warning of a save that succeeded with a
// caveat, if one did since the last call, and clears it, so that the window
// or the command line mentions it once. The only warning is a
// *store.SyncWarning: the file system did not confirm the folder write
// (some FUSE and network file systems refuse fsync on a folder); the file
// holds the change all the same.
func (v *Vault) TakeSaveWarning() error {
	if w := v.warning.Swap(nil); w != nil {
		return w
	}
	return nil
}

// Save writes the vault to disk now. Every change already saves; Save is for
// retrying and for tools.
func (v *Vault) Save() error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.closed {
		return ErrClosed
	}
	return v.save()
}

// Path is the vault file's path, as given to Open or Create (a symbolic link
// stays a link; saves go to the file it points at).
func (v *Vault) Path() string { return v.path }

// File is the real file the vault is saved to: Path with symbolic links
// resolved. Sync services leave their conflict copies beside it, and a
// watch for changes from outside watches it.
func (v *Vault) File() string { return v.file }

// BackupPath is where saves keep the previous version of the vault at path:
// beside the real file when path is a symbolic link.
func BackupPath(path string) string {
	if file, err := store.Resolve(path); err == nil {
		path = file
	}
	return store.BackupPath(path)
}

// ID is the vault's id, 32 hex digits.
func (v *Vault) ID() string {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.header == nil {
		return ""
	}
	return v.header.IDString()
}

// ReadOnly reports whether this copy cannot save the vault: another running
// copy holds its lock, or its folder or file is not writable. ReadOnlyReason
// says which.
func (v *Vault) ReadOnly() bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.lock == nil
}

// ReadOnlyReason says why the vault is read-only: a *ReadOnlyError (which
// errors.Is ErrReadOnly), ErrClosed once the vault is locked, or nil when it
// can be saved.
func (v *Vault) ReadOnlyReason() error {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.readOnlyErr()
}

// readOnlyErr is ReadOnlyReason for callers that hold v.mu.
func (v *Vault) readOnlyErr() error {
	switch {
	case v.closed:
		return ErrClosed
	case v.lock != nil:
		return nil
	case v.roErr != nil:
		return v.roErr
	}
	return ErrReadOnly
}

// KDF returns the parameters of the passphrase slot.
func (v *Vault) KDF() format.Params {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.header.KDF
}

// Close locks the vault: it drops the decrypted entries and the data key from
// memory and releases the file lock. Further calls return ErrClosed.
func (v *Vault) Close() error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.closed {
		return nil
	}
	v.closed = true
	clear(v.dek)
	clear(v.kek)
	v.kek = nil
	for i := range v.doc.entries {
		v.doc.entries[i] = Entry{}
	}
	v.doc, v.index, v.dek = document{}, nil, nil
	err := v.lock.Unlock()
	v.lock = nil
	return err
}

// usable reports why the vault cannot be changed now, if it cannot.
func (v *Vault) usable() error {
	if v.closed {
		return ErrClosed
	}
	if v.lock == nil {
		return v.readOnlyErr() // matches ErrReadOnly, and says why
	}
	return nil
}

// Info is what can be read from a vault file without unlocking it.
type Info struct {
	ID             string
	KDF            format.Params
	KeychainLabels []string
}

// Peek reads the unencrypted header of the vault at path.
func Peek(path string) (Info, error) {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return Info{}, fmt.Errorf("%w: %s", ErrNoVault, path)
	}
	data, err := readFile(path)
	if err != nil {
		return Info{}, err
	}
	h, _, err := format.ParseHeader(data)
	if err != nil {
		return Info{}, err
	}
	info := Info{ID: h.IDString(), KDF: h.KDF}
	for _, s := range h.Keychain {
		info.KeychainLabels = append(info.KeychainLabels, s.Label)
	}
	return info, nil
}
