package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// bubbleView holds one rendered bubble and remembers its minimum size: the
// chat lays its window out on every new message, and measuring wrapped
// text again for every bubble each time would cost in proportion to the
// window. The size is measured again when the width changes or the bubble
// is refreshed.
type bubbleView struct {
	widget.BaseWidget
	inner fyne.CanvasObject
	min   fyne.Size
	width float32 // the width min was measured at
}

func newBubbleView(inner fyne.CanvasObject) *bubbleView {
	b := &bubbleView{inner: inner, width: -1}
	b.ExtendBaseWidget(b)
	return b
}

// CreateRenderer implements fyne.Widget.
func (b *bubbleView) CreateRenderer() fyne.WidgetRenderer { return &bubbleRenderer{b: b} }

// MinSize is the inner bubble's, measured once per width.
func (b *bubbleView) MinSize() fyne.Size {
	if b.width != b.Size().Width || b.min.IsZero() {
		b.min, b.width = b.inner.MinSize(), b.Size().Width
	}
	return b.min
}

type bubbleRenderer struct{ b *bubbleView }

func (r *bubbleRenderer) Layout(s fyne.Size) { r.b.inner.Resize(s) }

func (r *bubbleRenderer) MinSize() fyne.Size { return r.b.MinSize() }

func (r *bubbleRenderer) Refresh() {
	r.b.min = fyne.Size{}
	r.b.inner.Refresh()
}

func (r *bubbleRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.b.inner} }

func (r *bubbleRenderer) Destroy() {}
