package transport

import (
	"net/netip"
)

// PacketConn is the datagram socket a Transport owns. Transport's own UDP
// socket (see Listen) implements it, and so does netsim's in-memory endpoint.
//
// All methods must be safe for concurrent use. After Close,
// ReadFromUDPAddrPort must return an error satisfying
// errors.Is(err, net.ErrClosed).
type PacketConn interface {
	ReadFromUDPAddrPort(b []byte) (n int, addr netip.AddrPort, err error)
	WriteToUDPAddrPort(b []byte, addr netip.AddrPort) (int, error)
	LocalAddr() netip.AddrPort
	Close() error
}
