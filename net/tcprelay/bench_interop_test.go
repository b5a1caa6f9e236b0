//go:build interop

package tcprelay

import (
	"context"
	"encoding/binary"
	"fmt"
	"testing"
	"time"

	"parley/net/clock"
	"parley/net/toxtest"
)

// BenchmarkInteropRelayThroughput measures data frames through Debian's
// tox-bootstrapd relay between two Parley clients on loopback (real clock,
// default pacing), for three frame sizes. Figures are printed, not
// asserted:
//
//	go test -tags interop -run '^$' -bench InteropRelayThroughput ./net/tcprelay/
//
// The relay serves its sockets once per 30 ms pass and drops a data frame
// it cannot write at once (non-priority writes, TCP_common.c), so the
// sender numbers its frames and keeps at most benchWindow bytes beyond the
// highest number the receiver acknowledged (every benchAck frames); losses
// show in %lost instead of stalling the run. The sender's own pacing
// (DefaultMaxBurst per PaceInterval) is what bounds the rate.
func BenchmarkInteropRelayThroughput(b *testing.B) {
	bd := toxtest.StartBootstrapd(b)
	tx := dialInteropClock(b, bd.TCPNode(), clock.Real{})
	rx := dialInteropClock(b, bd.TCPNode(), clock.Real{})
	idTx, idRx := route(b, tx, rx)
	for _, size := range []int{100, 1400, MaxDataSize} {
		b.Run(fmt.Sprintf("bytes=%d", size), func(b *testing.B) {
			benchRelay(b, tx, rx, idTx, idRx, size)
		})
	}
}

const (
	benchWindow = 256 << 10
	benchAck    = 16
	benchIdle   = 3 * time.Second // no acknowledgement for this long: the rest is lost
)

func benchRelay(b *testing.B, tx, rx *interopClient, idTx, idRx ConnID, size int) {
	ctx := context.Background()
	n := b.N
	inFlight := max(1, benchWindow/size)
	payload := make([]byte, size)
	ack := make([]byte, 9)
	ack[0] = 0xac

	// Receiver: count, acknowledge the highest number seen, stop at the
	// last frame or when told.
	got := make(chan int, 1)
	stop := make(chan struct{})
	go func() {
		received := 0
		defer func() { got <- received }()
		for {
			select {
			case ev, ok := <-rx.Events():
				if !ok {
					return
				}
				d, isData := ev.(Received)
				if !isData || len(d.Data) < 9 {
					continue
				}
				received++
				seq := binary.BigEndian.Uint64(d.Data[1:])
				last := seq == uint64(n)
				if received%benchAck == 0 || last {
					binary.BigEndian.PutUint64(ack[1:], seq)
					if err := rx.Send(ctx, idRx, ack); err != nil {
						return
					}
				}
				if last {
					return
				}
			case <-stop:
				return
			}
		}
	}()

	var acked int
	waitAck := func(limit time.Duration) bool {
		select {
		case ev, ok := <-tx.Events():
			if !ok {
				return false
			}
			if d, isData := ev.(Received); isData && len(d.Data) == 9 {
				acked = max(acked, int(binary.BigEndian.Uint64(d.Data[1:])))
			}
			return true
		case <-time.After(limit):
			return false
		}
	}

	b.SetBytes(int64(size))
	b.ResetTimer()
	start := time.Now()
	for seq := 1; seq <= n; seq++ {
		for seq-1-acked >= inFlight {
			if !waitAck(benchIdle) {
				acked = seq - 1 // lost beyond recovery: move on
			}
		}
		payload[0] = 0x1b
		binary.BigEndian.PutUint64(payload[1:], uint64(seq))
		if err := tx.Send(ctx, idTx, payload); err != nil {
			b.Fatal(err)
		}
	}
	var received int
	select {
	case received = <-got:
	case <-time.After(benchIdle):
		close(stop)
		received = <-got
	}
	elapsed := time.Since(start)
	b.StopTimer()
	for acked < n && waitAck(100*time.Millisecond) { // late acknowledgements
	}
	if err := tx.Err(); err != nil {
		b.Fatalf("sender ended: %v", err)
	}
	secs := elapsed.Seconds()
	b.ReportMetric(float64(received)/secs, "frames/s")
	b.ReportMetric(float64(received*size)/secs/1e6, "MB/s")
	b.ReportMetric(100*float64(n-received)/float64(n), "%lost")
}
