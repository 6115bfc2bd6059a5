package check

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"keyshelf/vault/provider"
)

// Timeout is the production client's limit for one whole check: connect,
// send, and read the answer.
const Timeout = 10 * time.Second

// MaxBody is the most of an answer's body a check reads.
const MaxBody = 1 << 20

// DefaultConcurrency is how many checks CheckAll runs at once when asked
// for 0.
const DefaultConcurrency = 8

// Checker checks keys. The zero value is not ready; use New, then replace
// fields in tests. Its methods are safe for concurrent use once set up.
type Checker struct {
	// Client sends the requests. Whatever its settings, a Checker never
	// follows a redirect, a zero Timeout becomes the package's Timeout, and
	// a plain-http check (only ever to this computer) goes through no proxy:
	// an *http.Transport's Proxy is not used for it. (A RoundTripper of
	// another kind is the caller's to keep direct.)
	Client *http.Client
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Bases replaces providers' default base URLs, by provider ID (for
	// tests against loopback servers). An entry's own base URL wins.
	Bases map[string]string
	// UserAgent is sent with every check.
	UserAgent string

	directMu sync.Mutex
	directs  map[*http.Transport]*http.Transport // each client transport without its proxy
}

// New returns a Checker for production: its own HTTP client (proxy settings
// from the environment, a 10-second overall timeout), the real clock.
func New() *Checker {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = DefaultConcurrency
	tr.Proxy = func(r *http.Request) (*url.URL, error) {
		if r.URL.Scheme != "https" {
			return nil, nil // the key would cross the proxy in clear text
		}
		return http.ProxyFromEnvironment(r)
	}
	return &Checker{Client: &http.Client{Transport: tr, Timeout: Timeout}, UserAgent: "Keyshelf"}
}

// client returns the Checker's client, made never to follow redirects and,
// for plain http, never to use a proxy.
func (c *Checker) client(plain bool) *http.Client {
	var cl http.Client
	if c.Client != nil {
		cl = *c.Client
	}
	if cl.Timeout == 0 {
		cl.Timeout = Timeout
	}
	cl.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	if plain {
		cl.Transport = c.direct(cl.Transport)
	}
	return &cl
}

// direct returns rt for plain http: for an *http.Transport, a clone without
// a proxy that connects only to loopback addresses (made once per
// transport, so its connections are reused).
func (c *Checker) direct(rt http.RoundTripper) http.RoundTripper {
	if rt == nil {
		rt = http.DefaultTransport
	}
	tr, ok := rt.(*http.Transport)
	if !ok {
		return rt
	}
	c.directMu.Lock()
	defer c.directMu.Unlock()
	d := c.directs[tr]
	if d == nil {
		d = tr.Clone()
		d.Proxy = nil
		dial := d.DialContext
		if dial == nil {
			dial = (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext
		}
		d.DialContext = loopbackOnly(dial)
		if c.directs == nil {
			c.directs = map[*http.Transport]*http.Transport{}
		}
		c.directs[tr] = d
	}
	return d
}

func (c *Checker) now() time.Time { return c.clock().Truncate(time.Second) }

// clock is the current time in UTC, to the nanosecond.
func (c *Checker) clock() time.Time {
	now := time.Now
	if c.Now != nil {
		now = c.Now
	}
	return now().UTC()
}

// request is one check to send.
type request struct {
	spec provider.Check
	url  string
	// ownBase: the URL is under the entry's own base URL (a gateway), not
	// the provider's.
	ownBase bool
}

// plan finds how to check t, or says why there is no check.
func (c *Checker) plan(t Target) (request, string) {
	if t.Provider == provider.Custom {
		if t.Custom == nil {
			return request{}, "no check set up for this custom key"
		}
		cu, err := t.Custom.Validate()
		if err != nil {
			return request{}, "custom check: " + err.Error()
		}
		return request{url: cu.URL, spec: provider.Check{Method: "GET", Header: cu.Header, Value: cu.Value,
			Valid: []int{cu.ValidStatus}, Invalid: []int{401}}}, ""
	}
	p, ok := provider.Get(t.Provider)
	if !ok || !p.Check.Exists() {
		return request{}, "Keyshelf has no check for this provider"
	}
	if p.TwoPart() && t.KeyID == "" {
		return request{}, "needs the key ID"
	}
	base := p.Check.Base
	if b, ok := c.Bases[p.ID]; ok && b != "" {
		base = b
	}
	own := false
	if t.BaseURL != "" {
		b, err := ValidateBaseURL(t.BaseURL)
		if err != nil {
			return request{}, "base URL: " + err.Error()
		}
		base, own = b, !strings.EqualFold(b, strings.TrimRight(p.Check.Base, "/"))
	}
	return request{spec: p.Check, url: strings.TrimRight(base, "/") + p.Check.Path, ownBase: own}, ""
}

// Check checks one key. It always returns a result; problems are an Unknown
// outcome with the reason in Detail. A cancelled ctx gives a result whose
// Checked is zero.
func (c *Checker) Check(ctx context.Context, t Target) Result {
	res := c.check(ctx, t)
	if res != cancelled {
		res.Checked = c.now()
	}
	res.scrub(t.Secret)
	return res
}

func (c *Checker) check(ctx context.Context, t Target) Result {
	if err := ctx.Err(); err != nil {
		return cancelled
	}
	rq, why := c.plan(t)
	if why != "" {
		return Result{Outcome: Unknown, Detail: why}
	}
	if t.Secret == "" || strings.ContainsFunc(t.Secret, unicode.IsControl) {
		return Result{Outcome: Invalid, Detail: "the key is empty or holds a line break or control character"}
	}
	if rq.spec.Auth != provider.AuthHeader && (strings.ContainsFunc(t.KeyID, unicode.IsControl) ||
		rq.spec.Auth == provider.AuthBasic && strings.Contains(t.KeyID, ":")) {
		return Result{Outcome: Invalid, Detail: "the key ID holds a line break, control character or colon"}
	}
	var body io.Reader
	if rq.spec.Body != "" {
		body = strings.NewReader(rq.spec.Body)
	}
	method := rq.spec.Method
	if method == "" {
		method = "GET"
	}
	req, err := http.NewRequestWithContext(ctx, method, rq.url, body)
	if err != nil {
		return Result{Outcome: Unknown, Detail: "could not make the request"}
	}
	plain := req.URL.Scheme != "https"
	if plain && (req.URL.Scheme != "http" || !IsLoopback(req.URL.Hostname())) {
		return Result{Outcome: Unknown, Detail: ErrInsecureURL.Error()}
	}
	for _, h := range rq.spec.Extra {
		req.Header.Set(h.Name, h.Value)
	}
	if rq.spec.Body != "" {
		typ := rq.spec.BodyType
		if typ == "" {
			typ = "application/json"
		}
		req.Header.Set("Content-Type", typ)
	}
	if c.UserAgent != "" {
		req.Header.Set("User-Agent", c.UserAgent)
	}
	switch rq.spec.Auth {
	case provider.AuthBasic:
		req.SetBasicAuth(t.KeyID, t.Secret)
	case provider.AuthSigV4:
		// Signed last: the signature covers the headers set above.
		if err := signV4(ctx, req, rq.spec, t, c.clock()); err != nil {
			return Result{Outcome: Unknown, Detail: "could not sign the request"}
		}
	default:
		req.Header.Set(rq.spec.Header, strings.Replace(rq.spec.Value, KeyPlaceholder, t.Secret, 1))
	}
	resp, err := c.client(plain).Do(req)
	if err != nil {
		return transportFailure(ctx, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxBody+1))
	if err != nil {
		return transportFailure(ctx, err)
	}
	a := answer{status: resp.StatusCode, header: resp.Header, body: data, truncated: len(data) > MaxBody, ownBase: rq.ownBase}
	if a.truncated {
		a.body = nil
	}
	return interpret(rq.spec, a)
}

// cancelled is the result of a check cancelled before it had an answer.
var cancelled = Result{Outcome: Unknown, Detail: "cancelled"}

// transportFailure describes a failed request without its URL's details.
func transportFailure(ctx context.Context, err error) Result {
	if errors.Is(ctx.Err(), context.Canceled) {
		return cancelled
	}
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout() {
		return Result{Outcome: Unknown, Detail: "timeout"}
	}
	var dnsErr *net.DNSError
	var opErr *net.OpError
	switch {
	case errors.As(err, &dnsErr):
		return Result{Outcome: Unknown, Detail: "network error: host not found"}
	case errors.As(err, &opErr):
		return Result{Outcome: Unknown, Detail: "network error: " + opErr.Op + " failed: " + innermost(opErr)}
	}
	return Result{Outcome: Unknown, Detail: "network error: " + innermost(err)}
}

// innermost is the message of the deepest wrapped error: no URL, no
// operation prefixes.
func innermost(err error) string {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err.Error()
		}
		err = next
	}
}

// answer is a provider's reply.
type answer struct {
	status    int
	header    http.Header
	body      []byte // nil when truncated
	truncated bool
	ownBase   bool // from the entry's own base URL (see request)
}

// interpret turns an answer into a result: the provider's reader first,
// then the statuses the provider documents, then the generic rules.
func interpret(spec provider.Check, a answer) Result {
	var res Result
	if a.status >= 300 && a.status < 400 {
		return Result{Outcome: Unknown, Detail: fmt.Sprintf("redirected (HTTP %d); not followed", a.status)}
	}
	if a.ownBase && a.status == http.StatusNotFound {
		// A gateway's 404 (a wrong path, a route it lacks), not the
		// provider's "disabled key".
		return Result{Outcome: Unknown, Detail: "could not check: the base URL answered 404 (not found)"}
	}
	decided := false
	if read, ok := readers[spec.Answer]; ok && a.status < 500 {
		decided = read(a, &res)
	}
	if !decided {
		res.Outcome, res.Detail = byStatus(spec, a.status, res.Detail)
	}
	// The rules that keep a working key from being called broken.
	switch {
	case a.status >= 500:
		res.Outcome = Unknown
		res.Detail = fmt.Sprintf("HTTP %d (server error)", a.status)
	case a.status == http.StatusTooManyRequests && res.Outcome != NoCredit:
		res.Outcome = RateLimited
	case res.Outcome == Invalid && (a.status < 200 || a.status == http.StatusTooManyRequests):
		res.Outcome = Unknown
	}
	if res.Outcome == Valid && a.truncated && res.Detail == "" {
		res.Detail = "answer larger than 1 MiB; not read"
	}
	return res
}

// byStatus applies the statuses a provider documents. detail, if set by a
// reader, is kept.
func byStatus(spec provider.Check, status int, detail string) (Outcome, string) {
	valid, limited := spec.Valid, spec.RateLimited
	if len(valid) == 0 {
		valid = []int{200}
	}
	if len(limited) == 0 {
		limited = []int{429}
	}
	withStatus := func(o Outcome) (Outcome, string) {
		if detail == "" {
			return o, fmt.Sprintf("HTTP %d", status)
		}
		return o, detail + fmt.Sprintf(" (HTTP %d)", status)
	}
	switch {
	case slices.Contains(valid, status):
		return Valid, detail
	case slices.Contains(spec.Invalid, status):
		return withStatus(Invalid)
	case slices.Contains(spec.NoPermission, status):
		return withStatus(NoPermission)
	case slices.Contains(spec.NoCredit, status):
		return withStatus(NoCredit)
	case slices.Contains(limited, status):
		return withStatus(RateLimited)
	case status >= 500:
		return Unknown, fmt.Sprintf("HTTP %d (server error)", status)
	}
	return Unknown, fmt.Sprintf("unexpected answer: HTTP %d", status)
}

// scrub removes the key from every text of the result and cleans what came
// from the provider. (A two-part credential's key ID is its public half, as
// a user name is: it may appear, as it does in a provider's own answers.)
func (r *Result) scrub(secret string) {
	for _, s := range []*string{&r.Detail, &r.Account, &r.Scopes, &r.Credit} {
		*s = clean(*s, secret)
	}
	if !representable(r.Expires) {
		r.Expires = time.Time{} // it could not be stored
	}
}

// Scrubbed returns the result cleaned as Check cleans it: the key, and any
// run of minRun or more of its characters, taken out of its texts; control
// characters dropped; each text at most 120 characters; an expiry outside
// the years 0001 to 9999 dropped. The vault applies it to what it stores
// and loads, whoever made the result.
func (r Result) Scrubbed(secret string) Result {
	r.scrub(secret)
	return r
}

// maxText is the longest text from a provider kept in a result, in runes.
const maxText = 120

// minRun is the fewest characters of the key in a row that clean takes out
// of a text: a provider or gateway may echo a key cut short, with its
// middle elided, or in another case.
const minRun = 8

// clean makes text from a provider safe to show: control characters
// dropped, the key and every run of minRun or more of its characters
// replaced, at most maxText characters.
func clean(s, secret string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == unicode.ReplacementChar {
			return -1
		}
		return r
	}, s)
	if secret != "" && len(secret) >= 4 {
		s = strings.ReplaceAll(s, secret, "[key]")
	}
	if len(s) > 4*maxText+4 {
		s = s[:4*maxText+4] // still more than maxText runes; a cut rune goes below
	}
	s = removeRuns(s, secret)
	s = strings.ToValidUTF8(s, "")
	if utf8.RuneCountInString(s) > maxText {
		s = string([]rune(s)[:maxText-1]) + "…"
	}
	if secret != "" && len(secret) >= 4 && strings.Contains(s, secret) {
		return "[removed]"
	}
	return strings.TrimSpace(s)
}

// removeRuns replaces each stretch of s made of runs of minRun or more
// consecutive characters of secret (ASCII letters in any case) with
// "[key]". It costs len(s)×len(secret) steps; clean bounds s.
func removeRuns(s, secret string) string {
	if len(secret) < minRun || len(s) < minRun || !hasRun(s, secret) {
		return s
	}
	// run[j] is the length of the longest common suffix of s[:i] and
	// secret[:j]; best[i] the longest run of secret ending at s[i-1].
	prev, run := make([]int, len(secret)+1), make([]int, len(secret)+1)
	best := make([]int, len(s)+1)
	found := false
	for i := 1; i <= len(s); i++ {
		for j := 1; j <= len(secret); j++ {
			if foldASCII(s[i-1]) == foldASCII(secret[j-1]) {
				run[j] = prev[j-1] + 1
				best[i] = max(best[i], run[j])
			} else {
				run[j] = 0
			}
		}
		found = found || best[i] >= minRun
		prev, run = run, prev
	}
	if !found {
		return s
	}
	covered := make([]bool, len(s))
	lo := len(s) // the lowest index covered by a run ending at or after i
	for i := len(s); i >= 1; i-- {
		if best[i] >= minRun {
			lo = min(lo, i-best[i])
		}
		covered[i-1] = i-1 >= lo
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case !covered[i]:
			b.WriteByte(s[i])
		case i == 0 || !covered[i-1]:
			b.WriteString("[key]")
		}
	}
	return b.String()
}

// hasRun reports whether s and secret (ASCII letters in any case) share a
// run of minRun characters, as removeRuns would find one. It is the cheap
// test for the usual clean text: a shared run of minRun or more holds one of
// exactly minRun, so it looks each window of minRun bytes of s up in secret,
// both folded, instead of filling removeRuns' len(s)×len(secret) table.
func hasRun(s, secret string) bool {
	fs, fsecret := foldString(s), foldString(secret)
	for i := 0; i+minRun <= len(fs); i++ {
		if strings.Contains(fsecret, fs[i:i+minRun]) {
			return true
		}
	}
	return false
}

// foldString is s with foldASCII applied to each byte.
func foldString(s string) string {
	if strings.IndexFunc(s, func(r rune) bool { return r >= 'A' && r <= 'Z' }) < 0 {
		return s
	}
	b := []byte(s)
	for i, c := range b {
		b[i] = foldASCII(c)
	}
	return string(b)
}

func foldASCII(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// CheckAll checks every target, at most concurrency at a time (0 means
// DefaultConcurrency), and returns the results in the targets' order. After
// each check it calls progress, if not nil, with how many are done; the
// calls come from CheckAll's goroutines, one at a time, in increasing order
// of done (a window hands them to its UI goroutine). When ctx is cancelled,
// the checks in flight stop and the rest are not started: their results are
// Unknown "cancelled", with a zero Checked.
func (c *Checker) CheckAll(ctx context.Context, targets []Target, concurrency int, progress func(done, total int)) []Result {
	if concurrency <= 0 {
		concurrency = DefaultConcurrency
	}
	results := make([]Result, len(targets))
	var (
		mu   sync.Mutex
		done int
		wg   sync.WaitGroup
	)
	next := make(chan int)
	for range min(concurrency, len(targets)) {
		wg.Go(func() {
			for i := range next {
				r := c.Check(ctx, targets[i])
				mu.Lock()
				results[i] = r
				done++
				if progress != nil {
					progress(done, len(targets))
				}
				mu.Unlock()
			}
		})
	}
	sent := 0
feed:
	for sent < len(targets) {
		select {
		case next <- sent:
			sent++
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	for i := sent; i < len(targets); i++ {
		results[i] = cancelled
	}
	return results
}

// errNotLoopback: a plain-http check's host name resolved to an address
// that is not this computer's.
var errNotLoopback = errors.New("the address is not this computer's, and a key is never sent there without https")

// loopbackOnly wraps dial so that it connects only to loopback addresses: it
// resolves the host itself, refuses the connection unless every address is
// a loopback one, and dials that address (not the name again). "localhost"
// is a name like any other to the resolver (/etc/hosts, DNS), so the
// loopback rule on the URL alone cannot keep a key in clear text on this
// computer.
func loopbackOnly(dial func(ctx context.Context, network, addr string) (net.Conn, error)) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, port, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, err
		}
		ips, err := net.DefaultResolver.LookupIPAddr(ctx, host)
		if err != nil {
			return nil, err
		}
		if len(ips) == 0 {
			return nil, errNotLoopback
		}
		for _, ip := range ips {
			if !ip.IP.IsLoopback() {
				return nil, errNotLoopback
			}
		}
		var last error
		for _, ip := range ips {
			conn, err := dial(ctx, network, net.JoinHostPort(ip.IP.String(), port))
			if err == nil {
				return conn, nil
			}
			last = err
		}
		return nil, last
	}
}
