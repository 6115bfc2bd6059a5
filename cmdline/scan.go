package cmdline

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"time"

	"keyshelf/vault"
	"keyshelf/vault/check"
	"keyshelf/vault/leakscan"
	"keyshelf/vault/provider"
)

const scanHelp = `Looks through every file under each FOLDER (a code repository, Downloads,
a build's output) for the vault's own keys, whatever their shape, and for
anything shaped like a known provider's key, and prints each find as
PATH:LINE: what it is, masked. It skips .git, node_modules and vendor
folders, binary files and files over 8 MiB, follows no symbolic link, and
goes on past files it may not read (--verbose lists what it skipped).

A find that is fine (a test fixture, a revoked key) is accepted with
--accept, which writes its fingerprint (the file and a hash of the line,
never the key) to FOLDER/.keyshelfignore; commit that file, and later
scans stay quiet about those lines until they change.

Exit status: 0 when nothing but accepted finds, 1 when there are other
finds, 2 a mistake in the command line. The vault is only read, and
closed before the scan starts.`

type scanOptions struct {
	json, accept, verbose, check bool
}

func scanFlags(fs *flag.FlagSet) any {
	o := &scanOptions{}
	fs.BoolVar(&o.json, "json", false, "print the finds and skipped files as JSON")
	fs.BoolVar(&o.accept, "accept", false, "accept every find now reported: write them to each FOLDER's .keyshelfignore")
	fs.BoolVar(&o.verbose, "verbose", false, "also list the files skipped, with the reason")
	fs.BoolVar(&o.check, "check", false, "ask each provider whether a key found (not the vault's) is live: one free, read-only request each")
	return o
}

// scanFind is one find in scan --json.
type scanFind struct {
	Path        string `json:"path"`
	Line        int    `json:"line"`
	Provider    string `json:"provider"`
	Masked      string `json:"masked"`
	Entry       string `json:"entry,omitempty"` // the vault entry's name, when it is the vault's key
	EntryID     string `json:"entry_id,omitempty"`
	Generic     bool   `json:"generic_shape"`
	Fingerprint string `json:"fingerprint"`
	Accepted    bool   `json:"accepted"`
	// Check is the provider's answer with --check, for a key the vault
	// does not hold that was not accepted; omitted otherwise.
	Check *scanCheck `json:"check,omitempty"`
}

// scanCheck is --check's answer for one find in scan --json.
type scanCheck struct {
	Live  bool   `json:"live"` // the provider takes the key: revoke it
	Dead  bool   `json:"dead"` // the provider refuses it
	Words string `json:"words"`
}

// scanSkip is one skipped file in scan --json.
type scanSkip struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

func runScan(r *runner, fs *flag.FlagSet, opts any) error {
	o := opts.(*scanOptions)
	roots := fs.Args()
	if len(roots) == 0 {
		return &usageError{msg: "name the FOLDER to scan: keyshelf scan FOLDER..."}
	}
	for _, root := range roots {
		if _, err := os.Stat(root); err != nil {
			return fmt.Errorf("%w: %s", leakscan.ErrNotFolder, root)
		}
	}
	v, err := r.open(true)
	if err != nil {
		return err
	}
	sc, err := leakscan.FromEntries(v.List())
	if err != nil {
		return err
	}
	if err := v.Close(); err != nil {
		return err
	}
	ign, err := leakscan.LoadIgnore(roots)
	if err != nil {
		return err
	}
	ctx := r.env.Context
	if ctx == nil {
		var stop context.CancelFunc
		ctx, stop = signal.NotifyContext(context.Background(), os.Interrupt)
		defer stop()
	}
	start := time.Now()
	res, err := sc.Scan(ctx, roots, ign, leakscan.Options{})
	took := time.Since(start)
	if err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	cancelled := err != nil
	if o.json {
		out := struct {
			Finds   []scanFind `json:"finds"`
			Skipped []scanSkip `json:"skipped"`
			Files   int        `json:"files"`
		}{Finds: []scanFind{}, Skipped: []scanSkip{}, Files: res.Files}
		for _, f := range res.Finds {
			sf := scanFind{Path: f.Path, Line: f.Line, Provider: f.Provider, Masked: f.Masked,
				Entry: f.EntryName, EntryID: f.EntryID, Generic: f.Weak, Fingerprint: f.Fingerprint, Accepted: f.Accepted}
			if o.check && f.EntryID == "" && !f.Accepted {
				v := r.verdict(ctx, f)
				sf.Check = &scanCheck{Live: v.Live, Dead: v.Dead, Words: v.Words}
			}
			out.Finds = append(out.Finds, sf)
		}
		for _, s := range res.Skipped {
			out.Skipped = append(out.Skipped, scanSkip{s.Path, s.Reason})
		}
		if err := r.printJSON(out); err != nil {
			return err
		}
	} else {
		for _, f := range res.Finds {
			if f.Accepted {
				continue
			}
			line := fmt.Sprintf("%s:%d: %s %s", f.Path, f.Line, findWhat(f), f.Masked)
			if o.check && f.EntryID == "" {
				line += ": " + r.checkFind(ctx, f)
			}
			fmt.Fprintln(r.env.Stdout, line)
		}
		if o.verbose {
			for _, s := range res.Skipped {
				fmt.Fprintf(r.env.Stdout, "%s: skipped: %s\n", s.Path, s.Reason)
			}
		}
	}
	r.scanSummary(res, took, o.verbose || o.json)
	if !o.accept {
		r.markExposed(res)
	}
	if cancelled {
		return errors.New("the scan was interrupted; what it found so far is above")
	}
	if o.accept {
		return r.acceptFinds(res)
	}
	if res.Unaccepted() > 0 {
		return exitStatus(1)
	}
	return nil
}

// markExposed marks each vault key found (and not accepted) as exposed
// where it was found, and says so; a vault that cannot be written is a
// warning, since the finds are printed all the same.
func (r *runner) markExposed(res leakscan.Result) {
	var finds []leakscan.Find
	for _, f := range res.Finds {
		if f.EntryID != "" && !f.Accepted {
			finds = append(finds, f)
		}
	}
	if len(finds) == 0 {
		return
	}
	v, err := r.openWritable()
	if err != nil {
		fmt.Fprintf(r.env.Stderr, "keyshelf: warning: the keys found were not marked exposed: %s\n", message(err, r.path))
		return
	}
	defer v.Close()
	marks := make([]vault.Mark, len(finds))
	for i, f := range finds {
		marks[i] = vault.Mark{ID: f.EntryID, Where: fmt.Sprintf("%s:%d", f.Path, f.Line)}
	}
	n, err := v.MarkExposedMany(marks, vault.SourceCommand)
	if err != nil {
		fmt.Fprintf(r.env.Stderr, "keyshelf: warning: the keys found were not marked exposed: %s\n", message(err, r.path))
		return
	}
	if n > 0 {
		fmt.Fprintf(r.env.Stderr, "keyshelf: marked %d vault %s exposed: rotate %s (keyshelf rotate NAME), or accept the finds with --accept\n",
			n, plural(n, "key", "keys"), map[bool]string{true: "it", false: "them"}[n == 1])
	}
	if err := v.Close(); err != nil {
		fmt.Fprintf(r.env.Stderr, "keyshelf: warning: %s\n", message(err, r.path))
	}
}

// checkFind asks the find's provider whether its key is live, and says
// what that means for the leak.
func (r *runner) checkFind(ctx context.Context, f leakscan.Find) string {
	return r.verdict(ctx, f).Words
}

// verdict is the provider's answer on a find's key (see leakscan.CheckFind).
func (r *runner) verdict(ctx context.Context, f leakscan.Find) leakscan.Verdict {
	checker := r.env.Checker
	if checker == nil {
		checker = check.New()
	}
	return leakscan.CheckFind(ctx, checker, f)
}

// findWhat says what a find is: the vault's key, or a provider's shape.
func findWhat(f leakscan.Find) string {
	switch {
	case f.EntryID != "":
		return fmt.Sprintf("vault key %q", f.EntryName)
	case f.Weak:
		return "possible " + provider.Name(f.Provider) + " key (generic shape)"
	}
	return provider.Name(f.Provider) + " key"
}

// scanSummary says on stderr what the scan covered.
func (r *runner) scanSummary(res leakscan.Result, took time.Duration, listed bool) {
	accepted := len(res.Finds) - res.Unaccepted()
	parts := []string{fmt.Sprintf("scanned %d %s (%.1f MB) in %.1f s", res.Files, plural(res.Files, "file", "files"),
		float64(res.Bytes)/1e6, took.Seconds())}
	parts = append(parts, fmt.Sprintf("%d %s", res.Unaccepted(), plural(res.Unaccepted(), "find", "finds")))
	if accepted > 0 {
		parts = append(parts, fmt.Sprintf("%d accepted in .keyshelfignore", accepted))
	}
	if n := len(res.Skipped); n > 0 {
		s := fmt.Sprintf("%d skipped", n)
		if !listed {
			s += " (--verbose lists them)"
		}
		parts = append(parts, s)
	}
	fmt.Fprintf(r.env.Stderr, "keyshelf: %s\n", strings.Join(parts, "; "))
}

// acceptFinds writes the unaccepted finds to their folders' ignore files.
func (r *runner) acceptFinds(res leakscan.Result) error {
	byRoot := map[string][]leakscan.Find{}
	var order []string
	for _, f := range res.Finds {
		if f.Accepted {
			continue
		}
		if _, ok := byRoot[f.Root]; !ok {
			order = append(order, f.Root)
		}
		byRoot[f.Root] = append(byRoot[f.Root], f)
	}
	for _, root := range order {
		if err := leakscan.Accept(root, byRoot[root]); err != nil {
			return err
		}
		fmt.Fprintf(r.env.Stderr, "keyshelf: accepted %d %s in %s\n", len(byRoot[root]), plural(len(byRoot[root]), "find", "finds"),
			strings.TrimSuffix(root, "/")+"/"+leakscan.IgnoreFile)
	}
	return nil
}
