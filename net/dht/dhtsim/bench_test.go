package dhtsim

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"testing"
	"time"

	"parley/net/netsim"
)

// BenchmarkLookup builds networks of 100, 1,000 and 10,000 nodes (capped by
// DHTSIM_MAX_NODES) on 10 ms links without jitter, lets them settle, then
// runs 100 lookups of the 8 closest nodes to random targets. It prints:
// rounds (virtual latency / 20 ms, one round trip per round), virtual
// latency, get-nodes per lookup, exactness, heap per node and the wall time
// to build and settle the network.
func BenchmarkLookup(b *testing.B) {
	sizes := []int{100, 1000, 10000}
	max := 10000
	if s := os.Getenv("DHTSIM_MAX_NODES"); s != "" {
		if v, err := strconv.Atoi(s); err == nil {
			max = v
		}
	}
	const delay = 10 * time.Millisecond
	for _, n := range sizes {
		if n > max {
			continue
		}
		b.Run(fmt.Sprintf("nodes=%d", n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				t0 := time.Now()
				s, err := New(Options{Nodes: n, Seed: uint64(i + 1), Link: netsim.Link{Delay: delay}, Join: 10 * time.Second})
				if err != nil {
					b.Fatal(err)
				}
				s.Run(40 * time.Second)
				settle := time.Since(t0)
				runtime.GC()
				runtime.ReadMemStats(&after)
				t1 := time.Now()
				res := s.LookupEach(100, 8, 5*time.Minute)
				wall := time.Since(t1)
				b.ReportMetric(float64(res.Latency)/float64(2*delay), "rounds")
				b.ReportMetric(float64(res.Latency.Milliseconds()), "virtual-ms/lookup")
				b.ReportMetric(float64(res.Queries)/float64(res.Lookups), "queries/lookup")
				b.ReportMetric(100*res.SuccessRate(), "exact-%")
				b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/float64(n)/1024, "heap-KiB/node")
				b.ReportMetric(settle.Seconds(), "settle-wall-s")
				b.ReportMetric(float64(wall.Microseconds())/float64(res.Lookups)/1000, "wall-ms/lookup")
				runtime.KeepAlive(s)
			}
		})
	}
}
