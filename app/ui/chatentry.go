package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// chatEntry is the multi-line message field: Enter sends, Shift+Enter
// starts a new line (Fyne's multi-line Entry does the opposite).
type chatEntry struct {
	widget.Entry
	shift  bool
	onSend func(string)
}

func newChatEntry(onSend func(string)) *chatEntry {
	e := &chatEntry{onSend: onSend}
	e.MultiLine = true
	e.Wrapping = fyne.TextWrapWord
	e.SetPlaceHolder("Type a message… (Enter sends, Shift+Enter new line)")
	e.ExtendBaseWidget(e)
	return e
}

// KeyDown tracks Shift.
func (e *chatEntry) KeyDown(k *fyne.KeyEvent) {
	if k.Name == desktop.KeyShiftLeft || k.Name == desktop.KeyShiftRight {
		e.shift = true
	}
	e.Entry.KeyDown(k)
}

// KeyUp tracks Shift.
func (e *chatEntry) KeyUp(k *fyne.KeyEvent) {
	if k.Name == desktop.KeyShiftLeft || k.Name == desktop.KeyShiftRight {
		e.shift = false
	}
	e.Entry.KeyUp(k)
}

// TypedKey sends on Enter without Shift.
func (e *chatEntry) TypedKey(k *fyne.KeyEvent) {
	if (k.Name == fyne.KeyReturn || k.Name == fyne.KeyEnter) && !e.shift {
		text := e.Text
		e.SetText("")
		if e.onSend != nil {
			e.onSend(text)
		}
		return
	}
	e.Entry.TypedKey(k)
}
