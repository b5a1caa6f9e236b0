// Package ui owns Parley's windows and widgets. It builds them from a
// fyne.App handed in by main.go and never imports fyne.io/fyne/v2/app, so its
// tests run under Fyne's headless test driver with CGO_ENABLED=0 and no X
// server (test.NewTempApp).
//
// For now it holds one placeholder main window; the real interface (profile,
// own ID, friends, chat) arrives with the desktop-app work and binds to the
// core through app/viewmodel (architecture.md §9.6). It must not import
// parley/net/transport, parley/net/session or parley/net/dht
// (net/internal/lint enforces this).
package ui
