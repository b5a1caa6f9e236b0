package netsim

import (
	"fmt"
	"net"
	"net/netip"
	"sync/atomic"
)

// Conn is a datagram socket on the network; it implements
// transport.PacketConn. Arriving packets wait in a bounded queue (see
// SetQueueLen) for ReadFromUDPAddrPort; when it is full they are dropped
// and counted. All methods are safe for concurrent use.
type Conn struct {
	h       *Host
	ch      chan datagram
	done    chan struct{} // closed by Host.closeLocked
	dropped atomic.Uint64
}

type datagram struct {
	src netip.AddrPort
	b   []byte
}

// Listen binds a conn at addr on the public network. Port 0 picks a free
// port.
func (n *Network) Listen(addr netip.AddrPort) (*Conn, error) {
	return n.listen(nil, addr)
}

// Listen binds a conn at a private address behind the NAT.
func (nat *NAT) Listen(private netip.AddrPort) (*Conn, error) {
	return nat.n.listen(nat, private)
}

func (n *Network) listen(nat *NAT, addr netip.AddrPort) (*Conn, error) {
	h, err := n.bind(nat, addr, nil)
	if err != nil {
		return nil, err
	}
	return h.conn, nil
}

// push queues d without blocking and reports whether there was room.
// n.mu is held, so push never races with Close.
func (c *Conn) push(d datagram) bool {
	select {
	case c.ch <- d:
		return true
	default:
		c.dropped.Add(1)
		return false
	}
}

// ReadFromUDPAddrPort waits for a packet and copies it into b, truncating
// it if b is short, as UDP does. After Close it returns an error that
// satisfies errors.Is(err, net.ErrClosed).
func (c *Conn) ReadFromUDPAddrPort(b []byte) (int, netip.AddrPort, error) {
	select {
	case <-c.done:
		return 0, netip.AddrPort{}, c.opErr("read", net.ErrClosed)
	default:
	}
	select {
	case d := <-c.ch:
		return copy(b, d.b), d.src, nil
	case <-c.done:
		return 0, netip.AddrPort{}, c.opErr("read", net.ErrClosed)
	}
}

// WriteToUDPAddrPort sends a copy of b to addr. It never blocks; the link
// decides the packet's fate.
func (c *Conn) WriteToUDPAddrPort(b []byte, addr netip.AddrPort) (int, error) {
	switch {
	case !addr.Addr().IsValid() || addr.Port() == 0:
		return 0, c.opErr("write", ErrInvalidAddr)
	case len(b) > MaxDatagram:
		return 0, c.opErr("write", ErrMessageTooLong)
	}
	if !c.h.n.send(c.h, addr, b) {
		return 0, c.opErr("write", net.ErrClosed)
	}
	return len(b), nil
}

// LocalAddr returns the bound address (private for a conn behind a NAT).
func (c *Conn) LocalAddr() netip.AddrPort { return c.h.addr }

// Close unbinds the conn and wakes blocked reads. Closing twice returns an
// error satisfying errors.Is(err, net.ErrClosed).
func (c *Conn) Close() error {
	n := c.h.n
	n.mu.Lock()
	defer n.mu.Unlock()
	if c.h.closed {
		return c.opErr("close", net.ErrClosed)
	}
	c.h.closeLocked()
	return nil
}

// Dropped returns how many arriving packets found the queue full.
func (c *Conn) Dropped() uint64 { return c.dropped.Load() }

func (c *Conn) opErr(op string, err error) error {
	return &net.OpError{Op: op, Net: "udp", Source: net.UDPAddrFromAddrPort(c.h.addr), Err: fmt.Errorf("netsim: %w", err)}
}
