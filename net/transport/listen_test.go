package transport

import (
	"errors"
	"net"
	"net/netip"
	"os"
	"syscall"
	"testing"

	"parley/net/wire"
)

func TestPortRange(t *testing.T) {
	for _, c := range []struct {
		cfg      Config
		from, to uint16
	}{
		{Config{}, DefaultPortFrom, DefaultPortTo},
		{Config{Port: 5000, PortFrom: 1, PortTo: 9}, 5000, 5000},
		{Config{Ephemeral: true}, 0, 0},
		{Config{Ephemeral: true, Port: 7}, 7, 7},
		{Config{PortFrom: 40000, PortTo: 40010}, 40000, 40010},
		{Config{PortFrom: 40010, PortTo: 40000}, 40000, 40010},
		{Config{PortFrom: 40000}, 40000, 40000},
		{Config{PortTo: 40000}, 40000, 40000},
	} {
		from, to := c.cfg.portRange()
		if from != c.from || to != c.to {
			t.Errorf("%+v: range %d..%d, want %d..%d", c.cfg, from, to, c.from, c.to)
		}
	}
}

// takenPair binds two consecutive loopback ports and returns both sockets.
// The first comes from the kernel; if its successor is busy, try again.
func takenPair(t *testing.T) (a, b *net.UDPConn) {
	t.Helper()
	for range 50 {
		a = udpClient(t, "127.0.0.1:0")
		p := clientAddr(a).Port()
		if p == 65535 {
			continue
		}
		next := netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), p+1)
		second, err := net.ListenUDP("udp", net.UDPAddrFromAddrPort(next))
		if err == nil {
			t.Cleanup(func() { second.Close() })
			return a, second
		}
		a.Close()
	}
	t.Fatal("found no two consecutive free loopback ports")
	return nil, nil
}

func TestListenSkipsTakenPort(t *testing.T) {
	first, second := takenPair(t)
	from := clientAddr(first).Port()
	second.Close() // free the second port; the first stays taken
	c, err := Listen(Config{BindAddr: netip.MustParseAddr("127.0.0.1"), PortFrom: from, PortTo: from + 1})
	if err != nil {
		t.Fatalf("Listen: %v", err)
	}
	defer c.Close()
	if got := c.LocalAddr().Port(); got != from+1 {
		t.Errorf("bound port %d, want %d (the first free one in range)", got, from+1)
	}
}

func TestListenAllPortsTaken(t *testing.T) {
	first, _ := takenPair(t)
	from := clientAddr(first).Port()
	c, err := Listen(Config{BindAddr: netip.MustParseAddr("127.0.0.1"), PortFrom: from, PortTo: from + 1})
	if err == nil {
		c.Close()
		t.Fatal("Listen succeeded with every port taken")
	}
	if !errors.Is(err, ErrNoFreePort) || !errors.Is(err, syscall.EADDRINUSE) {
		t.Errorf("err = %v, want ErrNoFreePort wrapping EADDRINUSE", err)
	}
	t.Logf("error reads: %v", err)
}

// A dual-stack socket hears IPv4 and IPv6 peers, reports IPv4 ones as IPv4,
// and can send to an IPv4 address.
func TestDualStack(t *testing.T) {
	conn, err := Listen(Config{IPv6: true, Ephemeral: true})
	if err != nil {
		t.Fatal(err)
	}
	if !conn.LocalAddr().Addr().Is6() {
		t.Fatalf("bound %v, want [::]", conn.LocalAddr())
	}
	tr := New(conn)
	ch := make(chan got, 4)
	if err := tr.Handle(wire.KindPingRequest, collect(ch)); err != nil {
		t.Fatal(err)
	}
	tr.Start()
	defer tr.Close()

	v4 := udpClient(t, "127.0.0.1:0")
	if _, err := v4.WriteToUDPAddrPort([]byte{0x00, 4}, to("127.0.0.1", tr)); err != nil {
		t.Fatal(err)
	}
	if g := recv(t, ch); g.src != clientAddr(v4) || !g.src.Addr().Is4() {
		t.Errorf("IPv4 peer seen as %v, want %v", g.src, clientAddr(v4))
	}

	v6 := udpClient(t, "[::1]:0")
	if _, err := v6.WriteToUDPAddrPort([]byte{0x00, 6}, to("::1", tr)); err != nil {
		t.Fatal(err)
	}
	if g := recv(t, ch); g.src != clientAddr(v6) {
		t.Errorf("IPv6 peer seen as %v, want %v", g.src, clientAddr(v6))
	}

	if err := tr.Send(clientAddr(v4), []byte{0x01, 4}); err != nil {
		t.Fatalf("send to IPv4 on dual-stack: %v", err)
	}
	buf := make([]byte, 16)
	n, src, err := readWithin(v4, buf)
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 || src.Port() != tr.LocalAddr().Port() {
		t.Errorf("IPv4 client got %x from %v", buf[:n], src)
	}
}

// An IPv4-only socket accepts a mapped destination.
func TestIPv4SocketSendsToMapped(t *testing.T) {
	tr := New(listenLoopback(t))
	defer tr.Close()
	client := udpClient(t, "127.0.0.1:0")
	mapped := netip.AddrPortFrom(netip.AddrFrom16(clientAddr(client).Addr().As16()), clientAddr(client).Port())
	if err := tr.Send(mapped, []byte{0x01}); err != nil {
		t.Fatalf("send to %v: %v", mapped, err)
	}
	if _, _, err := readWithin(client, make([]byte, 4)); err != nil {
		t.Fatal(err)
	}
}

func TestListenFallsBackToIPv4(t *testing.T) {
	var calls []string
	cfg := Config{IPv6: true, PortFrom: 40000, PortTo: 40001}
	cfg.listen = func(network string, laddr *net.UDPAddr) (*net.UDPConn, error) {
		calls = append(calls, network+" "+laddr.String())
		if laddr.IP.To4() == nil {
			return nil, &net.OpError{Op: "listen", Net: network, Err: os.NewSyscallError("socket", syscall.EAFNOSUPPORT)}
		}
		return net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)}) // not the real 0.0.0.0
	}
	c, err := Listen(cfg)
	if err != nil {
		t.Fatalf("Listen: %v", err)
	}
	defer c.Close()
	want := []string{"udp [::]:40000", "udp4 0.0.0.0:40000"}
	if len(calls) != len(want) || calls[0] != want[0] || calls[1] != want[1] {
		t.Errorf("binds tried %q, want %q", calls, want)
	}
}

func TestListenIPv6PortsBusyNoFallback(t *testing.T) {
	var calls int
	cfg := Config{IPv6: true, PortFrom: 40000, PortTo: 40002}
	cfg.listen = func(network string, laddr *net.UDPAddr) (*net.UDPConn, error) {
		calls++
		return nil, &net.OpError{Op: "listen", Net: network, Err: os.NewSyscallError("bind", syscall.EADDRINUSE)}
	}
	_, err := Listen(cfg)
	if !errors.Is(err, ErrNoFreePort) {
		t.Errorf("err = %v, want ErrNoFreePort", err)
	}
	if calls != 3 {
		t.Errorf("%d binds tried, want 3 (the range, no IPv4 fallback)", calls)
	}
}
