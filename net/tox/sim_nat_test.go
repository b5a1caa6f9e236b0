package tox

import (
	"context"
	"net/netip"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"parley/net/crypto"
	"parley/net/dht"
	"parley/net/key"
	"parley/net/netsim"
	"parley/net/wire"
)

// NAT flavours (RFC 4787), with a 2-minute idle timeout.
var (
	// portRestricted: endpoint-independent mapping (one public port for
	// every destination), address-and-port-dependent filtering (only
	// endpoints the host has sent to may answer). The common home NAT.
	portRestricted = netsim.NATConfig{Mapping: netsim.EndpointIndependent, Filtering: netsim.AddressPortDependent, Timeout: 2 * time.Minute}
	// symmetric: a new public port for every destination, handed out in
	// sequence, and the same strict filtering.
	symmetric = netsim.NATConfig{Mapping: netsim.AddressPortDependent, Filtering: netsim.AddressPortDependent, Timeout: 2 * time.Minute}
)

// natRelays is how many relay nodes the NAT scenarios run: a NAT ping
// needs at least 4 DHT nodes that see the friend (half of a friend's
// 8-node list, tox-protocol.md §4.2).
const natRelays = 8

// bobStartDelay starts Bob a little after Alice, off the one-second tick
// grid Alice's timers run on: two nodes started on the same virtual
// instant send to each other in the same microsecond, which opens both
// NATs "simultaneously" by luck and hides whether traversal works.
const bobStartDelay = 1370 * time.Millisecond

// A and B behind different port-restricted cone NATs: neither can reach
// the other until both have sent to the other's public endpoint. The
// first packets between the NATs are filtered; the session then runs on
// the direct path between the two public endpoints, and the whole chat
// exchange works on it.
func TestSimChatBehindNATs(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := newSimNet(t, 2, simLink)
		s.startRelays("relay", natRelays)
		aconn, anat := s.listenBehindNAT(portRestricted)
		bconn, bnat := s.listenBehindNAT(portRestricted)
		nt := newNATTrace(anat.Public(), bnat.Public())
		s.net.Trace(nt.hook)
		a, aev := s.startSimClient("alice", aconn, nil)
		time.Sleep(bobStartDelay) // virtual time: see bobStartDelay
		b, bev := s.startSimClient("bob", bconn, nil)
		nt.watch(a, b)
		took := befriend(t, a, aev, b, bev, "hello from behind a NAT", simTimeout)
		t.Logf("request to both online: %v virtual", took)

		checkDirect(t, a, b, bnat.Public())
		checkDirect(t, b, a, anat.Public())
		first := nt.report(t)
		if first.filtered == 0 {
			t.Errorf("no packet between the NATs was filtered: the NATs were never in the way")
		}
		simExchange(t, a, aev, b, bev)
	})
}

// A behind a symmetric NAT (a new public port per destination), B behind a
// port-restricted cone NAT. The relays each see A on a different port and
// A's packets to B leave from yet another port that nobody reports, so B
// can only reach A by the port guessing of tox-protocol.md §4.2: after a
// NAT ping exchange through the relays, B pings 48 ports around the
// reported ones and one of them is the port A's NAT opened towards B.
func TestSimChatSymmetricNATHolePunch(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := newSimNet(t, 3, simLink)
		s.startRelays("relay", natRelays)
		aconn, anat := s.listenBehindNAT(symmetric)
		bconn, bnat := s.listenBehindNAT(portRestricted)
		nt := newNATTrace(anat.Public(), bnat.Public())
		s.net.Trace(nt.hook)
		a, aev := s.startSimClient("alice", aconn, nil)
		time.Sleep(bobStartDelay)
		b, bev := s.startSimClient("bob", bconn, nil)
		nt.watch(a, b)
		took := befriend(t, a, aev, b, bev, "punch through, please", simTimeout)
		t.Logf("request to both online: %v virtual", took)

		checkDirect(t, a, b, bnat.Public())
		checkDirect(t, b, a, anat.Public())
		first := nt.report(t)
		if first.kind != wire.KindPingRequest || first.src.Addr() != bnat.Public() {
			t.Errorf("first packet through the NATs: %v from %v, want B's hole-punching ping", first.kind, first.src)
		}
		if first.dstPortSeen {
			t.Errorf("B reached A at %v, a port the relays reported: no port was guessed", first.dst)
		}
		if first.natPings == 0 {
			t.Errorf("no NAT ping was routed to A or B: the punch was not the §4.2 one")
		}
		simExchange(t, a, aev, b, bev)
	})
}

// natTrace watches the packets between two NATs' public addresses, and
// the ports the relays (everything else) see them on.
type natTrace struct {
	x, y netip.Addr

	mu        sync.Mutex
	seen      map[netip.AddrPort]bool // public endpoints of x and y that others saw
	filtered  int
	delivered int
	first     natPacket
	dhtKeys   [2]key.PublicKey // the two clients' DHT keys, once known
	natPings  int              // NAT pings delivered to either, by anyone
}

// natPingSize is the length of a DHT request (0x20) carrying a NAT ping:
// kind | receiver pk | sender pk | nonce | box(subtype 254 | type | ping id).
const natPingSize = 1 + 2*key.Size + key.NonceSize + crypto.Overhead + 1 + dht.NATPingSize

// watch tells the trace the clients' DHT keys, so it can count the NAT
// pings (tox-protocol.md §4.2) routed to them.
func (nt *natTrace) watch(a, b *Node) {
	nt.mu.Lock()
	defer nt.mu.Unlock()
	nt.dhtKeys = [2]key.PublicKey{a.DHTPublicKey(), b.DHTPublicKey()}
}

// natPacket is the first packet delivered between the NATs.
type natPacket struct {
	kind        wire.Kind
	src, dst    netip.AddrPort
	dstPortSeen bool // dst is an endpoint a third party saw
	filtered    int  // packets filtered between the NATs before it
	natPings    int  // NAT pings delivered to the clients, in the whole run
}

func newNATTrace(x, y netip.Addr) *natTrace {
	return &natTrace{x: x, y: y, seen: make(map[netip.AddrPort]bool)}
}

func (nt *natTrace) isNAT(a netip.Addr) bool { return a == nt.x || a == nt.y }

// hook is the netsim Trace function (called with the network's lock held).
func (nt *natTrace) hook(e netsim.TraceEvent) {
	if len(e.Data) == 0 {
		return
	}
	nt.mu.Lock()
	defer nt.mu.Unlock()
	if e.Fate == netsim.Delivered && wire.Kind(e.Data[0]) == wire.KindCrypto && len(e.Data) == natPingSize {
		if to := key.PublicKey(e.Data[1 : 1+key.Size]); to == nt.dhtKeys[0] || to == nt.dhtKeys[1] {
			nt.natPings++
		}
	}
	src, dst := e.Src.Addr(), e.Dst.Addr()
	if !nt.isNAT(src) || !nt.isNAT(dst) || src == dst {
		if nt.isNAT(src) && e.Fate == netsim.Delivered {
			nt.seen[e.Src] = true
		}
		return
	}
	switch e.Fate {
	case netsim.NATFiltered:
		nt.filtered++
	case netsim.Delivered:
		if nt.delivered == 0 {
			nt.first = natPacket{kind: wire.Kind(e.Data[0]), src: e.Src, dst: e.Dst, dstPortSeen: nt.seen[e.Dst], filtered: nt.filtered}
		}
		nt.delivered++
	}
}

// report logs what crossed between the NATs and returns the first packet.
func (nt *natTrace) report(t *testing.T) natPacket {
	t.Helper()
	nt.mu.Lock()
	defer nt.mu.Unlock()
	t.Logf("between the NATs: %d packets filtered, %d delivered; the first through: %v %v -> %v after %d filtered; %d NAT pings delivered",
		nt.filtered, nt.delivered, nt.first.kind, nt.first.src, nt.first.dst, nt.first.filtered, nt.natPings)
	if nt.delivered == 0 {
		t.Fatalf("nothing was delivered between the NATs")
	}
	first := nt.first
	first.natPings = nt.natPings
	return first
}

// checkDirect fails unless n's session to peer sends to peer's NAT's
// public address (a direct UDP path, not through anyone).
func checkDirect(t *testing.T, n, peer *Node, peerPublic netip.Addr) {
	t.Helper()
	var addr netip.AddrPort
	err := n.Do(context.Background(), func(now time.Time) {
		if c := n.sessions.Conn(peer.PublicKey()); c != nil {
			addr, _ = c.Addr(now)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if addr.Addr() != peerPublic {
		t.Fatalf("session to %s uses %v, want the NAT's public address %v", peer.PublicKey().Short(), addr, peerPublic)
	}
}
