package tcprelay

import (
	"context"
	"fmt"
	"testing"

	"parley/net/clock"
	"parley/net/key"
)

// BenchmarkClientSend measures the client's own cost per data frame
// (command, seal, queue, writev) against the in-process fake relay over
// net.Pipe, unpaced; the relay's decryption runs on the other core. The
// real relay's rate is in BenchmarkInteropRelayThroughput.
func BenchmarkClientSend(b *testing.B) {
	for _, size := range []int{100, 1400, MaxDataSize} {
		b.Run(fmt.Sprintf("bytes=%d", size), func(b *testing.B) {
			r := newFakeRelay(b)
			cfg := r.config(b, clock.Real{})
			cfg.MaxBurst = -1
			c, rc := dialRelay(b, r, cfg)
			rc.write(b, &RoutingResponse{ConnID: 16, PK: key.PublicKey{1}})
			rc.write(b, &ConnectNotification{ConnID: 16})
			nextEvent(b, c)
			nextEvent(b, c)
			done := make(chan int)
			go func() { // the relay side keeps up and counts
				n := 0
				for n < b.N {
					<-rc.nonces
					<-rc.pkts
					n++
				}
				done <- n
			}()
			payload := make([]byte, size)
			ctx := context.Background()
			b.SetBytes(int64(size))
			b.ResetTimer()
			for range b.N {
				if err := c.Send(ctx, 16, payload); err != nil {
					b.Fatal(err)
				}
			}
			<-done
			b.StopTimer()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "frames/s")
		})
	}
}
