package check

import (
	"cmp"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"
)

// A reader looks at a provider's answer (never a 3xx or 5xx) before its
// statuses do. It may fill in what the answer tells (account, scopes, a
// detail) and return false to let the statuses decide, or set the outcome
// and return true. The catalogue names readers in provider.Check.Answer.
type reader func(a answer, r *Result) bool

var readers = map[string]reader{
	"openai":      readOpenAI,
	"anthropic":   readErrorName,
	"gemini":      readGemini,
	"cohere":      readCohere,
	"huggingface": readHuggingFace,
	"openrouter":  readOpenRouter,
	"xai":         readXAI,
	"deepseek":    readDeepSeek,
	"github":      readGitHub,
	"gitlab":      readGitLab,
	"slack":       readSlack,
	"sendgrid":    readSendGrid,
	"aws":         readAWS,
}

// decode parses a JSON body into v; false when there is none or it is not
// JSON of that shape.
func decode(a answer, v any) bool {
	return a.body != nil && json.Unmarshal(a.body, v) == nil
}

// unreadable is the result for a success status whose body must say more
// but does not.
func unreadable(a answer, r *Result) bool {
	r.Outcome = Unknown
	if a.truncated {
		r.Detail = fmt.Sprintf("unexpected answer: HTTP %d with a body over 1 MiB", a.status)
	} else {
		r.Detail = fmt.Sprintf("unexpected answer: HTTP %d with an unreadable body", a.status)
	}
	return true
}

// codeShape is what an error code looks like: invalid_api_key,
// API_KEY_INVALID, authentication_error.
var codeShape = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,64}$`)

// code returns s if it looks like an error code, else "": provider text
// kept in a result is a code, never a message (a message may echo the key,
// whole or in part).
func code(s string) string {
	s = strings.TrimSpace(s)
	if !codeShape.MatchString(s) || strings.Contains(s, "..") {
		return ""
	}
	return s
}

// errorName finds a short error code in the usual JSON error shapes:
// {"error":{"code"|"type"|"status":...}}, {"error":"..."}, {"code":...}.
// Anything that is not code-like (a message) is passed over.
func errorName(a answer) string {
	var v struct {
		Error any `json:"error"`
		Code  any `json:"code"`
	}
	if !decode(a, &v) {
		return ""
	}
	var names []any
	switch e := v.Error.(type) {
	case string:
		names = append(names, e)
	case map[string]any:
		names = append(names, e["code"], e["type"], e["status"])
	}
	for _, n := range append(names, v.Code) {
		if s, ok := n.(string); ok && code(s) != "" {
			return code(s)
		}
	}
	return ""
}

// readErrorName adds the provider's error code to the detail of a failure.
func readErrorName(a answer, r *Result) bool {
	if a.status >= 400 {
		r.Detail = errorName(a)
	}
	return false
}

// OpenAI: a 429 whose code is insufficient_quota means no credit.
func readOpenAI(a answer, r *Result) bool {
	readErrorName(a, r)
	if a.status == http.StatusTooManyRequests && r.Detail == "insufficient_quota" {
		r.Outcome = NoCredit
		return true
	}
	return false
}

// Gemini (Google APIs): a 400 means a bad key only when Google says
// API_KEY_INVALID (an expired key says so too), in the ErrorInfo details or
// the message. Any other 400, such as FAILED_PRECONDITION "User location is
// not supported" for a good key, could not check.
func readGemini(a answer, r *Result) bool {
	if a.status != http.StatusBadRequest {
		return readErrorName(a, r)
	}
	var v struct {
		Error struct {
			Message string `json:"message"`
			Status  string `json:"status"`
			Details []struct {
				Type   string `json:"@type"`
				Reason string `json:"reason"`
			} `json:"details"`
		} `json:"error"`
	}
	decode(a, &v)
	reason := ""
	for _, d := range v.Error.Details {
		if strings.HasSuffix(d.Type, "google.rpc.ErrorInfo") && d.Reason != "" {
			reason = d.Reason
			break
		}
	}
	msg := strings.ToLower(v.Error.Message)
	if reason == "" && (strings.Contains(msg, "api key not valid") || strings.Contains(msg, "api_key_invalid")) {
		reason = "API_KEY_INVALID"
	}
	switch {
	case reason == "API_KEY_INVALID" && strings.Contains(msg, "expired"):
		r.Outcome, r.Detail = Invalid, "the key has expired (API_KEY_INVALID, HTTP 400)"
	case reason == "API_KEY_INVALID":
		r.Outcome, r.Detail = Invalid, "API_KEY_INVALID (HTTP 400)"
	case strings.Contains(msg, "location is not supported"):
		why := "HTTP 400"
		if c := code(v.Error.Status); c != "" {
			why = c + ", HTTP 400"
		}
		r.Outcome, r.Detail = Unknown, "could not check: the API is not offered where this computer is ("+why+")"
	default:
		r.Outcome, r.Detail = Unknown, "could not check: HTTP 400"
		if c := cmp.Or(code(reason), code(v.Error.Status)); c != "" {
			r.Detail = "could not check: " + c + " (HTTP 400)"
		}
	}
	return true
}

// Cohere: 200 with {"valid": bool}.
func readCohere(a answer, r *Result) bool {
	if a.status != http.StatusOK {
		return readErrorName(a, r)
	}
	var v struct {
		Valid *bool  `json:"valid"`
		Org   string `json:"organization_id"`
	}
	if !decode(a, &v) || v.Valid == nil {
		return unreadable(a, r)
	}
	r.Account = v.Org
	if *v.Valid {
		r.Outcome = Valid
	} else {
		r.Outcome, r.Detail = Invalid, "the provider says the key is not valid"
	}
	return true
}

// Hugging Face: the user name and the token's role.
func readHuggingFace(a answer, r *Result) bool {
	var v struct {
		Name string `json:"name"`
		Auth struct {
			AccessToken struct {
				Role string `json:"role"`
			} `json:"accessToken"`
		} `json:"auth"`
	}
	if a.status == http.StatusOK && decode(a, &v) {
		r.Account, r.Scopes = v.Name, v.Auth.AccessToken.Role
	}
	return readErrorName(a, r)
}

// OpenRouter: {"data":{"limit":n|null,"usage":n,"limit_remaining":n|null}}.
func readOpenRouter(a answer, r *Result) bool {
	if a.status != http.StatusOK {
		return readErrorName(a, r)
	}
	var v struct {
		Data *struct {
			Limit          *float64 `json:"limit"`
			Usage          *float64 `json:"usage"`
			LimitRemaining *float64 `json:"limit_remaining"`
		} `json:"data"`
	}
	if !decode(a, &v) || v.Data == nil {
		return unreadable(a, r)
	}
	switch left := v.Data.LimitRemaining; {
	case left == nil || v.Data.Limit == nil:
		r.Credit = "no limit on this key"
		r.Outcome = Valid
	case *left <= 0:
		r.Credit = "$0.00 left"
		r.Outcome, r.Detail = NoCredit, "the key's credit limit is used up"
	default:
		r.Credit = fmt.Sprintf("$%.2f left of $%.2f", *left, *v.Data.Limit)
		r.Outcome = Valid
	}
	return true
}

// xAI: the key's name and ACLs, and whether it is blocked or disabled.
func readXAI(a answer, r *Result) bool {
	if a.status != http.StatusOK {
		return readErrorName(a, r)
	}
	var v struct {
		Name        string   `json:"name"`
		ACLs        []string `json:"acls"`
		TeamBlocked bool     `json:"team_blocked"`
		KeyBlocked  bool     `json:"api_key_blocked"`
		KeyDisabled bool     `json:"api_key_disabled"`
	}
	if !decode(a, &v) {
		return unreadable(a, r)
	}
	r.Account, r.Scopes = v.Name, strings.Join(v.ACLs, ", ")
	switch {
	case v.KeyBlocked:
		r.Outcome, r.Detail = Invalid, "the key is blocked"
	case v.KeyDisabled:
		r.Outcome, r.Detail = Invalid, "the key is disabled"
	case v.TeamBlocked:
		r.Outcome, r.Detail = NoPermission, "the team is blocked"
	default:
		r.Outcome = Valid
	}
	return true
}

// DeepSeek: {"is_available": bool, "balance_infos":[{currency,total_balance}]}.
func readDeepSeek(a answer, r *Result) bool {
	if a.status != http.StatusOK {
		return readErrorName(a, r)
	}
	var v struct {
		Available *bool `json:"is_available"`
		Balances  []struct {
			Currency string `json:"currency"`
			Total    string `json:"total_balance"`
		} `json:"balance_infos"`
	}
	if !decode(a, &v) || v.Available == nil {
		return unreadable(a, r)
	}
	var credit []string
	for _, b := range v.Balances {
		credit = append(credit, strings.TrimSpace(b.Total+" "+b.Currency))
	}
	r.Credit = strings.Join(credit, ", ")
	if *v.Available {
		r.Outcome = Valid
	} else {
		r.Outcome, r.Detail = NoCredit, "balance too low"
	}
	return true
}

// GitHub: scopes and expiry in headers, the login in the body; a 403 is a
// rate limit when the limit headers or the message say so, else a token
// without permission for /user.
func readGitHub(a answer, r *Result) bool {
	if a.status >= 200 && a.status < 300 {
		r.Scopes = a.header.Get("X-OAuth-Scopes")
		if exp := a.header.Get("github-authentication-token-expiration"); exp != "" {
			// The numeric offset first: the MST layout would take "-0001"
			// for a zone name and drop its offset.
			for _, layout := range []string{"2006-01-02 15:04:05 -0700", "2006-01-02 15:04:05 MST", time.RFC3339} {
				if t, err := time.Parse(layout, exp); err == nil {
					if representable(t) {
						r.Expires = t.UTC()
					} else {
						r.Detail = "the expiry date given is out of range; not kept"
					}
					break
				}
			}
		}
		var v struct {
			Login string `json:"login"`
		}
		if decode(a, &v) {
			r.Account = v.Login
		}
		return false
	}
	if a.status == http.StatusForbidden || a.status == http.StatusTooManyRequests {
		var v struct {
			Message string `json:"message"`
		}
		decode(a, &v)
		if a.status == http.StatusTooManyRequests || a.header.Get("X-RateLimit-Remaining") == "0" ||
			a.header.Get("Retry-After") != "" || strings.Contains(strings.ToLower(v.Message), "rate limit") {
			r.Outcome, r.Detail = RateLimited, fmt.Sprintf("HTTP %d", a.status)
		} else {
			r.Outcome, r.Detail = NoPermission, "HTTP 403"
		}
		return true
	}
	return false
}

// GitLab: the user name; why a token was refused.
func readGitLab(a answer, r *Result) bool {
	var v struct {
		Username string `json:"username"`
		Error    string `json:"error"`
	}
	ok := decode(a, &v)
	switch {
	case a.status == http.StatusOK && ok:
		r.Account = v.Username
	case a.status >= 400 && ok:
		r.Detail = code(v.Error)
	}
	return false
}

// Slack answers HTTP 200 with {"ok": bool, "error": name}.
func readSlack(a answer, r *Result) bool {
	if a.status != http.StatusOK {
		return false
	}
	var v struct {
		OK    *bool  `json:"ok"`
		Error string `json:"error"`
		Team  string `json:"team"`
		User  string `json:"user"`
	}
	if !decode(a, &v) || v.OK == nil {
		return unreadable(a, r)
	}
	if *v.OK {
		r.Outcome = Valid
		r.Account = strings.Trim(v.User+" @ "+v.Team, " @")
		r.Scopes = a.header.Get("X-OAuth-Scopes")
		return true
	}
	r.Detail = code(v.Error)
	switch r.Detail {
	case "invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired", "no_such_token":
		r.Outcome = Invalid
	case "missing_scope", "not_allowed_token_type", "no_permission", "ekm_access_denied":
		r.Outcome = NoPermission
	case "ratelimited", "rate_limited":
		r.Outcome = RateLimited
	default:
		r.Outcome, r.Detail = Unknown, strings.TrimSuffix("unexpected answer: "+r.Detail, ": ")
	}
	return true
}

// SendGrid: the key's scopes, counted when there are many.
func readSendGrid(a answer, r *Result) bool {
	var v struct {
		Scopes []string `json:"scopes"`
	}
	if a.status == http.StatusOK && decode(a, &v) {
		if len(v.Scopes) > 4 {
			r.Scopes = fmt.Sprintf("%d scopes", len(v.Scopes))
		} else {
			r.Scopes = strings.Join(v.Scopes, ", ")
		}
	}
	return false
}

// AWS STS answers in XML: GetCallerIdentity names the account and the
// caller's ARN; an error names its code. A 403 is a bad key only for the
// codes that say so; any other code (AccessDenied) is a real key without
// permission, and Throttling is a rate limit. A signature refused for its
// time (RequestExpired, SignatureDoesNotMatch "Signature expired" or "not
// yet current") means the computer's clock is off: could not check.
func readAWS(a answer, r *Result) bool {
	if a.status == http.StatusOK {
		var v struct {
			Account string `xml:"GetCallerIdentityResult>Account"`
			Arn     string `xml:"GetCallerIdentityResult>Arn"`
		}
		if a.body == nil || xml.Unmarshal(a.body, &v) != nil || v.Account == "" && v.Arn == "" {
			return unreadable(a, r)
		}
		r.Account = strings.TrimSpace(v.Account + " " + v.Arn)
		r.Outcome = Valid
		return true
	}
	var e struct {
		Code    string `xml:"Error>Code"`
		Message string `xml:"Error>Message"`
	}
	if a.body == nil || xml.Unmarshal(a.body, &e) != nil || code(e.Code) == "" {
		return false // the statuses decide; a 403 alone is "could not tell"
	}
	e.Code = code(e.Code)
	if clockOff(e.Code, e.Message) {
		r.Outcome = Unknown
		r.Detail = fmt.Sprintf("could not check: the computer's clock looks wrong (%s, HTTP %d)", e.Code, a.status)
		return true
	}
	r.Detail = e.Code
	switch {
	case a.status == http.StatusTooManyRequests || e.Code == "Throttling" || e.Code == "ThrottlingException" || e.Code == "RequestLimitExceeded":
		r.Outcome = RateLimited
	case a.status != http.StatusForbidden:
		return false
	case e.Code == "InvalidClientTokenId" || e.Code == "SignatureDoesNotMatch" || e.Code == "ExpiredToken":
		r.Outcome = Invalid
	default:
		r.Outcome = NoPermission
	}
	r.Detail += fmt.Sprintf(" (HTTP %d)", a.status)
	return true
}

// clockOff reports whether an AWS error says the request's time is too far
// from AWS's: the signature is then refused whatever the key, so the
// computer's clock, not the key, is to blame.
func clockOff(code, message string) bool {
	switch code {
	case "RequestExpired", "RequestTimeTooSkewed":
		return true
	case "SignatureDoesNotMatch":
		m := strings.ToLower(message)
		return strings.Contains(m, "signature expired") || strings.Contains(m, "signature not yet current")
	}
	return false
}

// representable reports whether t, in UTC, survives RFC 3339 (the vault
// stores times so, and JSON wants it): a year from 0001 to 9999. (RFC 3339
// also spells year 0000, but the vault keeps the zero time, 0001-01-01, for
// "none", so an expiry before it could only be stored as no expiry.)
func representable(t time.Time) bool {
	y := t.UTC().Year()
	return y >= 1 && y <= 9999
}
