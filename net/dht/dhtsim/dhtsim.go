// Package dhtsim builds networks of Parley DHT nodes over net/netsim, in
// virtual time, for scale tests and benchmarks: a seed node, N others that
// bootstrap from it, and iterative lookups checked against the true closest
// nodes. Everything is seeded, so a run repeats exactly.
//
// It is test support: production code does not import it.
package dhtsim

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"
	"time"

	"parley/net/dht"
	"parley/net/key"
	"parley/net/netsim"
	"parley/net/wire"
)

// Options describe a simulated network.
type Options struct {
	Nodes int         // including the seed node
	Seed  uint64      // for the network, the keys and the DHTs' randomness
	Link  netsim.Link // every link; the zero Link is instant and lossless
	// Join spreads the nodes' start over this period (0: all at once).
	Join time.Duration
	// TickEvery is how often every node's Tick runs (default 250 ms).
	TickEvery time.Duration
}

// RebootstrapEvery is how often a node with no good node asks its
// bootstrap node again.
const RebootstrapEvery = 5 * time.Second

// Node is one simulated DHT node.
type Node struct {
	DHT  *dht.DHT
	Host *netsim.Host
	PK   key.PublicKey
}

// Sim is a running simulation.
type Sim struct {
	Net   *netsim.Network
	Nodes []*Node
	rng   *rand.Rand
	start time.Time
}

// addrOf gives node i a public (non-LAN) address, so the DHT's LAN filter
// treats the simulation as the Internet.
func addrOf(i int) netip.AddrPort {
	var a [4]byte
	binary.BigEndian.PutUint32(a[:], 0x0b000000+uint32(i)+1) // 11.0.0.0/8
	return netip.AddrPortFrom(netip.AddrFrom4(a), 33445)
}

// New builds the network and schedules every node's bootstrap from node 0.
func New(o Options) (*Sim, error) {
	if o.Nodes < 2 {
		return nil, fmt.Errorf("dhtsim: need at least 2 nodes, got %d", o.Nodes)
	}
	if o.TickEvery <= 0 {
		o.TickEvery = 250 * time.Millisecond
	}
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s := &Sim{Net: netsim.New(o.Seed, start), rng: rand.New(rand.NewPCG(o.Seed, 0x5eed)), start: start}
	s.Net.SetDefaultLink(o.Link)
	keyRand := rand.NewChaCha8(seed32(o.Seed, 1))
	for i := 0; i < o.Nodes; i++ {
		kp, err := key.NewPair(keyRand)
		if err != nil {
			return nil, err
		}
		n := &Node{PK: kp.Public}
		host, err := s.Net.AddHost(addrOf(i), func(now time.Time, src netip.AddrPort, pkt []byte) {
			_ = n.DHT.HandlePacket(now, src, pkt) // refusals are counted in the DHT's stats
		})
		if err != nil {
			return nil, err
		}
		n.Host = host
		n.DHT = dht.New(dht.Config{
			Keys: kp,
			Send: host.Send,
			Rand: rand.NewChaCha8(seed32(o.Seed, uint64(i)+2)),
		}, start)
		s.Nodes = append(s.Nodes, n)
	}
	seed := s.Nodes[0]
	for i, n := range s.Nodes[1:] {
		n := n
		delay := time.Duration(0)
		if o.Join > 0 {
			delay = o.Join * time.Duration(i) / time.Duration(o.Nodes)
		}
		s.Net.After(delay, func(now time.Time) { n.DHT.Bootstrap(now, seed.Host.Addr(), seed.PK) })
	}
	s.Net.Every(o.TickEvery, func(now time.Time) {
		for _, n := range s.Nodes {
			n.DHT.Tick(now)
		}
	})
	// As a client does (net/tox), a node with no good node asks its
	// bootstrap node again every RebootstrapEvery: a single lost reply must
	// not leave it alone.
	s.Net.Every(RebootstrapEvery, func(now time.Time) {
		for _, n := range s.Nodes[1:] {
			if !n.DHT.Connected(now) {
				n.DHT.Bootstrap(now, seed.Host.Addr(), seed.PK)
			}
		}
	})
	return s, nil
}

func seed32(seed, stream uint64) [32]byte {
	var b [32]byte
	binary.LittleEndian.PutUint64(b[:], seed)
	binary.LittleEndian.PutUint64(b[8:], stream)
	return b
}

// Run advances virtual time by d.
func (s *Sim) Run(d time.Duration) { s.Net.RunFor(d) }

// Elapsed is the virtual time since the simulation started.
func (s *Sim) Elapsed() time.Duration { return s.Net.Now().Sub(s.start) }

// Closest returns the true k nodes closest to target among all nodes but
// exclude (a node never lists itself), closest first.
func (s *Sim) Closest(target key.PublicKey, k int, exclude key.PublicKey) []key.PublicKey {
	all := make([]key.PublicKey, 0, len(s.Nodes))
	for _, n := range s.Nodes {
		if n.PK != exclude {
			all = append(all, n.PK)
		}
	}
	slices.SortFunc(all, func(a, b key.PublicKey) int { return key.Distance(&target, &a, &b) })
	if len(all) > k {
		all = all[:k]
	}
	return all
}

// LookupResult summarises a round of lookups.
type LookupResult struct {
	Lookups   int           // lookups started
	Exact     int           // lookups whose result was exactly the true k closest
	Finished  int           // lookups whose done callback ran
	Queries   uint64        // get-nodes requests sent by all nodes during the round
	Latency   time.Duration // mean virtual time from start to done
	MaxLat    time.Duration // slowest lookup
	Failures  []string      // the first few mismatches, for test messages
	VirtualOf time.Duration // virtual time the whole round took
}

// SuccessRate is Exact/Lookups.
func (r LookupResult) SuccessRate() float64 {
	if r.Lookups == 0 {
		return 0
	}
	return float64(r.Exact) / float64(r.Lookups)
}

// LookupEach has `count` nodes (chosen at random, or every node when count
// <= 0) look up k nodes closest to a random target, runs until all finish
// or limit passes, and checks each result against the truth.
func (s *Sim) LookupEach(count, k int, limit time.Duration) LookupResult {
	nodes := s.Nodes
	if count > 0 && count < len(nodes) {
		perm := s.rng.Perm(len(nodes))[:count]
		nodes = make([]*Node, count)
		for i, p := range perm {
			nodes[i] = s.Nodes[p]
		}
	}
	var res LookupResult
	before := s.queries()
	t0 := s.Net.Now()
	var total time.Duration
	for _, n := range nodes {
		n := n
		var target key.PublicKey
		for i := range target {
			target[i] = byte(s.rng.UintN(256))
		}
		want := s.Closest(target, k, n.PK)
		res.Lookups++
		started := s.Net.Now()
		n.DHT.Lookup(started, target, k, func(now time.Time, got []wire.Node) {
			res.Finished++
			lat := now.Sub(started)
			total += lat
			res.MaxLat = max(res.MaxLat, lat)
			if sameKeys(got, want) {
				res.Exact++
			} else if len(res.Failures) < 5 {
				res.Failures = append(res.Failures, fmt.Sprintf("node %s target %s: got %d nodes, %d of the true %d",
					n.PK.Short(), target.Short(), len(got), overlap(got, want), len(want)))
			}
		})
	}
	s.Net.RunUntil(func() bool { return res.Finished == res.Lookups }, limit)
	res.VirtualOf = s.Net.Now().Sub(t0)
	res.Queries = s.queries() - before
	if res.Finished > 0 {
		res.Latency = total / time.Duration(res.Finished)
	}
	return res
}

func (s *Sim) queries() uint64 {
	var q uint64
	for _, n := range s.Nodes {
		q += n.DHT.Stats().Sent.NodesRequest
	}
	return q
}

func sameKeys(got []wire.Node, want []key.PublicKey) bool {
	if len(got) != len(want) {
		return false
	}
	return overlap(got, want) == len(want)
}

func overlap(got []wire.Node, want []key.PublicKey) int {
	n := 0
	for _, g := range got {
		if slices.Contains(want, g.PK) {
			n++
		}
	}
	return n
}

// GoodNodes returns the smallest and mean count of good close-list nodes.
func (s *Sim) GoodNodes() (min int, mean float64) {
	min = -1
	sum := 0
	now := s.Net.Now()
	for _, n := range s.Nodes {
		g := n.DHT.GoodNodes(now)
		sum += g
		if min < 0 || g < min {
			min = g
		}
	}
	return min, float64(sum) / float64(len(s.Nodes))
}
