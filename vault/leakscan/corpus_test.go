package leakscan

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// corpusKinds maps Nosey Parker's rules to the providers whose keys the
// scan claims to find (the other rules are kinds Keyshelf does not know).
var corpusKinds = map[string]string{
	"np.anthropic.1":   "anthropic",
	"np.github.1":      "github", // personal access token
	"np.github.2":      "github", // OAuth access token
	"np.github.3":      "github", // app token
	"np.github.4":      "github", // refresh token
	"np.github.7":      "github", // fine-grained personal access token
	"np.gitlab.2":      "gitlab", // personal access token
	"np.google.5":      "gemini", // Google API key
	"np.groq.1":        "groq",
	"np.huggingface.1": "huggingface",
	"np.openai.1":      "openai",
	"np.sendgrid.1":    "sendgrid",
	"np.slack.2":       "slack", // bot token
	"np.slack.4":       "slack", // user token
	"np.slack.6":       "slack", // legacy bot token
	"np.stripe.1":      "stripe",
	"np.stripe.2":      "stripe", // test key
}

type corpusExample struct {
	Rule string `json:"rule"`
	Name string `json:"name"`
	Text string `json:"text"`
}

// TestCorpusRecallAndFalsePositives scans Nosey Parker's rule examples
// (testdata/noseyparker): recall over the examples of the kinds Keyshelf
// knows, and false positives over every negative example. It fails when
// either gets worse than measured on 2026-12-03 (docs/benchmarks.md).
//
//	go test -run Corpus -v ./vault/leakscan/
func TestCorpusRecallAndFalsePositives(t *testing.T) {
	data, err := os.ReadFile("testdata/noseyparker/corpus.json")
	if err != nil {
		t.Fatal(err)
	}
	var corpus struct {
		Examples []corpusExample `json:"examples"`
		Negative []corpusExample `json:"negative_examples"`
	}
	if err := json.Unmarshal(data, &corpus); err != nil {
		t.Fatal(err)
	}
	s, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	finds := func(text string) []Find {
		var out []Find
		for _, line := range strings.Split(text, "\n") {
			out = append(out, s.ScanLine([]byte(line))...)
		}
		return out
	}
	total, found := 0, 0
	var missed []string
	for _, ex := range corpus.Examples {
		want, ok := corpusKinds[ex.Rule]
		if !ok {
			continue
		}
		total++
		hit := false
		for _, f := range finds(ex.Text) {
			hit = hit || f.Provider == want
		}
		if hit {
			found++
		} else {
			missed = append(missed, ex.Rule+" ("+ex.Name+")")
		}
	}
	// A negative example of one of a provider's rules may be that
	// provider's key of another kind (a Slack user token under the bot
	// token rule): to Keyshelf a key of that provider all the same, so it
	// is counted apart, not as a false positive.
	falsePos, sameProvider := 0, 0
	for _, ex := range corpus.Negative {
		fs := finds(ex.Text)
		switch {
		case len(fs) == 0:
		case fs[0].Provider == corpusKinds[ex.Rule]:
			sameProvider++
		default:
			falsePos++
			t.Logf("false positive: a negative example of %s (%s) taken for a %s key", ex.Rule, ex.Name, fs[0].Provider)
		}
	}
	recall := float64(found) / float64(total)
	t.Logf("recall %d/%d (%.0f %%) on the examples of the kinds Keyshelf knows; missed: %s", found, total, 100*recall, strings.Join(missed, ", "))
	t.Logf("false positives %d of %d negative examples (%d more are keys of the same provider, of another kind)", falsePos, len(corpus.Negative), sameProvider)
	if total < 30 {
		t.Fatalf("only %d examples of known kinds: the corpus is not the one measured", total)
	}
	if found < minCorpusFound || falsePos > maxCorpusFalse {
		t.Errorf("recall %d (at least %d) or false positives %d (at most %d) got worse", found, minCorpusFound, falsePos, maxCorpusFalse)
	}
}

// The figures measured; a change that finds more lowers neither.
const (
	minCorpusFound = 31
	maxCorpusFalse = 3
)
