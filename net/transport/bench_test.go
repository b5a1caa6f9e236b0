package transport

import (
	"net"
	"net/netip"
	"sync/atomic"
	"testing"
	"time"

	"parley/net/wire"
)

// memConn serves the same datagram n times from memory, then reports
// closed: the read loop's cost without a kernel.
type memConn struct {
	pkt    []byte
	src    netip.AddrPort
	left   atomic.Int64
	closed chan struct{}
}

func (m *memConn) ReadFromUDPAddrPort(b []byte) (int, netip.AddrPort, error) {
	if m.left.Add(-1) >= 0 {
		return copy(b, m.pkt), m.src, nil
	}
	<-m.closed
	return 0, netip.AddrPort{}, net.ErrClosed
}

func (m *memConn) WriteToUDPAddrPort(b []byte, _ netip.AddrPort) (int, error) { return len(b), nil }
func (m *memConn) LocalAddr() netip.AddrPort                                  { return m.src }
func (m *memConn) Close() error                                               { close(m.closed); return nil }

// BenchmarkDispatch measures read loop + size checks + table dispatch +
// counters per packet, with an in-memory PacketConn.
func BenchmarkDispatch(b *testing.B) {
	pkt := make([]byte, 100)
	pkt[0] = byte(wire.KindCryptoData)
	conn := &memConn{pkt: pkt, src: netip.MustParseAddrPort("[::ffff:192.0.2.1]:33445"), closed: make(chan struct{})}
	conn.left.Store(int64(b.N))
	tr := New(conn)
	var n atomic.Int64
	done := make(chan struct{})
	target := int64(b.N)
	if err := tr.Handle(wire.KindCryptoData, func(netip.AddrPort, []byte) {
		if n.Add(1) == target {
			close(done)
		}
	}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	tr.Start()
	<-done
	elapsed := time.Since(start)
	b.StopTimer()
	if err := tr.Close(); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "pkts/s")
}

// BenchmarkReadLoop measures packets per second through a real loopback
// socket, read loop and dispatch. The sender keeps at most `window` packets
// in flight (credits returned by the handler) so the kernel does not drop
// them; a credit not returned within lossTimeout is written off as lost.
func BenchmarkReadLoop(b *testing.B) {
	const (
		window      = 128
		lossTimeout = 50 * time.Millisecond
	)
	tr := New(listenLoopback(b))
	var received atomic.Int64
	credits := make(chan struct{}, window)
	if err := tr.Handle(wire.KindCryptoData, func(netip.AddrPort, []byte) {
		received.Add(1)
		select {
		case <-credits:
		default:
		}
	}); err != nil {
		b.Fatal(err)
	}
	tr.Start()
	defer tr.Close()
	client := udpClient(b, "127.0.0.1:0")
	dst := tr.LocalAddr()
	pkt := make([]byte, 100)
	pkt[0] = byte(wire.KindCryptoData)

	timer := time.NewTimer(time.Hour)
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		select {
		case credits <- struct{}{}:
		default:
			timer.Reset(lossTimeout)
			select {
			case credits <- struct{}{}:
			case <-timer.C:
				// Presumed lost: write one credit off and take its place.
				select {
				case <-credits:
				default:
				}
				credits <- struct{}{}
			}
			timer.Stop()
		}
		if _, err := client.WriteToUDPAddrPort(pkt, dst); err != nil {
			b.Fatal(err)
		}
	}
	want := int64(b.N)
	deadline := time.Now().Add(time.Second)
	tick := time.NewTicker(100 * time.Microsecond)
	for received.Load() < want && time.Now().Before(deadline) {
		<-tick.C
	}
	tick.Stop()
	elapsed := time.Since(start)
	b.StopTimer()
	got := received.Load()
	b.ReportMetric(float64(got)/elapsed.Seconds(), "pkts/s")
	b.ReportMetric(float64(int64(b.N)-got), "lost")
}
