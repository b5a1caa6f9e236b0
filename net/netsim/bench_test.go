package netsim

import (
	"encoding/binary"
	"net/netip"
	"testing"
	"time"
)

// relay is a population of callback hosts where every arrival is forwarded
// to a pseudo-random other host, so a fixed number of packets stay in
// flight: the shape of a DHT's request/response traffic without the
// protocol.
type relay struct {
	n     *Network
	hosts []*Host
	got   int
	state uint64
}

func newRelay(tb testing.TB, seed uint64, nodes int, l Link) *relay {
	tb.Helper()
	r := &relay{n: New(seed, epoch), state: seed | 1}
	r.n.SetDefaultLink(l)
	r.hosts = make([]*Host, nodes)
	for i := range nodes {
		addr := netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)}), 33445)
		var me *Host
		h, err := r.n.AddHost(addr, func(now time.Time, src netip.AddrPort, pkt []byte) {
			r.got++
			me.Send(r.pick(), pkt)
		})
		if err != nil {
			tb.Fatal(err)
		}
		me = h
		r.hosts[i] = h
	}
	return r
}

// pick returns a pseudo-random host address (xorshift64).
func (r *relay) pick() netip.AddrPort {
	r.state ^= r.state << 13
	r.state ^= r.state >> 7
	r.state ^= r.state << 17
	return r.hosts[r.state%uint64(len(r.hosts))].Addr()
}

// seed puts perHost packets of size bytes in flight from every host.
func (r *relay) seed(perHost, size int) {
	pkt := make([]byte, size)
	for i, h := range r.hosts {
		for j := range perHost {
			binary.BigEndian.PutUint32(pkt, uint32(i*perHost+j))
			h.Send(r.pick(), pkt)
		}
	}
}

// BenchmarkEventLoop measures delivered packets per second in event mode:
// 10,000 hosts, 10,000 packets of 100 bytes in flight on 10-60 ms links
// (no loss, so the population stays constant). One b.N is one delivery, so
// ns/op is the cost of one send plus one delivery.
func BenchmarkEventLoop(b *testing.B) {
	r := newRelay(b, 1, 10_000, Link{Delay: 10 * time.Millisecond, Jitter: 50 * time.Millisecond})
	r.seed(1, 100)
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for r.got < b.N {
		if !r.n.Step() {
			b.Fatal("the network ran dry")
		}
	}
	elapsed := time.Since(start)
	b.ReportMetric(float64(r.got)/elapsed.Seconds(), "pkts/s")
}
