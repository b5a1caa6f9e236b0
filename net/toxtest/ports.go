package toxtest

import (
	"errors"
	"fmt"
	"net"
	"sync"
	"testing"
)

// toxcore binds 33445..33545 when not told otherwise (tox-protocol.md §2);
// ad-hoc toxes and toxic land there, so the kit never hands those out.
const (
	toxDefaultPortFrom = 33445
	toxDefaultPortTo   = 33545
)

// peerPortSpan is how many ports each toxpeer may try. The first was free a
// moment before the peer started; the rest absorb a race with another process.
const peerPortSpan = 4

var claimed struct {
	sync.Mutex
	ports map[uint16]bool
}

// FreePort returns a port that was free for both UDP and TCP on every IPv4
// address (so on 127.0.0.1 too) and that this process has not handed out
// before. Another process may still take it before it is used; the kit's
// users retry or give toxcore a range.
func FreePort(t testing.TB) uint16 {
	t.Helper()
	p, err := freePorts(1)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// freePorts finds a base port such that base..base+span-1 are unclaimed
// and base is free for UDP and TCP, and claims them all.
func freePorts(span int) (uint16, error) {
	claimed.Lock()
	defer claimed.Unlock()
	if claimed.ports == nil {
		claimed.ports = make(map[uint16]bool)
	}
	for try := 0; try < 100; try++ {
		p, err := kernelFreePort()
		if err != nil {
			return 0, err
		}
		if p == 0 || int(p)+span-1 > 65535 {
			continue
		}
		ok := true
		for q := int(p); q < int(p)+span; q++ {
			if claimed.ports[uint16(q)] || (q >= toxDefaultPortFrom && q <= toxDefaultPortTo) {
				ok = false
			}
		}
		if !ok {
			continue
		}
		for q := int(p); q < int(p)+span; q++ {
			claimed.ports[uint16(q)] = true
		}
		return p, nil
	}
	return 0, errors.New("toxtest: found no free port range in 100 tries")
}

// kernelFreePort asks the kernel for a free UDP port and checks that TCP
// can bind it too. Both sockets are closed again.
func kernelFreePort() (uint16, error) {
	for {
		u, err := net.ListenUDP("udp4", &net.UDPAddr{})
		if err != nil {
			return 0, fmt.Errorf("toxtest: free port: %w", err)
		}
		port := u.LocalAddr().(*net.UDPAddr).Port
		l, err := net.ListenTCP("tcp4", &net.TCPAddr{Port: port})
		u.Close()
		if err == nil {
			l.Close()
			return uint16(port), nil
		}
	}
}
