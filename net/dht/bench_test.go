package dht

import (
	"flag"
	"runtime"
	"testing"
	"time"

	"parley/net/wire"
)

var benchNodes = flag.Int("dht.nodes", 1000, "nodes in BenchmarkNodeMemory's network")

// BenchmarkNodeMemory builds a network of -dht.nodes nodes, lets it settle
// for two minutes of simulated time, and reports the heap each DHT holds
// (lists, friend lists, key cache, ping ids), with the test network's
// queue drained.
func BenchmarkNodeMemory(b *testing.B) {
	for i := 0; i < b.N; i++ {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		n := buildNet(b, 50, *benchNodes, 0)
		n.run(30*time.Second, time.Second)
		n.queue = nil
		runtime.GC()
		runtime.ReadMemStats(&after)
		good := 0
		for _, a := range n.order {
			good += n.nodes[a].GoodNodes(n.now)
		}
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/float64(len(n.order)), "heap-B/node")
		b.ReportMetric(float64(good)/float64(len(n.order)), "good-nodes/node")
		runtime.KeepAlive(n)
	}
}

// BenchmarkAnswerGetNodes measures one get-nodes request answered by a
// node with a settled close list (open, closest search, seal).
func BenchmarkAnswerGetNodes(b *testing.B) {
	n := buildNet(b, 51, 100, 0)
	hub := n.nodes[n.order[0]]
	p := newProbe(b, 1, addr4(999))
	pkt := p.getNodes(hub.Self(), pkOf(7), 1)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := hub.HandlePacket(n.now, p.addr, pkt); err != nil {
			b.Fatal(err)
		}
		n.queue = n.queue[:0]
	}
}

// BenchmarkTickIdle measures Tick when nothing is due.
func BenchmarkTickIdle(b *testing.B) {
	n := buildNet(b, 52, 50, 0)
	d := n.nodes[n.order[0]]
	d.Tick(n.now)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d.Tick(n.now)
	}
}

var sinkNodes []wire.Node

// BenchmarkClosest measures the 4 closest good nodes from a settled list.
func BenchmarkClosest(b *testing.B) {
	n := buildNet(b, 53, 200, 0)
	d := n.nodes[n.order[0]]
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sinkNodes = d.Closest(pkOf(byte(i)), MaxSentNodes, true)
	}
}
