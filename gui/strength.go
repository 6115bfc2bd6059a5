package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// strengthMeter shows a passphrase's strength: a bar whose length and colour
// follow the score (a fifth and red for very weak, three fifths and amber
// for fair, all of it and green for strong), with the score in words beside
// it, so that colour is never the only sign.
type strengthMeter struct {
	widget.BaseWidget
	score int // 0 (very weak) to 4 (strong); -1 while nothing is typed
}

func newStrengthMeter() *strengthMeter {
	s := &strengthMeter{score: -1}
	s.ExtendBaseWidget(s)
	return s
}

// SetScore shows score, from strength; -1 shows an empty meter.
func (s *strengthMeter) SetScore(score int) {
	score = min(max(score, -1), len(strengthWords)-1)
	if score != s.score {
		s.score = score
		s.Refresh()
	}
}

// Word is what the meter says: the score in words, or "Strength".
func (s *strengthMeter) Word() string {
	if s.score < 0 {
		return "Strength"
	}
	return strengthWords[s.score]
}

// fraction is how much of the bar is filled.
func (s *strengthMeter) fraction() float32 {
	return float32(s.score+1) / float32(len(strengthWords))
}

// colorName is the fill's colour: red up to weak, amber for fair, green
// from good on.
func (s *strengthMeter) colorName() fyne.ThemeColorName {
	switch {
	case s.score >= 3:
		return theme.ColorNameSuccess
	case s.score == 2:
		return theme.ColorNameWarning
	}
	return theme.ColorNameError
}

// CreateRenderer draws the track, the fill and the word.
func (s *strengthMeter) CreateRenderer() fyne.WidgetRenderer {
	r := &strengthRenderer{s: s, track: &canvas.Rectangle{}, fill: &canvas.Rectangle{}, word: &canvas.Text{}}
	r.Refresh()
	return r
}

type strengthRenderer struct {
	s           *strengthMeter
	track, fill *canvas.Rectangle
	word        *canvas.Text
}

// wordWidth is the room kept for the word: the longest one, so that the bar
// keeps its length whatever it says.
func (r *strengthRenderer) wordWidth() float32 {
	w := fyne.MeasureText("Strength", r.word.TextSize, r.word.TextStyle).Width
	for _, s := range strengthWords {
		w = max(w, fyne.MeasureText(s, r.word.TextSize, r.word.TextStyle).Width)
	}
	return w
}

func (r *strengthRenderer) barHeight() float32 {
	return r.s.Theme().Size(theme.SizeNameInnerPadding)
}

func (r *strengthRenderer) Layout(size fyne.Size) {
	pad := r.s.Theme().Size(theme.SizeNameInnerPadding)
	ww := r.wordWidth()
	barW := max(size.Width-ww-pad, 0)
	h := r.barHeight()
	pos := fyne.NewPos(0, (size.Height-h)/2)
	r.track.Move(pos)
	r.track.Resize(fyne.NewSize(barW, h))
	r.fill.Move(pos)
	fill := float32(0)
	if r.s.score >= 0 {
		fill = barW * r.s.fraction()
	}
	r.fill.Resize(fyne.NewSize(fill, h))
	th := r.word.MinSize().Height
	r.word.Move(fyne.NewPos(barW+pad, (size.Height-th)/2))
	r.word.Resize(fyne.NewSize(ww, th))
}

func (r *strengthRenderer) MinSize() fyne.Size {
	pad := r.s.Theme().Size(theme.SizeNameInnerPadding)
	text := fyne.MeasureText("Strength", r.word.TextSize, r.word.TextStyle)
	return fyne.NewSize(r.wordWidth()+pad+4*pad, text.Height+2*pad)
}

func (r *strengthRenderer) Refresh() {
	th := r.s.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	radius := r.barHeight() / 2
	r.track.FillColor = th.Color(theme.ColorNameInputBackground, v)
	r.track.CornerRadius = radius
	r.fill.FillColor = th.Color(r.s.colorName(), v)
	r.fill.CornerRadius = radius
	r.fill.Hidden = r.s.score < 0
	r.word.Text = r.s.Word()
	r.word.TextSize = th.Size(theme.SizeNameText)
	r.word.Color = th.Color(theme.ColorNameForeground, v)
	if r.s.score < 0 {
		r.word.Color = th.Color(theme.ColorNameDisabled, v)
	}
	r.Layout(r.s.Size())
	canvas.Refresh(r.s)
}

func (r *strengthRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.track, r.fill, r.word}
}

func (r *strengthRenderer) Destroy() {}
