package ui

import (
	"image"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	qrcode "github.com/skip2/go-qrcode"

	"parley/app/viewmodel"
)

// qrImage renders s as a QR code (medium error correction).
func qrImage(s string) (image.Image, error) {
	q, err := qrcode.New(s, qrcode.Medium)
	if err != nil {
		return nil, err
	}
	q.DisableBorder = false
	return q.Image(512), nil
}

// ownIDView is the "My ID" dialog: the full Tox ID with Copy, the QR code
// of the tox: URI, the URI, and Share (an invitation text).
type ownIDView struct {
	m      *mainView
	id     *widget.Label
	uri    *widget.Label
	qr     *canvas.Image
	copy   *widget.Button
	share  *widget.Button
	copied *widget.Label
	nospam *widget.Button
	dlg    dialog.Dialog
}

func (m *mainView) showOwnID() {
	v := &ownIDView{m: m}
	v.id = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Monospace: true})
	v.id.Wrapping = fyne.TextWrapBreak
	v.id.Selectable = true
	v.uri = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Monospace: true})
	v.uri.Wrapping = fyne.TextWrapBreak
	v.uri.Selectable = true
	v.qr = canvas.NewImageFromImage(nil)
	v.qr.FillMode = canvas.ImageFillContain
	v.qr.ScaleMode = canvas.ImageScalePixels
	v.qr.SetMinSize(fyne.NewSize(220, 220))
	v.copied = widget.NewLabel("")
	v.copied.Importance = widget.SuccessImportance
	clip := m.w.app.Clipboard()
	v.copy = widget.NewButtonWithIcon("Copy ID", theme.ContentCopyIcon(), func() {
		clip.SetContent(m.vm.Self().ID.String())
		v.copied.SetText("Tox ID copied.")
	})
	v.copy.Importance = widget.HighImportance
	v.share = widget.NewButtonWithIcon("Share", theme.MailForwardIcon(), func() {
		clip.SetContent(m.vm.Self().Invitation())
		v.copied.SetText("Invitation copied: paste it into any chat or mail.")
	})
	copyURI := widget.NewButtonWithIcon("Copy link", theme.ContentCopyIcon(), func() {
		clip.SetContent(m.vm.Self().ID.URI())
		v.copied.SetText("tox: link copied.")
	})
	v.nospam = widget.NewButtonWithIcon("New nospam", theme.ViewRefreshIcon(), func() {
		dialog.ShowConfirm("Change your Tox ID?",
			"Friends keep working, but friend requests sent to your current ID will be refused.\nUse this to stop spam.",
			func(ok bool) {
				if ok {
					v.renewNospam()
				}
			}, m.w.win)
	})
	explain := widget.NewLabel("Give this ID to friends so they can add you. Scan the code with a Tox app on a phone.")
	explain.Wrapping = fyne.TextWrapWord
	body := container.NewVBox(explain, container.NewCenter(v.qr), v.id, v.uri,
		container.NewCenter(container.NewHBox(v.copy, copyURI, v.share, v.nospam)), v.copied)
	v.update(m.vm.Self())
	m.ownID = v
	v.dlg = dialog.NewCustom("Your Tox ID", "Close", container.NewGridWrap(fyne.NewSize(560, 500), body), m.w.win)
	v.dlg.SetOnClosed(func() { m.ownID = nil })
	v.dlg.Show()
}

func (v *ownIDView) update(s viewmodel.Self) {
	v.id.SetText(s.ID.String())
	v.uri.SetText(s.ID.URI())
	if img, err := qrImage(s.ID.URI()); err == nil {
		v.qr.Image = img
		v.qr.Refresh()
	}
}

// renewNospam changes the nospam (the user confirmed); the ID, URI and QR
// code update through ChangedSelf.
func (v *ownIDView) renewNospam() {
	v.nospam.Disable()
	v.m.vm.NewNospam(func(err error) {
		v.nospam.Enable()
		if err != nil {
			dialog.ShowError(err, v.m.w.win)
			return
		}
		v.copied.SetText("New Tox ID: requests to the old one are refused.")
	})
}
