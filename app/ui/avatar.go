package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"

	"parley/app/viewmodel"
	"parley/net/key"
)

// avatarColors are the backgrounds of initials avatars, picked by key.
var avatarColors = []color.NRGBA{
	{0x3b, 0x82, 0xf6, 0xff}, {0x10, 0xb9, 0x81, 0xff}, {0xf5, 0x9e, 0x0b, 0xff},
	{0xef, 0x44, 0x44, 0xff}, {0x8b, 0x5c, 0xf6, 0xff}, {0xec, 0x48, 0x99, 0xff},
	{0x14, 0xb8, 0xa6, 0xff}, {0x64, 0x74, 0x8b, 0xff},
}

// avatar is a coloured circle with initials.
type avatar struct {
	circle *canvas.Circle
	text   *canvas.Text
	box    *fyne.Container
}

func newAvatar(size float32) *avatar {
	a := &avatar{circle: canvas.NewCircle(avatarColors[0]), text: canvas.NewText("?", color.White)}
	a.text.TextStyle.Bold = true
	a.text.TextSize = size * 0.4
	a.text.Alignment = fyne.TextAlignCenter
	a.box = container.NewGridWrap(fyne.NewSize(size, size), container.NewStack(a.circle, container.NewCenter(a.text)))
	return a
}

func (a *avatar) set(name string, pk key.PublicKey) {
	a.text.Text = viewmodel.Initials(name)
	a.circle.FillColor = avatarColors[int(pk[0])%len(avatarColors)]
	a.text.Refresh()
	a.circle.Refresh()
}

// presenceColor is the dot of a presence.
func presenceColor(p viewmodel.Presence) color.Color {
	switch p {
	case viewmodel.Online:
		return color.NRGBA{0x22, 0xc5, 0x5e, 0xff}
	case viewmodel.Away:
		return color.NRGBA{0xea, 0xb3, 0x08, 0xff}
	case viewmodel.Busy:
		return color.NRGBA{0xef, 0x44, 0x44, 0xff}
	}
	return color.NRGBA{0x9c, 0xa3, 0xaf, 0xff}
}
