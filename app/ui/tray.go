package ui

import (
	"strconv"

	"fyne.io/fyne/v2"
)

// trayApp is the part of desktop.App the tray needs: apps whose driver has
// a system tray (the GLFW driver on Linux, Windows and macOS) have it; the
// test app and mobile drivers do not.
type trayApp interface {
	SetSystemTrayMenu(*fyne.Menu)
	SetSystemTrayIcon(fyne.Resource)
}

// tray is the system tray icon's menu: "Show Parley", the unread count
// and "Quit".
type tray struct {
	app    trayApp
	menu   *fyne.Menu
	unread *fyne.MenuItem
	count  int
}

// unreadLabel is the tray menu's unread line.
func unreadLabel(n int) string {
	switch n {
	case 0:
		return "No unread messages"
	case 1:
		return "1 unread message"
	}
	return strconv.Itoa(n) + " unread messages"
}

// newTray puts w's icon in the system tray when w's app has one and the
// desktop shows tray icons (Options.HasTray), and returns nil otherwise.
func newTray(w *Window) *tray {
	ta, ok := w.app.(trayApp)
	if !ok {
		return nil
	}
	hasTray := w.opts.HasTray
	if hasTray == nil {
		hasTray = trayHostAvailable
	}
	if !hasTray() {
		return nil
	}
	t := &tray{app: ta}
	t.unread = fyne.NewMenuItem(unreadLabel(0), w.show)
	quit := fyne.NewMenuItem("Quit", w.quit)
	quit.IsQuit = true
	t.menu = fyne.NewMenu(Title, fyne.NewMenuItem("Show Parley", w.show), t.unread, fyne.NewMenuItemSeparator(), quit)
	ta.SetSystemTrayIcon(AppIcon)
	ta.SetSystemTrayMenu(t.menu)
	return t
}

// setUnread shows n on the unread line. UI goroutine.
func (t *tray) setUnread(n int) {
	if t == nil || n == t.count {
		return
	}
	t.count = n
	t.unread.Label = unreadLabel(n)
	t.menu.Refresh()
}

// UnreadLabel is the tray menu's unread line as it stands, "" without a
// tray (for tests and diagnostics).
func (w *Window) UnreadLabel() string {
	if w.tray == nil {
		return ""
	}
	return w.tray.unread.Label
}

// show brings the window back from the tray.
func (w *Window) show() {
	w.win.Show()
	w.win.RequestFocus()
}

// quit stops the node and quits the application.
func (w *Window) quit() {
	w.Close()
	w.app.Quit()
}

// closeRequested is the window's close button when there is a tray: hide
// to the tray. Without a tray the close button is not intercepted: closing
// the master window quits, and OnClosed stops the node.
func (w *Window) closeRequested() { w.win.Hide() }
