// Package check tests API keys against their providers with one free,
// read-only request each, and says what the answer means: valid, invalid,
// out of credit, rate limited, valid without permission for the call, or
// could not tell. It never calls a key invalid on a 429, a 5xx, a timeout or
// an answer it does not understand, never follows a redirect (which could
// carry the key to another host), and never puts a key in an error or a
// result. It is plain Go: the window runs it off its UI goroutine.
package check

import (
	"errors"
	"net"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"keyshelf/vault/provider"
)

// KeyPlaceholder stands for the key in a header value template.
const KeyPlaceholder = provider.KeyPlaceholder

// Outcome is what a check found.
type Outcome string

// The outcomes; their strings are stored in the vault and printed by
// `keyshelf test`.
const (
	Valid        Outcome = "valid"         // the provider accepted the key
	Invalid      Outcome = "invalid"       // revoked, expired, disabled or wrong
	NoCredit     Outcome = "no-credit"     // quota or balance exhausted
	RateLimited  Outcome = "rate-limited"  // too many requests; try later
	NoPermission Outcome = "no-permission" // a real key that may not make the checked call
	Unknown      Outcome = "unknown"       // could not check: network, timeout, unexpected answer
)

// Outcomes lists every outcome, best first.
var Outcomes = []Outcome{Valid, NoPermission, RateLimited, NoCredit, Unknown, Invalid}

// Known reports whether o is one of the outcomes above.
func (o Outcome) Known() bool {
	for _, k := range Outcomes {
		if o == k {
			return true
		}
	}
	return false
}

// Result is what one check found, plus what the answer told for free.
// Strings from the provider's answer are cleaned (no control characters,
// at most 120 characters) and never contain the key.
type Result struct {
	Outcome Outcome
	// Detail is the reason, for people: "HTTP 503 (server error)",
	// "timeout", "insufficient_quota", "redirected; not followed".
	Detail string
	// Account is the account, user or key name the provider reported.
	Account string
	// Scopes are the key's scopes or role, as the provider lists them.
	Scopes string
	// Expires is when the key expires, if the provider said; else zero.
	Expires time.Time
	// Credit is the remaining credit or balance, if the provider said.
	Credit string
	// Checked is when the check ran (UTC, whole seconds). It is zero when
	// the check did not run to an answer because it was cancelled: such a
	// result says nothing about the key and is not to be recorded.
	Checked time.Time
}

// Cancelled reports whether the check was cancelled before it had an answer.
func (r Result) Cancelled() bool { return r.Checked.IsZero() }

// Summary is the details in one line: the reason, then what the provider
// told (account, scopes, expiry, credit), separated by "; ".
func (r Result) Summary() string {
	var parts []string
	add := func(label, s string) {
		if s != "" {
			parts = append(parts, label+s)
		}
	}
	add("", r.Detail)
	add("account ", r.Account)
	add("scopes ", r.Scopes)
	if !r.Expires.IsZero() {
		add("expires ", r.Expires.UTC().Format("2006-01-02"))
	}
	add("credit ", r.Credit)
	return strings.Join(parts, "; ")
}

// Custom is how to check a key of the custom provider: a GET of URL with
// Header set to Value, where KeyPlaceholder ("{key}") in Value stands for
// the key. ValidStatus means valid; 401 means invalid, 429 rate limited,
// and anything else could not check.
type Custom struct {
	URL         string
	Header      string
	Value       string
	ValidStatus int
}

// Errors from validating a base URL or a custom check.
var (
	// ErrBadURL: not an absolute http(s) address with a host.
	ErrBadURL = errors.New("not a web address (expected https://host/...)")
	// ErrInsecureURL: plain http to a host other than this computer.
	ErrInsecureURL = errors.New("plain http is allowed only for this computer (localhost, 127.0.0.0/8, ::1); use https")
	// ErrBadCustom: the custom check is incomplete or malformed.
	ErrBadCustom = errors.New("the custom check is incomplete")
)

// ValidateBaseURL checks an address a key may be sent to: https, or plain
// http only to a loopback address (localhost, 127.0.0.0/8, ::1). It allows
// no user name, password, query or fragment, and returns the URL trimmed,
// without a trailing slash. An empty string stays empty (the default).
func ValidateBaseURL(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	u, err := checkURL(s)
	if err != nil {
		return "", err
	}
	if u.RawQuery != "" || u.ForceQuery {
		return "", ErrBadURL
	}
	if u.Scheme == "http" {
		s = u.String() // the host in its one spelling
	}
	return strings.TrimRight(s, "/"), nil
}

// checkURL parses s and applies the scheme and host rules. A plain-http
// URL comes back with its loopback host in one spelling ("localhost",
// "127.0.0.1", "[::1]": lower case, no trailing dot), so that what is
// checked is what is sent.
func checkURL(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.User != nil || u.Fragment != "" || u.Opaque != "" || strings.Contains(s, KeyPlaceholder) {
		return nil, ErrBadURL
	}
	switch u.Scheme { // url.Parse lower-cases it
	case "https":
	case "http":
		host, ok := loopbackHost(u.Hostname())
		if !ok {
			return nil, ErrInsecureURL
		}
		switch port := u.Port(); {
		case port != "":
			u.Host = net.JoinHostPort(host, port)
		case strings.Contains(host, ":"):
			u.Host = "[" + host + "]"
		default:
			u.Host = host
		}
	default:
		return nil, ErrBadURL
	}
	return u, nil
}

// IsLoopback reports whether host (without a port) names this computer:
// "localhost" or a loopback IP address, in any case, with or without a
// trailing dot.
func IsLoopback(host string) bool {
	_, ok := loopbackHost(host)
	return ok
}

// loopbackHost returns a host (without a port) that names this computer in
// its canonical spelling: "localhost", or the IP address (IPv4 for an
// IPv4-mapped one, without a zone).
func loopbackHost(host string) (string, bool) {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	if host == "localhost" {
		return host, true
	}
	a, err := netip.ParseAddr(host)
	if err != nil || !a.Unmap().IsLoopback() {
		return "", false
	}
	return a.Unmap().WithZone("").String(), true
}

// Validate checks a custom check and returns it cleaned.
func (c Custom) Validate() (Custom, error) {
	c.URL = strings.TrimSpace(c.URL)
	c.Header = strings.TrimSpace(c.Header)
	c.Value = strings.TrimSpace(c.Value)
	if c.URL == "" || c.Header == "" || c.Value == "" {
		return Custom{}, ErrBadCustom
	}
	u, err := checkURL(c.URL)
	if err != nil {
		return Custom{}, err
	}
	if u.Scheme == "http" {
		c.URL = u.String()
	}
	if !isToken(c.Header) {
		return Custom{}, errors.New("the custom check's header name may hold only letters, digits and -")
	}
	if strings.Count(c.Value, KeyPlaceholder) != 1 || strings.ContainsAny(c.Value, "\r\n") {
		return Custom{}, errors.New("the custom check's header value must hold {key} once, on one line")
	}
	if c.ValidStatus == 0 {
		c.ValidStatus = 200
	}
	if c.ValidStatus < 200 || c.ValidStatus > 299 {
		return Custom{}, errors.New("the custom check's valid status must be from 200 to 299")
	}
	return c, nil
}

func isToken(s string) bool {
	for _, r := range s {
		if !(r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return s != ""
}

// Target is a key to check. vault.Entry.Target makes one from an entry.
type Target struct {
	Provider string // a provider ID, or "custom"
	Secret   string // the key
	// KeyID is the public half of a two-part credential (a Twilio SID, an
	// AWS access key id); "" for a one-part key.
	KeyID   string
	BaseURL string  // replaces the provider's default base URL when set
	Custom  *Custom // the custom provider's check; nil for none
}
