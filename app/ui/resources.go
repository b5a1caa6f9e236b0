package ui

import (
	"fyne.io/fyne/v2"

	"parley/assets"
)

// AppIcon is Parley's icon (assets/icon.png) as a Fyne resource, for the
// application and its windows.
var AppIcon fyne.Resource = fyne.NewStaticResource("icon.png", assets.Icon)
