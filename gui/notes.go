package gui

import (
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// notesWrapLimit is the longest line (in characters) the notes field still
// wraps. Fyne 2.7's word wrap (widget.lineBounds) measures the rest of a
// line again for every row it makes, so a long line costs time growing with
// the square of its length: a 14 KB paragraph took 12 s to open, a 14 KB
// token 7 s (BenchmarkEditorLongNote). Longer lines scroll sideways in the
// field instead, which costs nothing.
const notesWrapLimit = 1000

// notesChunk is the most characters of a line in one segment of the notes
// preview: each segment is wrapped on its own, so the cost stays linear.
const notesChunk = 200

// longestLine is the length, in characters, of the longest line of s.
func longestLine(s string) int {
	longest := 0
	for line := range strings.SplitSeq(s, "\n") {
		longest = max(longest, utf8.RuneCountInString(line))
	}
	return longest
}

// notesPreview shows text wrapped, quickly at any length: each line is cut
// into segments of at most notesChunk characters (at a space where there is
// one), which run on inline, so that no segment is long enough to be slow.
func notesPreview(text string) *widget.RichText {
	var segs []widget.RichTextSegment
	for line := range strings.SplitSeq(text, "\n") {
		rest := []rune(line)
		for {
			n := len(rest)
			if n > notesChunk {
				n = notesChunk
				if i := strings.LastIndexByte(string(rest[:n]), ' '); i > 0 {
					n = utf8.RuneCountInString(string(rest[:n])[:i+1])
				}
			}
			last := n == len(rest)
			style := widget.RichTextStyleInline
			if last {
				style = widget.RichTextStyleParagraph
			}
			segs = append(segs, &widget.TextSegment{Text: string(rest[:n]), Style: style})
			rest = rest[n:]
			if last {
				break
			}
		}
	}
	rt := widget.NewRichText(segs...)
	rt.Wrapping = fyne.TextWrapWord
	return rt
}

// longNotes is the notes row for notes with a line too long for the field
// to wrap quickly: the notes wrapped, read-only, and a button that swaps in
// the field itself (unwrapped: such lines scroll sideways).
func (ed *editor) longNotes() fyne.CanvasObject {
	preview := container.NewVScroll(notesPreview(ed.notes.Text))
	preview.SetMinSize(fyne.NewSize(0, ed.notes.MinSize().Height))
	box := container.NewStack()
	edit := widget.NewButtonWithIcon("Edit notes", theme.DocumentCreateIcon(), func() {
		box.Objects = []fyne.CanvasObject{ed.notes}
		box.Refresh()
		ed.m.u.win.Canvas().Focus(ed.notes)
		ed.relayout()
	})
	edit.Importance = widget.LowImportance
	box.Objects = []fyne.CanvasObject{container.NewBorder(nil, container.NewHBox(edit), nil, nil, preview)}
	return box
}
