package ui

import (
	"errors"

	"fyne.io/fyne/v2"

	"parley/app/account"
	"parley/app/settings"
	"parley/app/store"
	"parley/app/viewmodel"
)

// Title is the main window's title.
const Title = "Parley"

// Options configure the main window.
type Options struct {
	// Dir holds the profiles; "" is account.Dir().
	Dir string
	// Start starts the core of an opened profile (off the UI goroutine);
	// nil is viewmodel.StartNode.
	Start func(*account.Account) (viewmodel.Core, error)
	// Do runs a function on the UI goroutine; nil is fyne.Do.
	Do func(func())
	// HasTray reports whether the desktop shows tray icons; nil asks the
	// session bus for a StatusNotifierWatcher (Linux). Without a tray
	// host, closing the window quits instead of hiding it.
	HasTray func() bool
}

// Window is Parley's main window and what it shows.
type Window struct {
	app  fyne.App
	win  fyne.Window
	opts Options
	vm   *viewmodel.VM

	first    *firstRun
	main     *mainView
	tray     *tray // nil where the desktop has no system tray
	settings settings.Settings
	focused  bool // the app is in the foreground (its window has the focus)
}

// NewMainWindow builds Parley's main window on a with the default options.
// The caller shows it (ShowAndRun in main.go). Closing it hides it to the
// system tray where the desktop has one; else, and with the tray's "Quit",
// it stops the node and quits the application.
func NewMainWindow(a fyne.App) fyne.Window { return New(a, Options{}).win }

// New builds the main window: the first-run screen, which leads to the
// main screen once a profile is open.
func New(a fyne.App, o Options) *Window {
	if o.Dir == "" {
		if d, err := account.Dir(); err == nil {
			o.Dir = d
		}
	}
	if o.Start == nil {
		o.Start = viewmodel.StartNode
	}
	if o.Do == nil {
		o.Do = fyne.Do
	}
	w := &Window{app: a, win: a.NewWindow(Title), opts: o, focused: true}
	a.Lifecycle().SetOnEnteredForeground(func() { w.setFocused(true) })
	a.Lifecycle().SetOnExitedForeground(func() { w.setFocused(false) })
	w.settings, _ = settings.Load(o.Dir) // a corrupt file gives the defaults
	applyTheme(a, w.settings.Theme)
	w.win.SetIcon(AppIcon)
	w.win.SetMaster()
	w.win.Resize(fyne.NewSize(960, 640))
	w.win.SetOnClosed(w.Close)
	if w.tray = newTray(w); w.tray != nil {
		w.win.SetCloseIntercept(w.closeRequested)
	}
	w.first = newFirstRun(w)
	w.win.SetContent(w.first.content)
	return w
}

// setFocused records whether the window has the focus, for the view
// model's notification decision. Called on the UI goroutine.
func (w *Window) setFocused(f bool) {
	w.focused = f
	if w.vm != nil {
		w.vm.SetFocused(f)
	}
}

// notify shows a desktop notification.
func (w *Window) notify(title, body string) {
	w.app.SendNotification(fyne.NewNotification(title, body))
}

// Window returns the Fyne window.
func (w *Window) Window() fyne.Window { return w.win }

// Close stops the node and closes the history. Safe to call more than once.
func (w *Window) Close() {
	if w.vm != nil {
		w.vm.Close()
	}
}

// open starts the core of acct off the UI goroutine and shows the main
// screen when it runs. done gets the error, on the UI goroutine.
func (w *Window) open(acct *account.Account, done func(error)) {
	go func() {
		st, err := store.Open(acct.HistoryPath())
		var core viewmodel.Core
		if err == nil {
			core, err = w.opts.Start(acct)
			if err != nil {
				err = errors.Join(err, st.Close())
			}
		}
		w.opts.Do(func() {
			if err != nil {
				done(err)
				return
			}
			privacy := w.settings.Privacy
			w.vm = viewmodel.New(core, acct, st, viewmodel.Options{Do: w.opts.Do, Privacy: &privacy,
				Notifier: w.notify, Notifications: w.settings.Notifications})
			w.vm.SetFocused(w.focused)
			w.main = newMainView(w, w.vm)
			w.win.SetContent(w.main.content)
			w.vm.Start()
			done(nil)
		})
	}()
}
