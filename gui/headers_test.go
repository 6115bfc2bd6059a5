package gui

import (
	"testing"

	"fyne.io/fyne/v2"

	"keyshelf/vault/check"
)

// TestColumnHeadersSort: the list has headers over its columns; a click
// on one sorts by it, and the Sort box shows the choice in full.
func TestColumnHeadersSort(t *testing.T) {
	h := newHarness(t, "a stripe", stripeKey, "b github", githubKey, "c openai", openaiKey)
	h.unlock()
	m := h.u.main
	names := func() (out []string) {
		for _, e := range m.shown {
			out = append(out, e.Name)
		}
		return out
	}
	// The headers line up with the row's columns.
	r := visibleRow(t, h, "a stripe")
	for _, c := range []struct {
		head string
		col  fyne.CanvasObject
	}{{"Name", r.name}, {"Provider", r.prov}, {"Age", r.age}, {"Check", r.state}} {
		b := h.findButton(c.head)
		if b == nil {
			t.Fatalf("no %s header", c.head)
		}
		bx := absX(t, h, b)
		cx := absX(t, h, c.col)
		if d := bx - cx; d < -1 || d > 1 {
			t.Errorf("the %s header is at x %v, its column at %v", c.head, bx, cx)
		}
	}
	h.tap("Provider")
	if m.sort.Selected != sortProvider || names()[0] != "b github" || h.u.win.Canvas().Focused() != m.search {
		t.Fatalf("after a click on Provider: sort %q, rows %v", m.sort.Selected, names())
	}
	e, _ := h.u.v.Find("c openai")
	if err := h.u.v.RecordCheck(e, check.Result{Outcome: check.Invalid, Checked: h.clock.Now()}); err != nil {
		t.Fatal(err)
	}
	h.tap("Check")
	if m.sort.Selected != sortCheck || names()[0] != "c openai" {
		t.Fatalf("after a click on Check: sort %q, rows %v", m.sort.Selected, names())
	}
	if m.sort.Size().Width < m.sort.MinSize().Width {
		t.Fatalf("the Sort box is %v wide for a choice that needs %v", m.sort.Size().Width, m.sort.MinSize().Width)
	}
	h.tap("Name")
	if m.sort.Selected != sortName || names()[0] != "a stripe" {
		t.Fatalf("after a click on Name: rows %v", names())
	}
}

// absX is o's left edge in the window.
func absX(t *testing.T, h *harness, o fyne.CanvasObject) float32 {
	t.Helper()
	path := pathTo(h.u.win.Canvas().Content(), o)
	if path == nil {
		t.Fatal("not on screen")
	}
	pos, _ := absRect(path)
	return pos.X
}
