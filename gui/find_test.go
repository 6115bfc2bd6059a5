package gui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// findVisible returns the first visible object of type T under root (in
// drawing order, through containers and widget renderers) that match
// accepts.
func findVisible[T fyne.CanvasObject](root fyne.CanvasObject, match func(T) bool) (found T, ok bool) {
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if ok || o == nil || !o.Visible() {
			return
		}
		if v, is := o.(T); is && match(v) {
			found, ok = v, true
			return
		}
		switch v := o.(type) {
		case *fyne.Container:
			for _, c := range v.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(v).Objects() {
				walk(c)
			}
		}
	}
	walk(root)
	return found, ok
}

// visibleRow is the row on screen that shows the key named name.
func visibleRow(t *testing.T, h *harness, name string) *keyRow {
	t.Helper()
	row, ok := findVisible(h.u.win.Canvas().Content(), func(r *keyRow) bool { return r.name.full == name })
	if !ok {
		t.Fatalf("no row %q on screen", name)
	}
	return row
}
