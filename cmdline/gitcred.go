package cmdline

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strings"

	"keyshelf/vault"
	"keyshelf/vault/check"
)

const gitCredHelp = `Git runs it as a credential helper (git help credential): it reads what git
wants on standard input (protocol, host, path, username) and, for "get",
prints a username and, as the password, a GitHub or GitLab key of the vault.
Set it up for a host with:

  git config --global credential.https://github.com.helper '!keyshelf git-credential'
  git config --global credential.https://gitlab.com.helper '!keyshelf git-credential'

(add --vault FILE before git-credential for another vault; for a host that
one entry always serves, add --name ENTRY after it).

Without --name, the key is the GitHub or GitLab entry whose host is git's:
the host of its base URL (https://api.github.com and
https://ghe.example.com/api/v3 serve github.com and ghe.example.com), else
github.com or gitlab.com. When several match, the one starred as a favorite
is given; otherwise nothing is, and the names are listed on stderr (use
--name). The username is git's own if it has one, else x-access-token
(GitHub) or oauth2 (GitLab). Keys go only over https (http only to this
computer), and each one given is noted in its access log as copied.

"store" and "erase" do nothing: Keyshelf never takes credentials from git.
Unlocking needs no prompt once this device is remembered (keyshelf
remember); otherwise the passphrase is asked on the terminal (git's standard
input is its own, so /dev/tty; on Windows a remembered device is needed).
Without a terminal, or with GIT_TERMINAL_PROMPT=0, the command fails with one
line on stderr and git asks its other helpers or the user.

Exit status: 0 also when no key fits (git then asks elsewhere), 1 when the
vault cannot be opened or --name names no key, 2 a mistake in the command line.`

type gitCredOptions struct{ name string }

func gitCredFlags(fs *flag.FlagSet) any {
	o := &gitCredOptions{}
	fs.StringVar(&o.name, "name", "", "give the key of the entry named `ENTRY`, whatever git's host")
	return o
}

// gitRequest is what git asks a credential helper: the attributes of
// git-credential(1)'s input format that Keyshelf uses.
type gitRequest struct {
	protocol, host, path, username string
}

// parseGitRequest reads git's attributes: key=value lines up to a blank line
// or the end. Unknown attributes, and lines without "=", are ignored; a
// trailing "\r" is not part of a value (git strips it too).
func parseGitRequest(b []byte) gitRequest {
	var q gitRequest
	for line := range strings.SplitSeq(string(b), "\n") {
		line = strings.TrimSuffix(line, "\r")
		if line == "" {
			break
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		switch k {
		case "protocol":
			q.protocol = strings.ToLower(v)
		case "host":
			q.host = v
		case "path":
			q.path = v
		case "username":
			q.username = v
		}
	}
	return q
}

// normHost is host[:port] in one spelling for protocol: lower case, no
// trailing dot, no default port, loopback addresses as check spells them.
// ok is false for a host that cannot be parsed.
func normHost(protocol, host string) (string, bool) {
	name, port := host, ""
	if h, p, err := net.SplitHostPort(host); err == nil {
		name, port = h, p
	} else if strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]") {
		name = host[1 : len(host)-1]
	}
	name = strings.ToLower(strings.TrimSuffix(name, "."))
	if name == "" {
		return "", false
	}
	if (protocol == "https" && port == "443") || (protocol == "http" && port == "80") {
		port = ""
	}
	if a, err := netip.ParseAddr(name); err == nil {
		name = a.Unmap().String() // ::ffff:127.0.0.1 and 127.0.0.1 alike
	}
	if port != "" {
		return net.JoinHostPort(name, port), true
	}
	if strings.Contains(name, ":") {
		return "[" + name + "]", true
	}
	return name, true
}

// safeProtocol reports whether a key may be sent over protocol to host:
// https anywhere, http only to this computer (a token in clear over the
// network is given away).
func safeProtocol(protocol, host string) bool {
	switch protocol {
	case "https":
		return true
	case "http":
		h := host
		if name, _, err := net.SplitHostPort(host); err == nil {
			h = name
		}
		return check.IsLoopback(strings.Trim(h, "[]"))
	}
	return false
}

// gitHost is the web host (host[:port], normalised for its scheme) whose
// git remotes e's key serves, or "" when e is no GitHub or GitLab key or its
// base URL cannot be read.
func gitHost(e vault.Entry) string {
	var def string
	switch e.Provider {
	case "github":
		def = "github.com"
	case "gitlab":
		def = "gitlab.com"
	default:
		return ""
	}
	if e.BaseURL == "" {
		return def
	}
	u, err := url.Parse(e.BaseURL)
	if err != nil || u.Host == "" {
		return ""
	}
	h, ok := normHost(u.Scheme, u.Host)
	if !ok {
		return ""
	}
	// GitHub's API lives on its own host; GitHub Enterprise Server's is
	// under /api/v3 of the web host, and GitLab's base is the web host.
	if e.Provider == "github" && h == "api.github.com" {
		h = "github.com"
	}
	return h
}

// gitUsername is the username sent with e's key: git's own if it has one,
// else what the provider takes with a token ("" when unknown: git then
// asks for one).
func gitUsername(e vault.Entry, given string) string {
	switch {
	case given != "":
		return given
	case e.Provider == "github":
		return "x-access-token"
	case e.Provider == "gitlab":
		return "oauth2"
	}
	return ""
}

// chooseGitEntry picks the entry for q among entries. With several matches,
// the only favorite among them wins; otherwise none does and matches lists
// them all (for the message).
func chooseGitEntry(entries []vault.Entry, q gitRequest) (chosen *vault.Entry, matches []vault.Entry) {
	want, ok := normHost(q.protocol, q.host)
	if !ok || !safeProtocol(q.protocol, q.host) {
		return nil, nil
	}
	for _, e := range entries {
		if h := gitHost(e); h != "" && h == want {
			matches = append(matches, e)
		}
	}
	if len(matches) == 1 {
		return &matches[0], matches
	}
	var fav *vault.Entry
	for i := range matches {
		if matches[i].Favorite {
			if fav != nil {
				return nil, matches
			}
			fav = &matches[i]
		}
	}
	return fav, matches
}

// errGitNoPrompt says why the passphrase is not asked for.
var errGitNoPrompt = errors.New("GIT_TERMINAL_PROMPT=0 forbids asking for the passphrase: remember this device (keyshelf remember) or use --passphrase-file FILE")

func runGitCredential(r *runner, fs *flag.FlagSet, opts any) error {
	o := opts.(*gitCredOptions)
	switch fs.NArg() {
	case 0:
		return &usageError{msg: "missing the operation (get, store or erase)"}
	case 1:
	default:
		return &usageError{msg: "too many arguments (put --name ENTRY before the operation)"}
	}
	// Git writes the whole request and closes the pipe before it reads any
	// answer: read it all, for every operation.
	in, err := readAllLimited(r.env.Stdin, 64<<10)
	if err != nil {
		return fmt.Errorf("read git's request: %w", err)
	}
	if fs.Arg(0) != "get" {
		// store and erase: Keyshelf takes no credentials from git. Other
		// operations are to be ignored silently (gitcredentials(7)), so
		// that newer gits keep working.
		return nil
	}
	q := parseGitRequest(in)
	if !safeProtocol(q.protocol, q.host) {
		return nil // never a key in clear over the network; not even a prompt
	}
	noPrompt := r.g.PassphraseFile == "" && isFalse(r.env.Getenv("GIT_TERMINAL_PROMPT"))
	if noPrompt {
		// Honour git's "no prompts" also for the passphrase (CI, scripts).
		r.env.Prompt = nil
	}
	v, err := r.open(true)
	if noPrompt && errors.Is(err, errNoPassphrase) {
		err = errGitNoPrompt
	}
	if err != nil {
		return err
	}
	defer v.Close()

	var e vault.Entry
	if o.name != "" {
		if e, err = find(v, o.name); err != nil {
			return err
		}
	} else {
		chosen, matches := chooseGitEntry(v.List(), q)
		if chosen == nil {
			if len(matches) > 1 {
				// Git ignores a helper's exit status and output-less
				// answer alike: it goes on to its other helpers, then
				// prompts. Exit 0 with the names (never a key) on stderr,
				// which git shows, so that the user can pick one.
				names := make([]string, len(matches))
				for i, m := range matches {
					names[i] = fmt.Sprintf("%q", m.Name)
				}
				fmt.Fprintf(r.env.Stderr, "keyshelf: several keys fit %s: %s; star one as a favorite or add --name ENTRY to the helper\n",
					q.host, strings.Join(names, ", "))
			}
			return nil
		}
		e = *chosen
	}
	if strings.ContainsAny(e.Secret, "\r\n\x00") {
		return fmt.Errorf("the key %q has a line break in it, which git's credential format cannot carry", e.Name)
	}
	var b strings.Builder
	if u := gitUsername(e, q.username); u != "" && !strings.ContainsAny(u, "\n\x00") {
		b.WriteString("username=" + u + "\n")
	}
	b.WriteString("password=" + e.Secret + "\n")
	if _, err := fmt.Fprint(r.env.Stdout, b.String()); err != nil {
		return fmt.Errorf("answer git: %w", err)
	}
	r.record(v, e.ID, vault.ActionCopied, "given to git")
	return nil
}

// isFalse reports whether an environment value means false as git reads
// booleans (GIT_TERMINAL_PROMPT=0).
func isFalse(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "0", "false", "no", "off":
		return true
	}
	return false
}
