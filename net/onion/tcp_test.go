package onion

import (
	"bytes"
	"encoding/hex"
	"errors"
	"net/netip"
	"testing"
	"time"

	"parley/net/crypto"
	"parley/net/key"
	"parley/net/wire"
)

// tcpGolden is sealTCP's output for the fixed path, nonce, destination and
// payload of TestSealTCPIsUDPWithoutFirstLayer: ipport(B) | pk_B |
// sbox_B(ipport(C) | pk_C | sbox_C(ipport(dest) | payload)).
const tcpGolden = "027f00000200000000000000000000000082a5a044f25a7312349b4e848ee999f39d7671666fe7866f437e11aaaaefe8fb9e7fb35ebe29e07f601c51d345f223a1783db7184a84eec09f9e9575d165e4fbbe0c9024ed35c83788058ae3ddbdaefa6554741085bbb51f6578dfa45d9d328a2d7dc6fe5925551d1b4fab0dbfdd1e9ab30c103583863b95689182e54b9e69121da2bd51bf70396ca6a2ab89"

func fixedPath(t *testing.T) (*path, key.Nonce, netip.AddrPort, []byte) {
	t.Helper()
	tn := newTestNet(t, 3)
	a := tn.addNode(100, false)
	p := manualPath(t, a, tn.servers[0], tn.servers[1], tn.servers[2])
	var n key.Nonce
	for i := range n {
		n[i] = byte(i + 1)
	}
	return p, n, netip.MustParseAddrPort("127.0.0.9:33445"), []byte{byte(wire.KindAnnounceRequest), 1, 2, 3}
}

// The TCP onion request payload is exactly what hop A of the UDP 0x80
// packet finds under its layer (tox-protocol.md §9: the relay acts as hop
// A), and it is stable.
func TestSealTCPIsUDPWithoutFirstLayer(t *testing.T) {
	p, n, dest, payload := fixedPath(t)
	tcp, err := sealTCP(p, &n, dest, payload)
	if err != nil {
		t.Fatal(err)
	}
	udp, err := sealUDP(p, &n, dest, payload)
	if err != nil {
		t.Fatal(err)
	}
	req, err := ParseOnionRequest(udp)
	if err != nil {
		t.Fatal(err)
	}
	if req.Nonce != n || req.PK != p.pks[0] {
		t.Fatalf("0x80 header: nonce %x pk %x", req.Nonce, req.PK)
	}
	plain, err := crypto.OpenShared(nil, req.Sealed, &req.Nonce, &p.keys[0])
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(plain, tcp) {
		t.Fatalf("TCP payload\n%x\nwant hop A's plaintext\n%x", tcp, plain)
	}
	layer, err := ParseOnionLayer(tcp)
	if err != nil {
		t.Fatal(err)
	}
	if layer.Next != p.nodes[1].Addr || !bytes.Equal(layer.Data[:key.Size], p.pks[1][:]) {
		t.Fatalf("TCP payload goes to %v with pk %x, want hop B %v %x", layer.Next, layer.Data[:key.Size], p.nodes[1].Addr, p.pks[1])
	}
	if got := len(tcp); got != IPPortSize+2*(key.Size+IPPortSize+macSize)+len(payload) {
		t.Fatalf("TCP payload of %d bytes", got)
	}
	if got := hex.EncodeToString(tcp); got != tcpGolden {
		t.Fatalf("TCP payload\n%s\nwant\n%s", got, tcpGolden)
	}
}

// In TCP mode the client's announces go to SendTCP, never to the socket,
// and a relay can hand back only responses.
func TestClientTCPMode(t *testing.T) {
	tn := newTestNet(t, 4)
	r := seededReader(7)
	self, err := key.NewPair(r)
	if err != nil {
		t.Fatal(err)
	}
	dhtKeys, err := key.NewPair(r)
	if err != nil {
		t.Fatal(err)
	}
	var udp, tcp int
	o, err := New(Config{
		Self: self, DHT: dhtKeys, Rand: r,
		Send:      func(netip.AddrPort, []byte) { udp++ },
		PathNodes: func(time.Time) []wire.Node { return tn.others(nil) },
		SendTCP: func(n key.Nonce, payload []byte) bool {
			layer, err := ParseOnionLayer(payload)
			if err != nil {
				t.Errorf("TCP onion payload: %v", err)
			} else if !slicesHasAddr(tn.others(nil), layer.Next) {
				t.Errorf("TCP onion payload to %v, not a path node", layer.Next)
			}
			tcp++
			return true
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	o.Tick(tn.now)
	if udp != 0 || tcp == 0 {
		t.Fatalf("first tick: %d UDP sends, %d TCP onion requests", udp, tcp)
	}
	relay := netip.MustParseAddrPort("127.0.0.1:33445")
	for _, k := range []wire.Kind{wire.KindOnionSendInitial, wire.KindOnionRecv1, wire.KindAnnounceRequest, wire.KindOnionDataRequest} {
		pkt := append([]byte{byte(k)}, make([]byte, 200)...)
		if err := o.HandleTCPResponse(tn.now, relay, pkt); !errors.Is(err, wire.ErrKind) {
			t.Errorf("%v from a relay: %v, want ErrKind", k, err)
		}
	}
	if err := o.HandleTCPResponse(tn.now, relay, append([]byte{byte(wire.KindAnnounceResponse)}, make([]byte, 200)...)); errors.Is(err, wire.ErrKind) || err == nil {
		t.Errorf("a forged announce response: %v, want a parse or sendback error", err)
	}
	if udp != 0 {
		t.Fatalf("%d UDP sends", udp)
	}
}

// A TCP mode client with no relay to take its requests reports it.
func TestClientTCPModeNoRelay(t *testing.T) {
	tn := newTestNet(t, 3)
	a := tn.addNode(100, false)
	a.o.cfg.SendTCP = func(key.Nonce, []byte) bool { return false }
	p := manualPath(t, a, tn.servers[0], tn.servers[1], tn.servers[2])
	if err := a.o.client.send(p, tn.servers[0].addr, []byte{1}); !errors.Is(err, ErrNoRelay) {
		t.Fatalf("send: %v, want ErrNoRelay", err)
	}
	if len(tn.queue) != 0 {
		t.Fatalf("%d UDP packets queued", len(tn.queue))
	}
}

func slicesHasAddr(nodes []wire.Node, a netip.AddrPort) bool {
	for _, n := range nodes {
		if n.Addr == a {
			return true
		}
	}
	return false
}
