package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// fitLabel is a label that shows its full text shortened by shorten to fit
// its width (the name and masked key columns). It calls shorten only when
// the text or the width changes, and sets the label's text only when what it
// shows changes, so a list refresh costs nothing for rows that stay as they
// are. The label itself clips, which never re-shapes the text.
type fitLabel struct {
	widget.Label
	full    string                                            // the whole text
	fitted  float32                                           // the width the shown text was fitted to
	shorten func(full string, width, textSize float32) string // full made to fit width
}

func newFitLabel(style fyne.TextStyle, shorten func(full string, width, textSize float32) string) *fitLabel {
	l := &fitLabel{shorten: shorten}
	l.TextStyle = style
	l.Truncation = fyne.TextTruncateClip
	l.ExtendBaseWidget(l)
	return l
}

// setFull shows s, shortened to fit.
func (l *fitLabel) setFull(s string) {
	if s == l.full && l.fitted == l.Size().Width {
		return
	}
	l.full = s
	l.fit()
}

// Resize fits the text to the new width.
func (l *fitLabel) Resize(size fyne.Size) {
	l.Label.Resize(size)
	if size.Width != l.fitted {
		l.fit()
	}
}

func (l *fitLabel) fit() {
	w := l.Size().Width
	l.fitted = w
	text := l.full
	if w > 0 {
		th := l.Theme()
		text = l.shorten(l.full, w-2*th.Size(theme.SizeNameInnerPadding), th.Size(theme.SizeNameText))
	}
	if l.Text != text {
		l.SetText(text)
	}
}
