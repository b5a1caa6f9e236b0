package toxtest

import (
	"net"
	"testing"
)

func TestFreePort(t *testing.T) {
	seen := map[uint16]bool{}
	for i := 0; i < 20; i++ {
		p := FreePort(t)
		if seen[p] {
			t.Fatalf("port %d handed out twice", p)
		}
		seen[p] = true
		if p >= toxDefaultPortFrom && p <= toxDefaultPortTo {
			t.Fatalf("port %d is in toxcore's default range", p)
		}
		u, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: int(p)})
		if err != nil {
			t.Fatalf("UDP 127.0.0.1:%d: %v", p, err)
		}
		l, err := net.ListenTCP("tcp4", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: int(p)})
		if err != nil {
			t.Fatalf("TCP 127.0.0.1:%d: %v", p, err)
		}
		u.Close()
		l.Close()
	}
	base, err := freePorts(peerPortSpan)
	if err != nil {
		t.Fatal(err)
	}
	for q := base; q < base+peerPortSpan; q++ {
		if seen[q] {
			t.Errorf("peer range %d..%d overlaps port %d handed out before", base, base+peerPortSpan-1, q)
		}
	}
}
