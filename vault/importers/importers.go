// Package importers reads the files keys arrive in (.env files now; the
// password managers' exports next) into one list of candidates, which the
// import preview shows and the user ticks. Nothing here writes the vault or
// changes the file read.
//
// Every reader decides per value whether it is an API key: a value with a
// provider's shape is; a value in a field or variable whose name says key,
// token or secret is when it looks like one (long enough, no spaces, not a
// number or a word); website logins and plain settings are not, and come
// unticked.
package importers

import (
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode"

	"keyshelf/vault"
	"keyshelf/vault/provider"
)

// Candidate is one value an import found.
type Candidate struct {
	// Name is the entry name proposed (the variable's or the item's name).
	Name string
	// Secret is the value; it is shown masked only.
	Secret string
	// Provider is the detected provider ID, or "".
	Provider string
	// EnvName is the environment variable it came from ("" when none).
	EnvName string
	// Source says where in the file it was, such as "line 12".
	Source string
	// Key reports whether it looks like an API key (ticked in the preview);
	// Why says in a few words what made the call, without the value.
	Key bool
	Why string

	// What a password manager's item carries over (zero in .env files).
	Notes   string
	Tags    []string
	Created time.Time // zero: unknown
	Expires time.Time // zero: does not expire
	// History holds the value's earlier versions, oldest first, each with
	// when it was replaced (Until) where the export says; From is zero.
	History []vault.OldSecret

	// Entry is the whole entry when the candidate comes from a Keyshelf
	// backup (FromBackup): its draft then carries everything a draft
	// can, the key ID, address, check, rotation and "used by" included.
	Entry *vault.Entry
}

// addOld appends an earlier value replaced at until (zero: unknown) to h,
// unless it is empty, the current value or already there.
func addOld(h []vault.OldSecret, current, old string, until time.Time) []vault.OldSecret {
	if old == "" || old == current || slices.ContainsFunc(h, func(o vault.OldSecret) bool { return o.Secret == old }) {
		return h
	}
	return append(h, vault.OldSecret{Secret: old, Until: until})
}

// keyNameSuffixes are the ends of variable and field names that hold keys.
var keyNameSuffixes = []string{"_API_KEY", "_APIKEY", "_KEY", "_TOKEN", "_SECRET", "_PAT", "_ACCESS_KEY", "_SECRET_KEY", "_AUTH"}

// keyNames are whole names that hold keys.
var keyNames = []string{"API_KEY", "APIKEY", "TOKEN", "SECRET", "ACCESS_TOKEN", "AUTH_TOKEN", "SECRET_KEY"}

// keyName reports whether a variable or field name says it holds a key.
func keyName(name string) bool {
	up := strings.ToUpper(strings.NewReplacer("-", "_", ".", "_", " ", "_").Replace(name))
	for _, n := range keyNames {
		if up == n {
			return true
		}
	}
	for _, s := range keyNameSuffixes {
		if strings.HasSuffix(up, s) {
			return true
		}
	}
	return false
}

// keyLike reports whether a value could be a key: at least 16 characters,
// no whitespace, not a number, a URL or a path, and with both letters and
// digits, or a long run of one of them.
func keyLike(v string) bool {
	if len(v) < 16 || len(v) > 4096 || strings.ContainsFunc(v, unicode.IsSpace) {
		return false
	}
	if strings.Contains(v, "://") || strings.HasPrefix(v, "/") {
		return false
	}
	var letters, digits int
	for _, r := range v {
		switch {
		case unicode.IsLetter(r):
			letters++
		case unicode.IsDigit(r):
			digits++
		}
	}
	if letters == 0 {
		return false
	}
	return digits > 0 || len(v) >= 32
}

// Classify decides whether the value found under name is an API key, and
// names its provider when its shape says so. why never holds the value.
func Classify(name, value string) (key bool, providerID, why string) {
	if id, _, ok := provider.Identify(value); ok {
		return true, id, "has the shape of a " + provider.Name(id) + " key"
	}
	if u, err := url.Parse(strings.TrimSpace(value)); err == nil && u.Scheme != "" && u.Host != "" {
		if pw, ok := u.User.Password(); ok && pw != "" {
			return true, "", "an address with a password in it"
		}
	}
	if keyName(name) {
		if keyLike(value) {
			return true, "", "its name says it is a key"
		}
		return false, "", "its name says key, but the value does not look like one"
	}
	return false, "", "a setting, not a key"
}
