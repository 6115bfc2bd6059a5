package cmdline

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"keyshelf/vault"
	"keyshelf/vault/check"
)

type testOptions struct {
	all, json   bool
	concurrency int
}

func testFlags(fs *flag.FlagSet) any {
	o := &testOptions{}
	fs.BoolVar(&o.all, "all", false, "check every key")
	fs.BoolVar(&o.json, "json", false, "print a JSON array instead of lines")
	fs.IntVar(&o.concurrency, "concurrency", check.DefaultConcurrency, "how many keys to check at once")
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
	notValid := 0
	for _, res := range results {
		if res.Outcome != check.Valid {
			notValid++
		}
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
		return fmt.Errorf("interrupted; %d of %d keys were not checked or not valid", notValid, len(results))
	}
	if notValid > 0 {
		return fmt.Errorf("%d of %d keys tested are not valid", notValid, len(results))
	}
	return nil
}

// printResults prints one line per key, "NAME: OUTCOME details", or JSON.
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
		line := e.Name + ": " + string(results[i].Outcome)
		if s := results[i].Summary(); s != "" {
			line += " " + s
		}
		if _, err := fmt.Fprintln(r.env.Stdout, line); err != nil {
			return err
		}
	}
	return nil
}
