//go:build !linux

package ui

// trayHostAvailable: Windows' notification area and macOS' menu bar
// always show tray icons; the BSDs are treated like them.
func trayHostAvailable() bool { return true }
