package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Title is the main window's title.
const Title = "Parley"

// Texts the placeholder window shows until a profile and a network core are
// wired in.
const (
	ownIDHeading     = "Your Tox ID"
	ownIDPlaceholder = "No profile yet."
	statusConnecting = "Connecting…"
)

// NewMainWindow builds Parley's main window on a: the product name, the
// "Your Tox ID" area and a status line. The caller shows it (ShowAndRun in
// main.go, nothing in tests). Closing it quits the application.
func NewMainWindow(a fyne.App) fyne.Window {
	w := a.NewWindow(Title)
	w.SetIcon(AppIcon)
	w.SetMaster()
	w.SetContent(mainContent())
	w.Resize(fyne.NewSize(720, 480))
	return w
}

// mainContent lays out the header, the own-ID area and the status line.
func mainContent() fyne.CanvasObject {
	icon := canvas.NewImageFromResource(AppIcon)
	icon.FillMode = canvas.ImageFillContain
	icon.SetMinSize(fyne.NewSize(40, 40))
	name := widget.NewLabelWithStyle(Title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	name.SizeName = theme.SizeNameHeadingText
	header := container.NewHBox(icon, name)

	heading := widget.NewLabelWithStyle(ownIDHeading, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	ownID := widget.NewLabel(ownIDPlaceholder)
	ownID.Wrapping = fyne.TextWrapBreak
	ownID.Selectable = true
	body := container.NewVBox(heading, ownID)

	status := widget.NewLabel(statusConnecting)
	status.Importance = widget.LowImportance
	footer := container.NewVBox(widget.NewSeparator(), status)

	return container.NewBorder(
		container.NewVBox(header, widget.NewSeparator()),
		footer, nil, nil,
		container.NewPadded(body),
	)
}
