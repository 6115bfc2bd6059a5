package gui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
)

// pathTo is the chain of objects from root down to target, or nil.
func pathTo(root, target fyne.CanvasObject) []fyne.CanvasObject {
	if root == nil || !root.Visible() {
		return nil
	}
	if root == target {
		return []fyne.CanvasObject{root}
	}
	var kids []fyne.CanvasObject
	switch v := root.(type) {
	case *fyne.Container:
		kids = v.Objects
	case fyne.Widget:
		kids = test.WidgetRenderer(v).Objects()
	}
	for _, k := range kids {
		if p := pathTo(k, target); p != nil {
			return append([]fyne.CanvasObject{root}, p...)
		}
	}
	return nil
}

// absRect is o's rectangle on the canvas, given its chain of parents.
func absRect(path []fyne.CanvasObject) (fyne.Position, fyne.Size) {
	var pos fyne.Position
	for _, o := range path {
		pos = pos.Add(o.Position())
	}
	return pos, path[len(path)-1].Size()
}

// assertSeen fails unless o is on show in the newest dialog: visible, with
// its whole rectangle inside the window and inside every scroll container
// that holds it (not in a scroll's hidden part).
func assertSeen(t *testing.T, h *harness, o fyne.CanvasObject, what string) {
	t.Helper()
	ov := h.u.win.Canvas().Overlays().List()
	if len(ov) == 0 {
		t.Fatal("no dialog")
	}
	path := pathTo(ov[len(ov)-1], o)
	if path == nil {
		t.Fatalf("%s: not on show in the dialog", what)
	}
	pos, size := absRect(path)
	win := h.u.win.Canvas().Size()
	if size.Height < o.MinSize().Height-0.5 {
		t.Fatalf("%s: %v high, cut off from its %v", what, size.Height, o.MinSize().Height)
	}
	if size.Height <= 0 || pos.Y < 0 || pos.Y+size.Height > win.Height || pos.X < 0 || pos.X+size.Width > win.Width {
		t.Fatalf("%s: at %v size %v, outside the %v window", what, pos, size, win)
	}
	for i, p := range path {
		s, ok := p.(*container.Scroll)
		if !ok {
			continue
		}
		spos, ssize := absRect(path[:i+1])
		if pos.Y < spos.Y || pos.Y+size.Height > spos.Y+ssize.Height {
			t.Fatalf("%s: at y %v..%v, outside its scroll's visible y %v..%v (offset %v)",
				what, pos.Y, pos.Y+size.Height, spos.Y, spos.Y+ssize.Height, s.Offset.Y)
		}
	}
}

// TestEditorMessagesInSight: at the default window size, a problem, the
// reason for a greyed Save, and the Test result are in sight without
// scrolling.
func TestEditorMessagesInSight(t *testing.T) {
	h := newHarness(t, "OpenAI prod", openaiKey)
	if got := h.u.win.Canvas().Size(); got != fyne.NewSize(960, 640) {
		t.Fatalf("default window size %v", got)
	}
	h.unlock()
	h.shortcut(newShortcut)
	ed := h.u.editor
	// Untouched: Save is greyed and says why.
	if !ed.save.Disabled() || ed.problem.Text == "" && ed.hint.Text == "" {
		t.Fatalf("greyed Save without a reason: problem %q hint %q", ed.problem.Text, ed.hint.Text)
	}
	why := ed.problem
	if why.Text == "" {
		why = ed.hint
	}
	if !strings.Contains(why.Text, "name") || !strings.Contains(why.Text, "key") {
		t.Fatalf("the reason for a greyed Save: %q", why.Text)
	}
	assertSeen(t, h, why, "why Save is greyed")

	test.Type(ed.name, "openai prod")
	ed.key.SetText(" " + githubKey + " ")
	if !strings.Contains(ed.problem.Text, "already have a key") || !ed.save.Disabled() {
		t.Fatalf("duplicate name: %q", ed.problem.Text)
	}
	assertSeen(t, h, ed.problem, "the duplicate-name problem")

	ed.expires.SetText("31/03/2027")
	if !strings.Contains(ed.problem.Text, "YYYY-MM-DD") {
		t.Fatalf("bad date: %q", ed.problem.Text)
	}
	assertSeen(t, h, ed.problem, "the bad-date problem")

	withGitHub(t, h)
	test.Tap(ed.test)
	if ed.result.Text == "" || ed.result.Text == "Testing…" {
		t.Fatalf("test result %q", ed.result.Text)
	}
	assertSeen(t, h, ed.result, "the Test result")
}
