package transport

import (
	"net"
	"net/netip"
)

// udpConn adapts *net.UDPConn to PacketConn and hides the dual-stack
// address forms: reads report IPv4 peers as IPv4, writes accept either form
// on either kind of socket.
type udpConn struct {
	c     *net.UDPConn
	local netip.AddrPort
	v6    bool // the socket is AF_INET6 (dual-stack when bound to [::])
}

func newUDPConn(c *net.UDPConn, logf func(string, ...any)) *udpConn {
	local := c.LocalAddr().(*net.UDPAddr).AddrPort()
	local = netip.AddrPortFrom(local.Addr().Unmap(), local.Port())
	u := &udpConn{c: c, local: local, v6: local.Addr().Is6()}
	if err := c.SetReadBuffer(socketBufferSize); err != nil {
		logf("transport: set receive buffer: %v", err)
	}
	if err := c.SetWriteBuffer(socketBufferSize); err != nil {
		logf("transport: set send buffer: %v", err)
	}
	if err := setSocketOptions(c, u.v6); err != nil {
		logf("transport: socket options on %v: %v", local, err)
	}
	return u
}

func (u *udpConn) ReadFromUDPAddrPort(b []byte) (int, netip.AddrPort, error) {
	n, src, err := u.c.ReadFromUDPAddrPort(b)
	if src.Addr().Is4In6() {
		src = netip.AddrPortFrom(src.Addr().Unmap(), src.Port())
	}
	return n, src, err
}

func (u *udpConn) WriteToUDPAddrPort(b []byte, dst netip.AddrPort) (int, error) {
	a := dst.Addr()
	switch {
	case u.v6 && a.Is4():
		dst = netip.AddrPortFrom(netip.AddrFrom16(a.As16()), dst.Port())
	case !u.v6 && a.Is4In6():
		dst = netip.AddrPortFrom(a.Unmap(), dst.Port())
	}
	return u.c.WriteToUDPAddrPort(b, dst)
}

func (u *udpConn) LocalAddr() netip.AddrPort { return u.local }

func (u *udpConn) Close() error { return u.c.Close() }
