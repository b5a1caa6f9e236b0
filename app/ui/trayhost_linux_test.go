package ui

import (
	"path/filepath"
	"testing"
)

// Without a session bus, or with one that does not answer, there is no
// tray host: the window then closes normally instead of hiding to an
// invisible tray icon.
func TestTrayHostWithoutBus(t *testing.T) {
	if trayHostOn("") {
		t.Error("a tray host without a bus address")
	}
	if trayHostOn("unix:path=" + filepath.Join(t.TempDir(), "no-bus")) {
		t.Error("a tray host on a bus that is not there")
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
	if a := sessionBusAddress(); a != "" {
		t.Errorf("session bus address %q with none in the environment", a)
	}
	if trayHostAvailable() {
		t.Error("tray host available without a session bus")
	}
}
