package gui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"keyshelf/vault"
)

// Fake keys in the providers' real shapes: Anthropic's sk-ant-api03- and 93
// more characters, GitHub's fine-grained github_pat_ and 82.
const (
	anthropicKey = "sk-ant-api03-" + "Xq7vN2kLp9RtYw3ZbC5mH8jD1sF6gA0eU4iO7yT2rE9wQ3xV5nB8mK1lJ6hG4fD2sA0pZ7oI9uY3tR5eW8qL" + "-QAAAwXyZ"
	githubPATKey = "github_pat_" + "11ABCDEFG0123456789abc_" + "defghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ012345W7q9"
)

// rowMask is what the masked key column of the row showing name draws: the
// text as the user can read it, every part of it inside the column.
func rowMask(t *testing.T, h *harness, name string) string {
	t.Helper()
	found := visibleRow(t, h, name)
	var l fyne.Widget = found.masked
	rt := test.WidgetRenderer(l).Objects()[0].(*widget.RichText)
	var shown strings.Builder
	for _, o := range test.WidgetRenderer(rt).Objects() {
		txt, ok := o.(*canvas.Text)
		if !ok || !txt.Visible() {
			continue
		}
		// What lies past the column's edge is cut off on screen.
		full := fyne.MeasureText(txt.Text, txt.TextSize, txt.TextStyle).Width
		if right := l.Position().X + txt.Position().X + full; txt.Position().X+full > l.Size().Width+0.5 {
			t.Errorf("%q runs to %v, past the column's %v", txt.Text, right, l.Size().Width)
		}
		shown.WriteString(txt.Text)
	}
	return shown.String()
}

func TestMaskedKeyColumnShowsTheLastFour(t *testing.T) {
	h := newHarness(t, "Anthropic prod", anthropicKey, "GitHub fine-grained", githubPATKey, "OpenAI prod", openaiKey)
	h.unlock()
	keys := []struct{ name, key, prefix string }{
		{"Anthropic prod", anthropicKey, "sk-ant-api03-"},
		{"GitHub fine-grained", githubPATKey, "github_pat_"},
		{"OpenAI prod", openaiKey, "sk-proj-"},
	}
	check := func(size string, wantPrefix int) {
		t.Helper()
		for _, c := range keys {
			got := rowMask(t, h, c.name)
			last4 := c.key[len(c.key)-4:]
			if !strings.HasSuffix(got, last4) {
				t.Errorf("%s, %s: the column shows %q, without the last four %q", size, c.name, got, last4)
			}
			if !strings.HasPrefix(got, c.prefix[:min(wantPrefix, len(c.prefix))]) || wantPrefix > 0 && !strings.Contains(got, "•") {
				t.Errorf("%s, %s: the column shows %q", size, c.name, got)
			}
			shownPrefix := c.prefix
			for !strings.HasPrefix(got, shownPrefix) {
				shownPrefix = shownPrefix[:len(shownPrefix)-1]
			}
			if hidden := strings.TrimSuffix(strings.TrimPrefix(got, shownPrefix), last4); strings.Trim(hidden, "•") != "" {
				t.Errorf("%s, %s: the column shows %q of the hidden part", size, c.name, hidden)
			}
		}
	}
	check("default window", 99) // the whole prefix
	h.u.win.Resize(fyne.NewSize(760, 560))
	check("760 wide", 3)
	h.u.win.Resize(fyne.NewSize(h.u.win.Content().MinSize().Width, 640))
	check("narrowest window", 0)
}

// TestAWSRowShowsItsKeyIDMasked: an AWS secret has no telling prefix, so
// its row shows the key ID masked, which tells AWS keys apart.
func TestAWSRowShowsItsKeyIDMasked(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey)
	h.unlock()
	if _, err := h.u.v.Add(vault.Draft{Name: "AWS deploy", Secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", KeyID: "AKIA" + "ABCDEFGH23456789", Provider: "aws"}); err != nil {
		t.Fatal(err)
	}
	h.u.main.reload("")
	if got := rowMask(t, h, "AWS deploy"); got != "AKIA••••••••6789" {
		t.Fatalf("the AWS row shows %q", got)
	}
	if got := rowMask(t, h, "OpenAI prod"); !strings.HasPrefix(got, "sk-proj-") || !strings.HasSuffix(got, "2345") {
		t.Fatalf("the OpenAI row shows %q", got)
	}
}
