package session

import (
	"fmt"
	"testing"
	"time"
)

// BenchmarkLosslessThroughput measures sustained lossless delivery over
// the in-memory link (100 µs one way, no loss): sealing, opening, the
// rings, acks and requests, with up to 1024 packets in flight. b.N is the
// number of messages; MB/s counts id+payload bytes.
func BenchmarkLosslessThroughput(b *testing.B) {
	for _, size := range []int{64, 1024, MaxDataSize} {
		b.Run(fmt.Sprintf("%dB", size), func(b *testing.B) {
			l := newLink(b, 1)
			l.Delay = 100 * time.Microsecond
			delivered := 0
			count := func(c *Config) { c.OnLossless = func(*Conn, []byte) { delivered++ } }
			na, nb := l.addNode("a", 1001, nil), l.addNode("b", 1002, count)
			na.connect(nb)
			if !l.runUntil(time.Second, func() bool { return bothEstablished(na, nb) }, nil) {
				b.Fatal("not established")
			}
			ca := na.conn(nb)
			payload := make([]byte, size)
			payload[0] = 160
			sent := 0
			step := func() {
				for sent < b.N && ca.send.span() < 1024 {
					if _, err := ca.SendLossless(l.now, payload); err != nil {
						b.Fatal(err)
					}
					sent++
				}
			}
			b.SetBytes(int64(size))
			b.ReportAllocs()
			b.ResetTimer()
			if !l.runUntil(time.Hour, func() bool { return delivered == b.N }, step) {
				b.Fatalf("%d of %d delivered", delivered, b.N)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
		})
	}
}
