package ui

import (
	"errors"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"parley/app/viewmodel"
	"parley/net/key"
)

// addFriendView is the "Add friend" dialog.
type addFriendView struct {
	id     *widget.Entry
	msg    *widget.Entry
	idErr  *widget.Label
	msgErr *widget.Label // the message is longer than other Tox apps take
	send   *widget.Button
	status *widget.Label
	dlg    dialog.Dialog
}

// idError turns a Tox ID parse error into a sentence for the field.
func idError(err error) string {
	switch {
	case errors.Is(err, key.ErrIDLength):
		return "A Tox ID is 76 hexadecimal characters (or a tox: link). " + err.Error()
	case errors.Is(err, key.ErrIDHex):
		return "A Tox ID holds only the characters 0-9 and A-F. " + err.Error()
	case errors.Is(err, key.ErrIDChecksum):
		return "This Tox ID has a typo: its checksum does not match. " + err.Error()
	}
	return err.Error()
}

func (m *mainView) showAddFriend() {
	v := &addFriendView{}
	v.id = widget.NewEntry()
	v.id.SetPlaceHolder("Tox ID (76 characters) or tox: link")
	v.idErr = widget.NewLabel("")
	v.idErr.Importance = widget.DangerImportance
	v.idErr.Wrapping = fyne.TextWrapWord
	v.idErr.Hide()
	v.id.OnChanged = func(string) { v.idErr.Hide() }
	v.msg = widget.NewMultiLineEntry()
	v.msg.SetText("Hi, this is " + m.vm.Self().Name + ". Let's chat on Tox!")
	v.msg.SetMinRowsVisible(3)
	v.msgErr = widget.NewLabel("")
	v.msgErr.Importance = widget.DangerImportance
	v.msgErr.Wrapping = fyne.TextWrapWord
	v.msgErr.Hide()
	v.status = widget.NewLabel("")
	v.send = widget.NewButton("Send friend request", func() {
		v.status.SetText("")
		err := m.vm.AddFriend(v.id.Text, v.msg.Text, func(err error) {
			v.send.Enable()
			if err != nil {
				v.status.Importance = widget.DangerImportance
				v.status.SetText(err.Error())
				return
			}
			v.dlg.Hide()
			m.add = nil
		})
		if err != nil {
			v.idErr.SetText(idError(err))
			v.idErr.Show()
			return
		}
		v.send.Disable()
		v.status.Importance = widget.MediumImportance
		v.status.SetText("Sending…")
	})
	v.send.Importance = widget.HighImportance
	v.msg.OnChanged = func(text string) {
		if n := len(text); n > viewmodel.MaxRequestMessage {
			v.msgErr.SetText(fmt.Sprintf("Too long: qTox, toxic and other Tox apps drop requests over %d bytes (this one is %d).", viewmodel.MaxRequestMessage, n))
			v.msgErr.Show()
			v.send.Disable()
			return
		}
		v.msgErr.Hide()
		v.send.Enable()
	}
	body := container.NewVBox(
		widget.NewLabelWithStyle("Their Tox ID", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), v.id, v.idErr,
		widget.NewLabelWithStyle("Message", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), v.msg, v.msgErr,
		v.send, v.status)
	v.dlg = dialog.NewCustom("Add a friend", "Cancel", container.NewGridWrap(fyne.NewSize(520, 330), body), m.w.win)
	v.dlg.SetOnClosed(func() { m.add = nil })
	m.add = v
	v.dlg.Show()
}
