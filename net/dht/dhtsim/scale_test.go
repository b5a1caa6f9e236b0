package dhtsim

import (
	"testing"
	"time"

	"parley/net/netsim"
)

// TestScale is the acceptance scenario of the Foundation issue: 1,000 nodes
// bootstrap from one seed node, then every node looks up the 8 nodes closest
// to a random target, and every result must be exactly the true 8 closest,
// with and without 5% loss.
func TestScale(t *testing.T) {
	for _, tc := range []struct {
		name string
		link netsim.Link
	}{
		{"lossless", netsim.Link{Delay: 20 * time.Millisecond, Jitter: 10 * time.Millisecond}},
		{"loss5", netsim.Link{Delay: 20 * time.Millisecond, Jitter: 10 * time.Millisecond, Loss: 0.05}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := scaleNodes()
			s, err := New(Options{Nodes: n, Seed: 1, Link: tc.link, Join: 10 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			s.Run(40 * time.Second)
			min, mean := s.GoodNodes()
			if min == 0 {
				t.Fatalf("a node has no good node after bootstrap (mean %.1f)", mean)
			}
			res := s.LookupEach(0, 8, 5*time.Minute)
			t.Logf("%d nodes, %s: %d/%d exact, mean latency %v, max %v, %.1f queries per lookup, good nodes min %d mean %.1f",
				n, tc.name, res.Exact, res.Lookups, res.Latency, res.MaxLat, float64(res.Queries)/float64(res.Lookups), min, mean)
			if res.Finished != res.Lookups {
				t.Fatalf("%d of %d lookups never finished", res.Lookups-res.Finished, res.Lookups)
			}
			if res.Exact != res.Lookups {
				t.Fatalf("success rate %.2f%%, want 100%%: %v", 100*res.SuccessRate(), res.Failures)
			}
		})
	}
}

func TestDeterministic(t *testing.T) {
	run := func() LookupResult {
		s, err := New(Options{Nodes: 60, Seed: 9, Link: netsim.Link{Delay: 5 * time.Millisecond, Loss: 0.05}})
		if err != nil {
			t.Fatal(err)
		}
		s.Run(20 * time.Second)
		return s.LookupEach(20, 8, time.Minute)
	}
	a, b := run(), run()
	if a.Queries != b.Queries || a.Latency != b.Latency || a.Exact != b.Exact {
		t.Fatalf("same seed, different runs: %+v vs %+v", a, b)
	}
}
