//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package transport

import "net"

// setSocketOptions is a no-op where Parley does not set raw socket options
// (no LAN discovery by broadcast there).
func setSocketOptions(*net.UDPConn, bool) error { return nil }
