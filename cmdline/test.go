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

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"keyshelf/vault"
	"keyshelf/vault/check"
)

const testHelp = `Each key gets a line "NAME: OUTCOME (details)", where OUTCOME is valid,
invalid, no credit, rate limited, no permission or could not check (the
network, a timeout, an unexpected answer: never reported as invalid).
--json prints the outcomes as valid, invalid, no-credit, rate-limited,
no-permission and unknown.

Exit status: 0 when every key tested is valid; 1 when any is not, or could
not be checked, with a count of each outcome on standard error ("tested 3
keys: 1 valid, 2 could not check"); 2 for a mistake in the command line.`

type testOptions struct {
	all, json   bool
	concurrency int
}

func testFlags(fs *flag.FlagSet) any {
	o := &testOptions{}
	fs.BoolVar(&o.all, "all", false, "check every key")
	fs.BoolVar(&o.json, "json", false, "print a JSON array instead of lines")
	fs.IntVar(&o.concurrency, "concurrency", check.DefaultConcurrency, "check `N` keys at once")
	return o
}

// testItem is one result in `test --json` (and a last check in `list
// --json`): never the key.
type testItem struct {
	Name     string     `json:"name,omitempty"`
	Provider string     `json:"provider,omitempty"`
	Outcome  string     `json:"outcome"`
	Detail   string     `json:"detail,omitempty"`
	Account  string     `json:"account,omitempty"`
	Scopes   string     `json:"scopes,omitempty"`
	Expires  *time.Time `json:"expires,omitempty"`
	Credit   string     `json:"credit,omitempty"`
	Checked  *time.Time `json:"checked,omitempty"`
}

func newTestItem(e vault.Entry, r check.Result) *testItem {
	it := &testItem{Name: e.Name, Provider: e.Provider, Outcome: string(r.Outcome), Detail: r.Detail,
		Account: r.Account, Scopes: r.Scopes, Credit: r.Credit}
	if !r.Expires.IsZero() {
		t := r.Expires.UTC()
		it.Expires = &t
	}
	if !r.Checked.IsZero() {
		t := r.Checked.UTC()
		it.Checked = &t
	}
	return it
}

func runTest(r *runner, fs *flag.FlagSet, opts any) error {
	o := opts.(*testOptions)
	var name string
	switch {
	case o.all && fs.NArg() > 0:
		return &usageError{msg: "give NAME or --all, not both"}
	case o.all:
	case fs.NArg() == 0:
		return &usageError{msg: "missing NAME (or --all to test every key)"}
	default:
		var err error
		if name, err = needName(fs); err != nil {
			return err
		}
	}
	if o.concurrency < 1 {
		return &usageError{msg: "--concurrency must be at least 1"}
	}
	v, err := r.open(true)
	if err != nil {
		return err
	}
	defer v.Close()
	var entries []vault.Entry
	if o.all {
		entries = v.List()
	} else {
		e, err := find(v, name)
		if err != nil {
			return err
		}
		entries = []vault.Entry{e}
	}
	checker := r.env.Checker
	if checker == nil {
		checker = check.New()
	}
	ctx := r.env.Context
	if ctx == nil {
		// Ctrl-C stops the checks (not earlier: it must still end a
		// passphrase prompt the usual way).
		var stop context.CancelFunc
		ctx, stop = signal.NotifyContext(context.Background(), os.Interrupt)
		defer stop()
	}
	targets := make([]check.Target, len(entries))
	for i, e := range entries {
		targets[i] = e.Target()
	}
	results := checker.CheckAll(ctx, targets, o.concurrency, nil)

	if err := r.printResults(entries, results, o.json); err != nil {
		return err
	}
	if !v.ReadOnly() {
		if _, err := v.RecordChecks(entries, results); err != nil {
			return fmt.Errorf("the results were not kept in the vault: %w", err)
		}
	} else {
		fmt.Fprintln(r.env.Stderr, "keyshelf: note: the vault is open read-only elsewhere, so the results were not kept")
	}
	if err := v.Close(); err != nil {
		return err
	}
	if ctx.Err() != nil {
		return fmt.Errorf("interrupted; %s", tally(results))
	}
	for _, res := range results {
		if res.Outcome != check.Valid {
			return errors.New(tally(results))
		}
	}
	return nil
}

// tally counts the outcomes in their words, as the window's status bar
// does: "tested 3 keys: 1 valid, 2 could not check"; checks that never ran
// (interrupted) are counted apart.
func tally(results []check.Result) string {
	counts := map[check.Outcome]int{}
	tested := 0
	for _, res := range results {
		if !res.Cancelled() {
			counts[res.Outcome]++
			tested++
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "tested %d %s", tested, plural(tested, "key", "keys"))
	if tested < len(results) {
		fmt.Fprintf(&b, " of %d (%d not checked)", len(results), len(results)-tested)
	}
	sep := ": "
	for _, o := range check.Outcomes {
		if counts[o] > 0 {
			fmt.Fprintf(&b, "%s%d %s", sep, counts[o], o.Words())
			sep = ", "
		}
	}
	return b.String()
}

// resultLine is one key's result for people: "NAME: WORDS (details)", in
// the window's words; a detail that repeats the words is not said twice.
func resultLine(name string, r check.Result) string {
	words := r.Outcome.Words()
	line := name + ": " + words
	r.Detail = strings.TrimPrefix(r.Detail, words+": ")
	if s := r.Summary(); s != "" {
		line += " (" + s + ")"
	}
	return line
}

// printResults prints one line per key (resultLine), or JSON.
func (r *runner) printResults(entries []vault.Entry, results []check.Result, asJSON bool) error {
	if asJSON {
		items := make([]*testItem, len(entries))
		for i, e := range entries {
			items[i] = newTestItem(e, results[i])
		}
		out, err := json.Marshal(items, jsontext.Multiline(true))
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(r.env.Stdout, "%s\n", out)
		return err
	}
	for i, e := range entries {
		if _, err := fmt.Fprintln(r.env.Stdout, resultLine(e.Name, results[i])); err != nil {
			return err
		}
	}
	return nil
}
