// Package viewmodel owns the state the GUI shows (own identity, friends,
// friend requests, the open chat, network status) and the commands the GUI
// gives, on top of a Core (the subset of *tox.Node the app uses), the
// profile (app/account) and the history (app/store). architecture.md §9.6.
//
// Threading: the state lives on the UI goroutine. One goroutine reads the
// core's events, writes what must survive a crash to the store first, and
// hands every state change to the UI goroutine through Options.Do
// (fyne.Do in the app, a Queue in tests). Commands from the UI never block
// on the network: they run on a worker goroutine, one at a time in order,
// and report back through Do and the OnChange / OnError callbacks.
//
// The package imports no fyne/app package; the only fyne use is fyne.Do as
// the default dispatcher.
package viewmodel
