// Package ui owns Parley's windows and widgets. It builds them from a
// fyne.App handed in by main.go and never imports fyne.io/fyne/v2/app, so its
// tests run under Fyne's headless test driver with CGO_ENABLED=0 and no X
// server (test.NewTempApp).
//
// Screens: the first-run screen (create a profile, or unlock an existing
// one), then the main screen: a top bar with our name, presence, "My ID" and
// "Add friend"; the friend list with search and incoming requests on the
// left; the chat on the right; the network status at the bottom. All state
// comes from app/viewmodel (architecture.md §9.6); no callback here waits on
// the network. It must not import parley/net/transport, parley/net/session
// or parley/net/dht (net/internal/lint enforces this).
package ui
