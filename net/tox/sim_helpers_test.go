package tox

import (
	"context"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"io"
	"math/rand/v2"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"parley/net/key"
	"parley/net/netsim"
	"parley/net/session"
	"parley/net/transport"
	"parley/net/wire"
)

// simNet is a netsim network of Parley nodes, meant to run inside a
// testing/synctest bubble: every timer (the nodes' loops, the links'
// delays, the tests' deadlines) is the bubble's virtual clock, so minutes
// of protocol time take no wall time.
//
// Public hosts get addresses in 11.0.0.0/8 (as net/dht/dhtsim does), so
// the DHT's and the sessions' LAN rules treat the simulation as the
// Internet; NATs own public addresses in 12.0.0.0/8 and their hosts sit
// at 192.168.x.2.
type simNet struct {
	t     testing.TB
	tt    *testing.T // the same as t in tests; nil in benchmarks
	net   *netsim.Network
	nodes []*Node // every node started, for closeAll
	seed  uint64
	boot  []wire.Node // relay nodes started so far

	hosts int // public hosts handed out
	nats  int
	draws map[string]int // rand calls per name
}

// newSimNet builds a realtime netsim network with link as the default
// link. It is closed when the test ends, after every node (cleanups run
// last-in first-out).
func newSimNet(t testing.TB, seed uint64, link netsim.Link) *simNet {
	t.Helper()
	n := netsim.NewRealtime(seed)
	n.SetDefaultLink(link)
	t.Cleanup(func() {
		if err := n.Close(); err != nil {
			t.Errorf("netsim close: %v", err)
		}
	})
	s := &simNet{t: t, net: n, seed: seed}
	s.tt, _ = t.(*testing.T)
	return s
}

// closeAll closes every node, last started first, and then the network;
// a benchmark calls it at the end of each iteration (the cleanups of
// newSimNet and the start functions then find everything closed).
func (s *simNet) closeAll() {
	for i := len(s.nodes) - 1; i >= 0; i-- {
		if err := s.nodes[i].Close(); err != nil {
			s.t.Errorf("close: %v", err)
		}
	}
	s.nodes = nil
	if err := s.net.Close(); err != nil {
		s.t.Errorf("netsim close: %v", err)
	}
}

// publicAddr returns the next public host address.
func (s *simNet) publicAddr() netip.AddrPort {
	s.hosts++
	var a [4]byte
	binary.BigEndian.PutUint32(a[:], 0x0b000000+uint32(s.hosts))
	return netip.AddrPortFrom(netip.AddrFrom4(a), 33445)
}

// listen binds a conn at the next public address.
func (s *simNet) listen() *netsim.Conn {
	s.t.Helper()
	c, err := s.net.Listen(s.publicAddr())
	if err != nil {
		s.t.Fatal(err)
	}
	return c
}

// listenBehindNAT adds a NAT with cfg and binds a conn behind it.
func (s *simNet) listenBehindNAT(cfg netsim.NATConfig) (*netsim.Conn, *netsim.NAT) {
	s.t.Helper()
	s.nats++
	nat, err := s.net.AddNAT(netip.AddrFrom4([4]byte{12, 0, 0, byte(s.nats)}), cfg)
	if err != nil {
		s.t.Fatal(err)
	}
	c, err := nat.Listen(netip.AddrPortFrom(netip.AddrFrom4([4]byte{192, 168, byte(s.nats), 2}), 33445))
	if err != nil {
		s.t.Fatal(err)
	}
	return c, nat
}

// rand returns a reproducible randomness source for the node called name.
// Each call gives a new stream, so a node restarted under the same name
// gets a new DHT key and new nonces, as a real restart does.
func (s *simNet) rand(name string) io.Reader {
	if s.draws == nil {
		s.draws = make(map[string]int)
	}
	s.draws[name]++
	h := fnv.New64a()
	fmt.Fprintf(h, "%d/%s/%d", s.seed, name, s.draws[name])
	var seed [32]byte
	binary.LittleEndian.PutUint64(seed[:], h.Sum64())
	return rand.NewChaCha8(seed)
}

// startRelay starts a relay-only Parley node (what `parley node` runs) on
// a public address, bootstrapping from the relays started before it, and
// makes it a bootstrap node for everything started later.
func (s *simNet) startRelay(name string) *Node { return s.startRelayWith(name, s.rand(name)) }

// startRelayWith is startRelay with the randomness source r.
func (s *simNet) startRelayWith(name string, r io.Reader) *Node {
	s.t.Helper()
	conn := s.listen()
	n, err := Start(Config{
		Conn:      conn,
		RelayOnly: true,
		Bootstrap: append([]wire.Node(nil), s.boot...),
		Rand:      r,
		Logf:      s.logs(name).logf,
	})
	if err != nil {
		s.t.Fatal(err)
	}
	s.track(name, n)
	s.boot = append(s.boot, wire.Node{PK: n.DHTPublicKey(), Addr: conn.LocalAddr()})
	return n
}

// track closes n when the test ends, and in closeAll.
func (s *simNet) track(name string, n *Node) {
	s.nodes = append(s.nodes, n)
	s.t.Cleanup(func() {
		if err := n.Close(); err != nil {
			s.t.Errorf("close %s: %v", name, err)
		}
	})
}

// startRelays starts count relay nodes named prefix0, prefix1...
func (s *simNet) startRelays(prefix string, count int) []*Node {
	out := make([]*Node, count)
	for i := range out {
		out[i] = s.startRelay(fmt.Sprintf("%s%d", prefix, i))
	}
	return out
}

// startNode starts a full Parley client on conn, bootstrapping from every
// relay started so far. mod, if not nil, adjusts the configuration first.
func (s *simNet) startNode(name string, conn transport.PacketConn, mod func(*Config)) *Node {
	s.t.Helper()
	cfg := Config{
		Conn:      conn,
		Bootstrap: append([]wire.Node(nil), s.boot...),
		Name:      name,
		Rand:      s.rand(name),
		Logf:      s.logs(name).logf,
	}
	if mod != nil {
		mod(&cfg)
	}
	n, err := Start(cfg)
	if err != nil {
		s.t.Fatal(err)
	}
	s.track(name, n)
	return n
}

// startSimClient is startNode with a subscription to the node's events
// (tests only).
func (s *simNet) startSimClient(name string, conn transport.PacketConn, mod func(*Config)) (*Node, *events) {
	s.t.Helper()
	if s.tt == nil {
		s.t.Fatal("startSimClient needs a *testing.T")
	}
	n := s.startNode(name, conn, mod)
	ch, cancel := n.Subscribe()
	s.t.Cleanup(cancel) // runs before the node's Close: cleanups are LIFO
	return n, &events{t: s.tt, name: name, ch: ch}
}

// nodeLogs keeps a node's last log lines and prints them if the test
// fails, so a passing run stays quiet and a failing one explains itself.
type nodeLogs struct {
	mu    sync.Mutex
	lines []string
}

const keptLogLines = 40

func (s *simNet) logs(name string) *nodeLogs {
	l := &nodeLogs{}
	s.t.Cleanup(func() {
		if !s.t.Failed() {
			return
		}
		l.mu.Lock()
		defer l.mu.Unlock()
		if len(l.lines) > 0 {
			s.t.Logf("last log lines of %s:\n  %s", name, strings.Join(l.lines, "\n  "))
		}
	})
	return l
}

func (l *nodeLogs) logf(format string, args ...any) {
	line := fmt.Sprintf(format, args...)
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.lines) == keptLogLines {
		copy(l.lines, l.lines[1:])
		l.lines = l.lines[:keptLogLines-1]
	}
	l.lines = append(l.lines, line)
}

// befriend has a send a friend request with msg to b by Tox ID, b accept
// it, and waits until each is online for the other. It returns the
// virtual time from the request to both sides online.
func befriend(t *testing.T, a *Node, aev *events, b *Node, bev *events, msg string, timeout time.Duration) time.Duration {
	t.Helper()
	ctx := context.Background()
	id, err := b.ToxID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := a.AddFriend(ctx, id, msg); err != nil {
		t.Fatal(err)
	}
	req := bev.wait(timeout, "friend request", friendEvent(func(r FriendRequest) bool { return r.From == a.PublicKey() })).(FriendEvent).Event.(FriendRequest)
	if req.Message != msg {
		t.Fatalf("request text %q, want %q", req.Message, msg)
	}
	if err := b.Accept(ctx, a.PublicKey()); err != nil {
		t.Fatal(err)
	}
	waitOnlineEvent(t, aev, b.PublicKey(), timeout)
	waitOnlineEvent(t, bev, a.PublicKey(), timeout)
	return time.Since(start)
}

// waitOnlineEvent waits for friend pk's FriendOnline on ev.
func waitOnlineEvent(t testing.TB, ev *events, pk key.PublicKey, timeout time.Duration) {
	t.Helper()
	ev.wait(timeout, "friend online", friendEvent(func(e FriendOnline) bool { return e.Friend == pk }))
}

// sendText sends one message that must fit in one part and returns its ID.
func sendText(t *testing.T, n *Node, to key.PublicKey, kind MessageKind, text string) MessageID {
	t.Helper()
	ids, err := n.SendMessage(context.Background(), to, kind, text)
	if err != nil || len(ids) != 1 {
		t.Fatalf("send %.20q: ids %v, err %v", text, ids, err)
	}
	return ids[0]
}

// connStats returns the session counters of n's connection to peer.
func connStats(t *testing.T, n *Node, peer key.PublicKey) (s session.ConnStats, ok bool) {
	t.Helper()
	err := n.Do(context.Background(), func(time.Time) {
		if c := n.sessions.Conn(peer); c != nil {
			s, ok = c.Stats(), true
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return s, ok
}
