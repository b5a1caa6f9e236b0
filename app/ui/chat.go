package ui

import (
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"parley/app/store"
	"parley/app/viewmodel"
)

// chatView is the right-hand side: the open chat.
type chatView struct {
	vm      *viewmodel.VM
	content fyne.CanvasObject

	empty   fyne.CanvasObject
	pane    fyne.CanvasObject
	avatar  *avatar
	name    *widget.Label
	sub     *widget.RichText
	older   *widget.Button
	list    *chatList
	msgs    *fyne.Container // the rendered bubbles (list.box)
	scroll  *container.Scroll
	typing  *widget.Label
	entry   *chatEntry
	sendBtn *widget.Button
	subText string
	search  *chatSearch // chatsearch.go
}

func newChatView(vm *viewmodel.VM) *chatView {
	c := &chatView{vm: vm}
	hint := widget.NewLabelWithStyle("Pick a friend to chat, or add one with “Add friend”.", fyne.TextAlignCenter, fyne.TextStyle{Italic: true})
	c.empty = container.NewCenter(hint)

	c.avatar = newAvatar(40)
	c.name = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	c.sub = newSecondaryText()

	c.older = widget.NewButton("Load older messages", func() { c.list.showOlder() })
	c.list = newChatList(vm.LoadOlder, vm.HasOlder, c.older)
	c.msgs, c.scroll = c.list.box, c.list.scroll
	c.search = newChatSearch(c)
	header := container.NewBorder(nil, nil, c.avatar.box, container.NewCenter(c.search.button), container.NewVBox(c.name, c.sub))
	c.typing = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Italic: true})

	c.entry = newChatEntry(vm.Send)
	c.entry.SetMinRowsVisible(2)
	c.entry.OnChanged = func(s string) { vm.SetTyping(strings.TrimSpace(s) != "") }
	c.sendBtn = widget.NewButtonWithIcon("", theme.MailSendIcon(), func() {
		t := c.entry.Text
		c.entry.SetText("")
		vm.Send(t)
	})
	input := container.NewBorder(nil, nil, nil, container.NewHBox(newEmojiButton(c.entry), c.sendBtn), c.entry)
	c.pane = container.NewBorder(
		container.NewVBox(container.NewPadded(header), c.search.bar, widget.NewSeparator()),
		container.NewVBox(c.typing, input), nil, nil, c.scroll)
	c.pane.Hide()
	c.content = container.NewStack(c.empty, c.pane)
	return c
}

// refresh shows the open chat. It runs on every change of the chat or of
// the friends, so it touches only what changed: the header's widgets when
// their text differs, and the bubbles through the chat list's window.
func (c *chatView) refresh() {
	pk, msgs, ok := c.vm.Chat()
	if !ok {
		return
	}
	if !c.pane.Visible() {
		c.empty.Hide()
		c.pane.Show()
	}
	c.search.follow(pk)
	f, _ := c.vm.Friend(pk)
	name := f.DisplayName()
	c.avatar.set(name, pk)
	setLabel(c.name, name)
	sub := f.Presence().String()
	if f.StatusMessage != "" {
		sub += " · " + f.StatusMessage
	}
	switch {
	case f.Relayed:
		sub += " · relayed via TCP"
	case f.Link != "":
		sub += " · direct UDP " + f.Link
	}
	if f.Pending {
		sub += " · friend request sent"
	}
	if sub != c.subText {
		setSecondaryText(c.sub, sub)
		c.subText = sub
	}
	typing := ""
	if f.Typing {
		typing = name + " is typing…"
	}
	setLabel(c.typing, typing)
	c.list.update(pk, msgs, name, c.vm.Privacy().Receipts)
}

// setLabel sets l's text when it differs (SetText always redraws).
func setLabel(l *widget.Label, text string) {
	if l.Text != text {
		l.SetText(text)
	}
}

// stateMark is the delivery state of an outgoing message.
func stateMark(s store.State) string {
	switch s {
	case store.Queued:
		return "queued ◷"
	case store.Sent:
		return "sent ✓"
	case store.Delivered:
		return "delivered ✓✓"
	}
	return ""
}

// bubble is one message: text (selectable, so it can be copied), time and,
// for ours when receipts are shown, the delivery state.
// messageBody shows a message's text: a selectable label (so the text can
// be copied), or rich text with hyperlinks when it holds http(s) or tox:
// links (Fyne's rich text cannot be selected, so only then).
func messageBody(text string, action bool) fyne.CanvasObject {
	style := widget.RichTextStyleInline
	style.TextStyle.Italic = action
	segs := linkify(text, style)
	if len(segs) > 1 || (len(segs) == 1 && !isText(segs[0])) {
		rt := widget.NewRichText(segs...)
		rt.Wrapping = fyne.TextWrapWord
		return rt
	}
	body := widget.NewLabel(text)
	body.Wrapping = fyne.TextWrapWord
	body.Selectable = true
	body.TextStyle.Italic = action
	return body
}

func isText(s widget.RichTextSegment) bool {
	_, ok := s.(*widget.TextSegment)
	return ok
}

func bubble(m store.Message, who string, receipts bool) fyne.CanvasObject {
	text := m.Text
	if m.Action {
		if m.Outgoing {
			who = "You"
		}
		text = "* " + who + " " + text
	}
	body := messageBody(text, m.Action)
	meta := m.Time.Format("15:04")
	if m.Outgoing && receipts {
		meta += "  " + stateMark(m.State)
	}
	foot := canvas.NewText(meta, theme.Color(theme.ColorNamePlaceHolder))
	foot.TextSize = 11
	foot.Alignment = fyne.TextAlignTrailing
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	if m.Outgoing {
		bg.FillColor = color.NRGBA{0x3b, 0x82, 0xf6, 0x40}
	}
	bg.CornerRadius = 10
	b := container.NewStack(bg, container.NewPadded(container.NewBorder(nil, foot, nil, nil, body)))
	gap := canvas.NewRectangle(color.Transparent)
	gap.SetMinSize(fyne.NewSize(80, 1))
	if m.Outgoing {
		return container.NewBorder(nil, nil, gap, nil, b)
	}
	return container.NewBorder(nil, nil, nil, container.NewHBox(gap, layout.NewSpacer()), b)
}
