package dht

import (
	"testing"

	"parley/net/crypto"
	"time"

	"parley/net/key"
	"parley/net/wire"
)

// buildNet bootstraps size nodes, each off node 0 (a bootstrap node
// everyone knows) and a random earlier one, and lets the lists settle.
// (With a single random bootstrap, a lost reply can leave two nodes that
// only know each other: an island no DHT recovers from.)
func buildNet(t testing.TB, seed uint64, size int, loss float64) *testNet {
	n := newTestNet(t, seed)
	n.loss = loss
	n.add(addr4(0))
	for i := 1; i < size; i++ {
		d := n.add(addr4(i))
		boot := n.order[n.rnd.IntN(i)]
		d.Bootstrap(n.now, boot, n.nodes[boot].Self())
		d.Bootstrap(n.now, addr4(0), n.nodes[addr4(0)].Self())
		if i%10 == 0 {
			n.run(time.Second, time.Second)
		}
	}
	n.run(90*time.Second, time.Second)
	return n
}

// TestLookup runs lookups for node keys and random keys in a 200-node
// network that loses 5% of packets, and checks that every lookup finds the
// true k closest, the target node first when it exists.
func TestLookup(t *testing.T) {
	size := 200
	if testing.Short() || raceEnabled {
		size = 100
	}
	n := buildNet(t, 30, size, 0.05)
	const lookups = 60
	found, exact, done := 0, 0, 0
	for i := 0; i < lookups; i++ {
		from := n.nodes[n.order[n.rnd.IntN(len(n.order))]]
		var target key.PublicKey
		nodeTarget := i%2 == 0
		if nodeTarget {
			target = n.nodes[n.order[n.rnd.IntN(len(n.order))]].Self()
		} else {
			for j := range target {
				target[j] = byte(n.rnd.Uint32())
			}
		}
		var res []wire.Node
		calls := 0
		from.Lookup(n.now, target, LookupK, func(_ time.Time, closest []wire.Node) { res = closest; calls++ })
		for j := 0; j < 40 && calls == 0; j++ {
			n.run(time.Second, time.Second)
		}
		if calls != 1 {
			t.Fatalf("lookup %d: done called %d times", i, calls)
		}
		done++
		want := n.trueClosest(target, LookupK, from.Self())
		if len(res) != LookupK {
			t.Errorf("lookup %d: %d nodes", i, len(res))
			continue
		}
		for _, r := range res {
			if n.addrOf(r.PK) != r.Addr {
				t.Fatalf("lookup %d: node %v has the wrong address", i, r)
			}
		}
		if nodeTarget {
			if target == from.Self() || res[0].PK == target {
				found++
			}
		} else if res[0].PK == want[0] {
			found++
		}
		same := true
		for j := range want {
			same = same && res[j].PK == want[j]
		}
		if same {
			exact++
		}
	}
	t.Logf("%d nodes, 5%% loss: %d/%d lookups found the closest node, %d/%d the exact %d closest; drops %v",
		size, found, done, exact, done, LookupK, n.drops)
	if found != lookups {
		t.Fatalf("only %d/%d lookups found the closest node", found, lookups)
	}
	if exact != lookups {
		t.Fatalf("only %d/%d lookups found the exact k closest", exact, lookups)
	}
}

func TestLookupWithNoNodesFinishes(t *testing.T) {
	n := newTestNet(t, 31)
	a := n.add(addr4(1))
	calls := 0
	a.Lookup(n.now, pkOf(1), 0, func(_ time.Time, closest []wire.Node) {
		calls++
		if len(closest) != 0 {
			t.Errorf("closest %v", closest)
		}
	})
	if calls != 0 {
		t.Fatal("done called from Lookup itself")
	}
	if a.NextDeadline().After(n.now) {
		t.Fatalf("deadline %v, want now", a.NextDeadline())
	}
	a.Tick(n.now)
	if calls != 1 || a.Stats().LookupsDone != 1 {
		t.Fatalf("done called %d times", calls)
	}
}

// TestLookupRetriesAndGivesUp: a node that never answers is asked
// lookupAttempts times, lookupRetry apart, and given up PingTimeout after
// the last question; the lookup still ends.
func TestLookupRetriesAndGivesUp(t *testing.T) {
	n := newTestNet(t, 32)
	a, b := n.add(addr4(1)), n.add(addr4(2))
	a.Bootstrap(n.now, addr4(2), b.Self())
	n.run(3*time.Second, time.Second)
	asked := 0
	n.block = func(p tpacket) bool { return p.dst == addr4(2) }
	k := crypto.Precompute(ptr(a.Self()), &b.cfg.Keys.Secret)
	n.seen = func(p tpacket) {
		if p.dst != addr4(2) || p.b[0] != byte(wire.KindNodesRequest) {
			return
		}
		m, err := ParsePacket(p.b)
		if err != nil {
			t.Fatal(err)
		}
		plain, err := OpenPacket(&m, &k)
		if err != nil {
			t.Fatal(err)
		}
		if req, err := ParseNodesRequest(plain); err == nil && req.Search == pkOf(3) {
			asked++
		}
	}
	var res []wire.Node
	calls := 0
	a.Lookup(n.now, pkOf(3), 4, func(_ time.Time, c []wire.Node) { res = c; calls++ })
	n.deliver()
	if asked != 1 {
		t.Fatalf("asked %d times at once", asked)
	}
	start := n.now
	for calls == 0 && n.now.Sub(start) < time.Minute {
		n.now = n.now.Add(100 * time.Millisecond)
		a.Tick(n.now)
		n.deliver()
	}
	if calls != 1 || len(res) != 0 {
		t.Fatalf("done %d times with %v", calls, res)
	}
	if asked != lookupAttempts {
		t.Fatalf("asked %d times, want %d", asked, lookupAttempts)
	}
	want := (lookupAttempts-1)*lookupRetry + PingTimeout
	if took := n.now.Sub(start); took < want || took > want+200*time.Millisecond {
		t.Fatalf("gave up after %v, want %v", took, want)
	}
}
