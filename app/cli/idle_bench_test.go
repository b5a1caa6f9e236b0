//go:build interop

package cli

import (
	"fmt"
	"os"
	"testing"
	"time"

	"parley/net/toxtest"
	"parley/net/wire"
)

// BenchmarkIdleNodeVsBootstrapd runs `parley node` and tox-bootstrapd side
// by side on loopback, bootstrapped from each other with two c-toxcore
// peers around them, and prints each one's CPU time per minute and resident
// memory over the same idle period (IDLE_SECONDS, default 20). It prints;
// it asserts nothing.
func BenchmarkIdleNodeVsBootstrapd(b *testing.B) {
	window := 20 * time.Second
	if s := os.Getenv("IDLE_SECONDS"); s != "" {
		var n int
		fmt.Sscan(s, &n)
		window = time.Duration(n) * time.Second
	}
	for i := 0; i < b.N; i++ {
		bs := toxtest.StartBootstrapd(b)
		port := toxtest.FreePort(b)
		node := startNodeProcess(b, "--port", fmt.Sprint(port), "--lan=false", "--log-every", "1h",
			"--bootstrap", fmt.Sprintf("127.0.0.1:%d:%s", bs.Addr.Port(), bs.PK))
		for _, name := range []string{"p1", "p2"} {
			toxtest.StartPeer(b, toxtest.PeerOptions{Name: name, Bootstrap: []wire.Node{bs.Node(), node.Node()}})
		}
		// Let start-up work settle, then measure a quiet window.
		time.Sleep(5 * time.Second) // a measurement period, not a wait for a condition
		p0, err1 := toxtest.ProcUsage(node.cmd.Process.Pid)
		b0, err2 := toxtest.ProcUsage(bs.PID())
		if err1 != nil || err2 != nil {
			b.Fatal(err1, err2)
		}
		time.Sleep(window) // the measured idle period
		p1, err1 := toxtest.ProcUsage(node.cmd.Process.Pid)
		b1, err2 := toxtest.ProcUsage(bs.PID())
		if err1 != nil || err2 != nil {
			b.Fatal(err1, err2)
		}
		perMin := func(d time.Duration) float64 {
			return float64(d.Milliseconds()) * float64(time.Minute) / float64(window)
		}
		pc, bc := perMin(p1.CPU-p0.CPU), perMin(b1.CPU-b0.CPU)
		b.ReportMetric(pc, "parley-cpu-ms/min")
		b.ReportMetric(bc, "bootstrapd-cpu-ms/min")
		b.ReportMetric(float64(p1.RSSKB), "parley-rss-KiB")
		b.ReportMetric(float64(b1.RSSKB), "bootstrapd-rss-KiB")
		if bc > 0 {
			b.ReportMetric(pc/bc, "cpu-ratio")
		}
		b.ReportMetric(float64(p1.RSSKB)/float64(b1.RSSKB), "rss-ratio")
	}
}
