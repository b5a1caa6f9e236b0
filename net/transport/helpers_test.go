package transport

import (
	"net"
	"net/netip"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		<-tick.C
	}
}

// goroutineLeakCheck records the goroutine count; the returned func (to be
// deferred) fails the test unless the count falls back to it and no read
// loop survives, polling with a deadline (in the manner of wireguard-go's
// goroutineLeakCheck).
func goroutineLeakCheck(t *testing.T) func() {
	t.Helper()
	before := runtime.NumGoroutine()
	return func() {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			stacks := allStacks()
			n := runtime.NumGoroutine()
			if n <= before && !strings.Contains(stacks, "(*Transport).readLoop") {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("goroutine leak: %d goroutines before, %d after:\n%s", before, n, stacks)
			}
			<-tick.C
		}
	}
}

func allStacks() string {
	buf := make([]byte, 1<<16)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			return string(buf[:n])
		}
		buf = make([]byte, 2*len(buf))
	}
}

// listenLoopback opens a Transport socket on 127.0.0.1 with a kernel port.
func listenLoopback(t testing.TB) PacketConn {
	t.Helper()
	c, err := Listen(Config{BindAddr: netip.MustParseAddr("127.0.0.1"), Ephemeral: true})
	if err != nil {
		t.Fatalf("Listen: %v", err)
	}
	return c
}

// udpClient is a plain socket standing in for a remote peer.
func udpClient(t testing.TB, addr string) *net.UDPConn {
	t.Helper()
	c, err := net.ListenUDP("udp", net.UDPAddrFromAddrPort(netip.MustParseAddrPort(addr)))
	if err != nil {
		t.Fatalf("client socket on %s: %v", addr, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func clientAddr(c *net.UDPConn) netip.AddrPort {
	return c.LocalAddr().(*net.UDPAddr).AddrPort()
}

// to addresses a Transport bound to an unspecified address via ip.
func mustAddr(s string) netip.Addr { return netip.MustParseAddr(s) }

func to(ip string, tr *Transport) netip.AddrPort {
	return netip.AddrPortFrom(netip.MustParseAddr(ip), tr.LocalAddr().Port())
}

// fakePacket is one read result of a fakeConn: a datagram or an error.
type fakePacket struct {
	src  netip.AddrPort
	data []byte
	err  error
}

// fakeConn is an in-memory PacketConn fed through a channel.
type fakeConn struct {
	in        chan fakePacket
	closed    chan struct{}
	closeOnce sync.Once

	mu   sync.Mutex
	sent []fakePacket
}

func newFakeConn() *fakeConn {
	return &fakeConn{in: make(chan fakePacket, 1024), closed: make(chan struct{})}
}

func (f *fakeConn) ReadFromUDPAddrPort(b []byte) (int, netip.AddrPort, error) {
	select {
	case p := <-f.in:
		if p.err != nil {
			return 0, netip.AddrPort{}, p.err
		}
		return copy(b, p.data), p.src, nil // truncates like the kernel
	case <-f.closed:
		return 0, netip.AddrPort{}, net.ErrClosed
	}
}

func (f *fakeConn) WriteToUDPAddrPort(b []byte, dst netip.AddrPort) (int, error) {
	select {
	case <-f.closed:
		return 0, net.ErrClosed
	default:
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sent = append(f.sent, fakePacket{src: dst, data: append([]byte(nil), b...)})
	return len(b), nil
}

func (f *fakeConn) LocalAddr() netip.AddrPort { return netip.MustParseAddrPort("192.0.2.1:33445") }

func (f *fakeConn) Close() error {
	f.closeOnce.Do(func() { close(f.closed) })
	return nil
}

// readWithin reads one datagram from c, failing after a few seconds.
func readWithin(c *net.UDPConn, buf []byte) (int, netip.AddrPort, error) {
	if err := c.SetReadDeadline(time.Now().Add(5 * time.Second)); err != nil {
		return 0, netip.AddrPort{}, err
	}
	return c.ReadFromUDPAddrPort(buf)
}
