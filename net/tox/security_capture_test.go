package tox

import (
	"encoding/binary"
	"fmt"
	"io"
	"net/netip"
	"sync"
	"testing"
	"testing/synctest"

	"parley/net/crypto"
	"parley/net/key"
	"parley/net/netsim"
	"parley/net/session"
	"parley/net/wire"
)

// A capture of every UDP payload of a whole chat (friend request, the
// onion, the session, messages both ways, profile changes) holds none of
// the secrets: no message text, name, status message or request text, in
// whole or any 24 bytes of it; no secret key any node drew (long-term, DHT,
// session, onion path and data keys, cookie and relay keys); and not the
// session shared keys. The test first proves it knows the session keys:
// it opens the captured handshakes with the long-term keys, finds the
// session keys among the drawn ones, and decrypts a captured data packet
// with the shared key it derives.
func TestSecurityCaptureHoldsNoSecrets(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := newSimNet(t, 5, simLink)
		var cap capture
		s.net.Trace(cap.hook)
		relayRand := s.startRelayRecorded("boot")
		aconn, bconn := s.listen(), s.listen()
		var aRand, bRand *recordingRand
		a, aev := s.startSimClient("alice", aconn, func(c *Config) {
			aRand = record(c)
			c.Name, c.StatusMessage = "Alice Liddell (secret name)", "Alice's secret status line"
		})
		b, bev := s.startSimClient("bob", bconn, func(c *Config) {
			bRand = record(c)
			c.Name, c.StatusMessage = "Robert Secretname-Bob", "Bob's secret status line ✓"
		})
		const request = "this friend request text is secret"
		befriend(t, a, aev, b, bev, request, simTimeout)
		simExchange(t, a, aev, b, bev)

		var ls leakScanner
		for _, text := range []string{
			request,
			"Alice Liddell (secret name)", "Alice's secret status line",
			"Robert Secretname-Bob", "Bob's secret status line ✓",
		} {
			ls.addText(text)
		}
		for _, who := range []string{"alice", "bob"} {
			for _, text := range exchangeTexts(who) {
				ls.addText(text)
			}
		}
		for _, n := range []struct {
			name string
			node *Node
			rand *recordingRand
		}{{"alice", a, aRand}, {"bob", b, bRand}} {
			ls.add(n.name+" long-term secret key", n.node.id.Secret[:])
			ls.add(n.name+" DHT secret key", n.node.keys.Secret[:])
		}
		for name, r := range map[string]*recordingRand{"boot": relayRand, "alice": aRand, "bob": bRand} {
			for i, k := range r.drawn() {
				ls.add(fmt.Sprintf("%s's secret draw %d", name, i), k[:])
			}
		}
		shared := provenSessionKeys(t, &cap, a, aRand, aconn.LocalAddr(), b, bRand, bconn.LocalAddr())
		for i, k := range shared {
			ls.add(fmt.Sprintf("session shared key %d", i), k[:])
		}

		packets, bytes := cap.scan(t, &ls)
		t.Logf("scanned %d payloads (%d bytes) for %d secrets: none found", packets, bytes, ls.count)
		if aRand.count() < 10 || bRand.count() < 10 || relayRand.count() < 3 {
			t.Fatalf("too few secret draws recorded: %d, %d, %d", aRand.count(), bRand.count(), relayRand.count())
		}
	})
}

// The scanner itself finds a planted secret, anywhere in a payload.
func TestSecurityLeakScannerFindsPlantedSecrets(t *testing.T) {
	var ls leakScanner
	ls.add("key", []byte("0123456789abcdef0123456789ABCDEF"))
	ls.addText("a message text of some length, ✓")
	for _, p := range []string{
		"xx0123456789abcdef0123456789ABCDEFyy",
		"prefix a message text of some length, ✓",
		"...age text of some length...", // 24 bytes of the text hold a whole piece
	} {
		if _, ok := ls.find([]byte(p)); !ok {
			t.Errorf("%q: planted secret not found", p)
		}
	}
	if what, ok := ls.find([]byte("0123456789abcdef0123456789ABCDEx")); ok {
		t.Errorf("false positive: %s", what)
	}
}

// exchangeTexts lists what simExchange's oneWay sends for who.
func exchangeTexts(who string) []string {
	return []string{
		simLongText(who),
		"Grüße, 你好, 👋🏽 from " + who,
		"waves at you (" + who + ")",
		who + " Ünicode ✓",
		who + " is on a call",
	}
}

// recordingRand passes reads through and keeps a copy of every 32-byte
// read: in Parley's protocol packages those are all secrets (key.NewPair's
// secret keys, cookie, relay and announce keys); the DHT draws 64 bytes at
// a time and nonces are 24, so nothing published is 32 bytes.
type recordingRand struct {
	r    io.Reader
	mu   sync.Mutex
	keys [][32]byte
}

func (r *recordingRand) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if n == 32 {
		r.mu.Lock()
		r.keys = append(r.keys, [32]byte(p[:32]))
		r.mu.Unlock()
	}
	return n, err
}

func (r *recordingRand) drawn() [][32]byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([][32]byte(nil), r.keys...)
}

func (r *recordingRand) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.keys)
}

// record makes c's randomness a recordingRand.
func record(c *Config) *recordingRand {
	r := &recordingRand{r: c.Rand}
	c.Rand = r
	return r
}

// startRelayRecorded starts a relay whose randomness is recorded.
func (s *simNet) startRelayRecorded(name string) *recordingRand {
	r := &recordingRand{r: s.rand(name)}
	s.startRelayWith(name, r)
	return r
}

// capture keeps a copy of every packet copy the network carried.
type capture struct {
	mu      sync.Mutex
	packets []capturedPacket
}

type capturedPacket struct {
	src, to netip.AddrPort
	fate    netsim.Fate
	data    []byte
}

func (c *capture) hook(e netsim.TraceEvent) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.packets = append(c.packets, capturedPacket{src: e.Src, to: e.To, fate: e.Fate, data: append([]byte(nil), e.Data...)})
}

func (c *capture) all() []capturedPacket {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]capturedPacket(nil), c.packets...)
}

// scan fails the test on the first payload holding a secret and returns
// how many payloads and bytes it scanned.
func (c *capture) scan(t *testing.T, ls *leakScanner) (packets, bytes int) {
	t.Helper()
	for _, p := range c.all() {
		if what, ok := ls.find(p.data); ok {
			t.Fatalf("a %v packet from %v holds %s", wire.Kind(p.data[0]), p.src, what)
		}
		packets++
		bytes += len(p.data)
	}
	return packets, bytes
}

// from returns the delivered packets of kind k from src to dst.
func (c *capture) from(k wire.Kind, src, dst netip.AddrPort) [][]byte {
	var out [][]byte
	for _, p := range c.all() {
		if p.fate == netsim.Delivered && p.src == src && p.to == dst && len(p.data) > 0 && wire.Kind(p.data[0]) == k {
			out = append(out, p.data)
		}
	}
	return out
}

// leakScanner finds any of a set of byte strings (each at least 8 bytes)
// inside payloads, indexing them by their first 8 bytes so a scan costs
// one map lookup per payload byte.
type leakScanner struct {
	byPrefix map[uint64][]leak
	count    int
}

type leak struct {
	what string
	b    []byte
}

// add registers secret b (at least 8 bytes) described by what.
func (ls *leakScanner) add(what string, b []byte) {
	if len(b) < 8 {
		panic("leakScanner: secret shorter than 8 bytes: " + what)
	}
	if ls.byPrefix == nil {
		ls.byPrefix = make(map[uint64][]leak)
	}
	p := binary.LittleEndian.Uint64(b)
	ls.byPrefix[p] = append(ls.byPrefix[p], leak{what: what, b: append([]byte(nil), b...)})
	ls.count++
}

// addText registers a text, whole and as every 16-byte piece at a
// multiple of 8 bytes, so that any 24 consecutive bytes of it are found
// too (a partial plaintext).
func (ls *leakScanner) addText(text string) {
	ls.add(fmt.Sprintf("the text %.24q", text), []byte(text))
	for i := 0; i+16 <= len(text); i += 8 {
		ls.add(fmt.Sprintf("a piece of the text %.24q", text), []byte(text[i:i+16]))
	}
}

// find reports the first secret inside p.
func (ls *leakScanner) find(p []byte) (string, bool) {
	for i := 0; i+8 <= len(p); i++ {
		for _, l := range ls.byPrefix[binary.LittleEndian.Uint64(p[i:])] {
			if len(p)-i >= len(l.b) && string(p[i:i+len(l.b)]) == string(l.b) {
				return l.what, true
			}
		}
	}
	return "", false
}

// provenSessionKeys opens the captured handshakes between a and b with
// their long-term keys, finds each side's session secret key among its
// recorded draws, derives the shared keys, and checks that one of them
// opens a captured data packet. It returns every shared key derived.
func provenSessionKeys(t *testing.T, c *capture, a *Node, ar *recordingRand, aaddr netip.AddrPort, b *Node, br *recordingRand, baddr netip.AddrPort) []crypto.SharedKey {
	t.Helper()
	type side struct {
		sk   key.SecretKey
		base key.Nonce
	}
	sessions := func(from *Node, fr *recordingRand, faddr netip.AddrPort, to *Node, taddr netip.AddrPort) []side {
		var out []side
		for _, pkt := range c.from(wire.KindCryptoHandshake, faddr, taddr) {
			hs, err := session.ParseHandshake(pkt)
			if err != nil {
				t.Fatal(err)
			}
			plain, err := crypto.Open(nil, hs.Sealed[:], &hs.Nonce, &from.id.Public, &to.id.Secret)
			if err != nil {
				t.Fatalf("captured handshake does not open with the long-term keys: %v", err)
			}
			hp, err := session.ParseHandshakePlain(plain)
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, k := range fr.drawn() {
				if p := key.PairFromSecret(key.SecretKey(k)); p.Public == hp.SessionPK {
					out = append(out, side{sk: p.Secret, base: hp.BaseNonce})
					found = true
				}
			}
			if !found {
				t.Fatalf("session key %s is not among the recorded draws", hp.SessionPK.Short())
			}
		}
		if len(out) == 0 {
			t.Fatalf("no handshake captured from %v to %v", faddr, taddr)
		}
		return out
	}
	as := sessions(a, ar, aaddr, b, baddr)
	bs := sessions(b, br, baddr, a, aaddr)
	data := c.from(wire.KindCryptoData, aaddr, baddr)
	if len(data) == 0 {
		t.Fatal("no data packet captured from a to b")
	}
	dp, err := session.ParseDataPacket(data[0])
	if err != nil {
		t.Fatal(err)
	}
	var keys []crypto.SharedKey
	opened := false
	for _, x := range as {
		for _, y := range bs {
			yp := key.PairFromSecret(y.sk).Public
			k := crypto.Precompute(&yp, &x.sk)
			keys = append(keys, k)
			n := x.base
			n.Add(uint32(dp.NonceLow - binary.BigEndian.Uint16(n[key.NonceSize-2:])))
			if _, err := crypto.OpenShared(nil, dp.Sealed, &n, &k); err == nil {
				opened = true
			}
		}
	}
	if !opened {
		t.Fatal("no derived session key opens the first captured data packet")
	}
	return keys
}
