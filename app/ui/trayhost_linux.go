package ui

import (
	"context"
	"os"
	"path/filepath"
	"time"

	"github.com/godbus/dbus/v5"
)

// statusNotifierWatcher is the D-Bus name of the tray host that Fyne's
// system tray (StatusNotifierItem) registers with: KDE, XFCE, Cinnamon,
// GNOME with the AppIndicator extension, and most panels own it.
const statusNotifierWatcher = "org.kde.StatusNotifierWatcher"

// trayHostAvailable reports whether this desktop shows tray icons: the
// session bus is reachable and a StatusNotifierWatcher owns its name.
// Without one, Fyne's tray icon would be invisible and a window hidden to
// it could not be brought back, so Parley then keeps no tray.
func trayHostAvailable() bool {
	return trayHostOn(sessionBusAddress())
}

// sessionBusAddress is the session bus from the environment, or the
// systemd user bus socket; "" when there is none. It never starts a bus
// (dbus-launch), unlike godbus's SessionBus.
func sessionBusAddress() string {
	if a := os.Getenv("DBUS_SESSION_BUS_ADDRESS"); a != "" {
		return a
	}
	if d := os.Getenv("XDG_RUNTIME_DIR"); d != "" {
		p := filepath.Join(d, "bus")
		if fi, err := os.Stat(p); err == nil && fi.Mode()&os.ModeSocket != 0 {
			return "unix:path=" + p
		}
	}
	return ""
}

// trayHostOn asks the bus at addr whether a StatusNotifierWatcher is
// there, within a second.
func trayHostOn(addr string) bool {
	if addr == "" {
		return false
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	conn, err := dbus.Connect(addr, dbus.WithContext(ctx))
	if err != nil {
		return false
	}
	defer conn.Close()
	var has bool
	err = conn.BusObject().CallWithContext(ctx, "org.freedesktop.DBus.NameHasOwner", 0, statusNotifierWatcher).Store(&has)
	return err == nil && has
}
