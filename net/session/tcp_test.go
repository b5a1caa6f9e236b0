package session

import (
	"net/netip"
	"testing"
	"time"

	"parley/net/key"
)

// sendTCP carries pkt from n to p as a relay would: tagged with n's DHT key.
func (l *link) sendTCP(n, p *node, pkt []byte) {
	from := n.dht.Public
	l.push(&datagram{src: n.addr, dst: p.addr, data: pkt, relayed: &from})
}

// relayNodes adds a and b with a TCP path to each other (by DHT key).
func relayNodes(l *link) (a, b *node) {
	byDHT := map[key.PublicKey]*node{}
	withTCP := func(self **node) func(*Config) {
		return func(c *Config) {
			c.SendTCP = func(peerDHT key.PublicKey, pkt []byte) bool {
				p := byDHT[peerDHT]
				if p == nil {
					return false
				}
				l.sendTCP(*self, p, pkt)
				return true
			}
		}
	}
	a = l.addNode("a", 1001, withTCP(&a))
	b = l.addNode("b", 1002, withTCP(&b))
	byDHT[a.dht.Public], byDHT[b.dht.Public] = a, b
	return a, b
}

// With every UDP datagram lost, a connection is made and carries data
// through the relay path, and reports itself relayed.
func TestTCPOnly(t *testing.T) {
	l := newLink(t, 41)
	a, b := relayNodes(l)
	l.Filter = func(d *datagram) bool { return d.relayed != nil }
	if _, err := a.m.Connect(l.now, b.self.Public, b.dht.Public, netip.AddrPort{}); err != nil {
		t.Fatal(err)
	}
	if !l.runUntil(10*time.Second, func() bool { return bothEstablished(a, b) }, nil) {
		t.Fatalf("not established over TCP: a %v, b %v", stateOf(a.conn(b)), stateOf(b.conn(a)))
	}
	exchange(t, l, a, b, 50)
	if !a.conn(b).Relayed(l.now) || !b.conn(a).Relayed(l.now) {
		t.Fatal("a TCP-only connection does not say it is relayed")
	}
}

// When UDP works as well, the connection prefers it: once a direct
// address is alive, nothing more goes through the relay.
func TestTCPPrefersUDP(t *testing.T) {
	l := newLink(t, 42)
	a, b := relayNodes(l)
	if _, err := a.m.Connect(l.now, b.self.Public, b.dht.Public, b.addr); err != nil {
		t.Fatal(err)
	}
	if !l.runUntil(10*time.Second, func() bool { return bothEstablished(a, b) }, nil) {
		t.Fatal("not established")
	}
	l.run(2 * time.Second)
	relayed := 0
	l.Filter = func(d *datagram) bool {
		if d.relayed != nil {
			relayed++
		}
		return true
	}
	exchange(t, l, a, b, 20)
	if relayed != 0 || a.conn(b).Relayed(l.now) {
		t.Fatalf("%d packets went through the relay while UDP worked", relayed)
	}
}

// A relayed handshake or cookie request naming another DHT key than the
// relay's sender is refused.
func TestTCPWrongSender(t *testing.T) {
	l := newLink(t, 43)
	a, b := relayNodes(l)
	mallory, err := key.NewPair(chacha(99))
	if err != nil {
		t.Fatal(err)
	}
	var req []byte
	l.Filter = func(d *datagram) bool {
		if req == nil && d.relayed != nil {
			req = d.data
		}
		return false
	}
	if _, err := a.m.Connect(l.now, b.self.Public, b.dht.Public, netip.AddrPort{}); err != nil {
		t.Fatal(err)
	}
	l.run(100 * time.Millisecond)
	if req == nil {
		t.Fatal("no cookie request through the relay")
	}
	answered := false
	if err := b.m.HandleTCPPacket(l.now, mallory.Public, req, func([]byte) { answered = true }); err == nil || answered {
		t.Fatalf("a cookie request relayed from another key was answered (%v)", err)
	}
	if err := b.m.HandleTCPPacket(l.now, a.dht.Public, req, func([]byte) { answered = true }); err != nil || !answered {
		t.Fatalf("the cookie request from its own key was not answered: %v", err)
	}
}
