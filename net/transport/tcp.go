package transport

import (
	"context"
	"net"
	"net/netip"
	"time"
)

// TCPKeepAlive is the keep-alive period of relay connections; the relay
// protocol pings every 30 s on its own (tox-protocol.md §9), this only
// lets the kernel notice a dead peer too.
const TCPKeepAlive = 30 * time.Second

// DialTCP opens a TCP connection to a TCP relay (tox-protocol.md §9): the
// one stream socket Parley opens. It has the signature of
// tcprelay.Dialer, which net/tox injects into its relay clients.
func DialTCP(ctx context.Context, addr netip.AddrPort) (net.Conn, error) {
	d := net.Dialer{KeepAlive: TCPKeepAlive}
	return d.DialContext(ctx, "tcp", addr.String())
}
