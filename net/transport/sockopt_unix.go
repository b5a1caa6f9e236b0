//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package transport

import (
	"errors"
	"fmt"
	"net"
	"syscall"
)

// allNodes is ff02::1, the link-local all-nodes group that c-toxcore joins
// to hear IPv6 LAN discovery (tox-protocol.md §4.3).
var allNodes = [16]byte{0: 0xff, 1: 0x02, 15: 0x01}

// setSocketOptions enables broadcast (IPv4 LAN discovery) and, on an IPv6
// socket, joins ff02::1 on the default interface. Both are best effort.
func setSocketOptions(c *net.UDPConn, v6 bool) error {
	rc, err := c.SyscallConn()
	if err != nil {
		return err
	}
	var errs []error
	err = rc.Control(func(fd uintptr) {
		if e := syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_BROADCAST, 1); e != nil {
			errs = append(errs, fmt.Errorf("SO_BROADCAST: %w", e))
		}
		if v6 {
			mreq := &syscall.IPv6Mreq{Multiaddr: allNodes}
			if e := syscall.SetsockoptIPv6Mreq(int(fd), syscall.IPPROTO_IPV6, syscall.IPV6_JOIN_GROUP, mreq); e != nil {
				errs = append(errs, fmt.Errorf("join ff02::1: %w", e))
			}
		}
	})
	if err != nil {
		return err
	}
	return errors.Join(errs...)
}
