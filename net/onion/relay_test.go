package onion

import (
	"errors"
	"net/netip"
	"testing"
	"time"

	"parley/net/crypto"
	"parley/net/key"
	"parley/net/wire"
)

// manualPath builds a path from n through the given hops.
func manualPath(t *testing.T, n *testNode, hops ...*testNode) *path {
	t.Helper()
	p := &path{}
	for i, h := range hops {
		p.nodes[i] = h.node()
	}
	p.pks[0] = n.dht.Public
	p.keys[0] = crypto.Precompute(&hops[0].dht.Public, &n.dht.Secret)
	for i := 1; i < 3; i++ {
		tp, err := key.NewPair(seededReader(uint64(1000 + i)))
		if err != nil {
			t.Fatal(err)
		}
		p.pks[i] = tp.Public
		p.keys[i] = crypto.Precompute(&hops[i].dht.Public, &tp.Secret)
	}
	return p
}

// hopPackets sends payload from a through x, y, z to dest and returns the
// packets each hop received (0x80 at x, 0x81 at y, 0x82 at z, and what z
// sent to dest), without delivering to dest.
func hopPackets(t *testing.T, tn *testNet, a *testNode, dest netip.AddrPort, payload []byte, x, y, z *testNode) map[wire.Kind]testPacket {
	t.Helper()
	n, err := a.o.nonce()
	if err != nil {
		t.Fatal(err)
	}
	pkt, err := sealUDP(manualPath(t, a, x, y, z), &n, dest, payload)
	if err != nil {
		t.Fatal(err)
	}
	got := make(map[wire.Kind]testPacket)
	tn.queue = append(tn.queue, testPacket{src: a.addr, dst: x.addr, b: pkt})
	for len(tn.queue) > 0 {
		p := tn.queue[0]
		tn.queue = tn.queue[1:]
		k := wire.Kind(p.b[0])
		if p.dst == dest {
			k = 0 // the exit packet
		}
		got[k] = p
		if p.dst != dest {
			tn.deliver(p)
		}
	}
	return got
}

func wantErr(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("%s: error %v, want %v", what, err, want)
	}
}

func TestRelayForwardsAndRejects(t *testing.T) {
	tn := newTestNet(t, 4)
	a := tn.addNode(100, false)
	x, y, z, d := tn.servers[0], tn.servers[1], tn.servers[2], tn.servers[3]
	payload := append([]byte{byte(wire.KindAnnounceRequest)}, make([]byte, 176)...)
	hops := hopPackets(t, tn, a, d.addr, payload, x, y, z)
	tn.noErrors()
	for k, want := range map[wire.Kind]int{
		wire.KindOnionSendInitial: 1 + nonceSize + key.Size + 3*(IPPortSize+macSize) + 2*key.Size + len(payload),
		wire.KindOnionSend1:       1 + nonceSize + key.Size + 2*(IPPortSize+macSize) + key.Size + len(payload) + Return1Size,
		wire.KindOnionSend2:       1 + nonceSize + key.Size + (IPPortSize + macSize) + len(payload) + Return2Size,
		0:                         len(payload) + Return3Size,
	} {
		if got := len(hops[k].b); got != want {
			t.Errorf("%v: %d bytes, want %d", k, got, want)
		}
	}
	exit := hops[0]
	if exit.src != z.addr || string(exit.b[:len(payload)]) != string(payload) {
		t.Fatal("the exit packet is not payload | R3 from hop C")
	}
	if a.o.Stats().Relayed != 0 || x.o.Stats().Relayed != 1 || z.o.Stats().Relayed != 1 {
		t.Fatal("relay counters wrong")
	}

	mut := func(b []byte, f func([]byte) []byte) []byte { return f(append([]byte(nil), b...)) }
	flip := func(i int) func([]byte) []byte {
		return func(b []byte) []byte { b[len(b)+i] ^= 1; return b }
	}
	cases := []struct {
		name string
		at   *testNode
		pkt  []byte
		want error
	}{
		{"0x80 truncated", x, hops[wire.KindOnionSendInitial].b[:1+send1], wire.ErrShort},
		{"0x80 oversized", x, make([]byte, MaxPacketSize+1), wire.ErrLong},
		{"0x80 forged", x, mut(hops[wire.KindOnionSendInitial].b, flip(-1)), wire.ErrDecrypt},
		{"0x80 to the wrong relay", y, hops[wire.KindOnionSendInitial].b, wire.ErrDecrypt},
		{"0x81 truncated", y, hops[wire.KindOnionSend1].b[:1+send2], wire.ErrShort},
		{"0x81 forged layer", y, mut(hops[wire.KindOnionSend1].b, flip(-Return1Size-1)), wire.ErrDecrypt},
		{"0x82 truncated", z, hops[wire.KindOnionSend2].b[:1+send3], wire.ErrShort},
		{"0x82 forged layer", z, mut(hops[wire.KindOnionSend2].b, flip(-Return2Size-1)), wire.ErrDecrypt},
	}
	cases[1].pkt[0] = byte(wire.KindOnionSendInitial)
	for _, c := range cases {
		wantErr(t, c.name, c.at.o.HandlePacket(tn.now, a.addr, c.pkt), c.want)
	}

	// Hop C refuses to let anything but 0x83 and 0x85 out.
	bad := append([]byte{0x99}, make([]byte, 176)...)
	hopPackets(t, tn, a, d.addr, bad, x, y, z)
	if len(z.errs) != 1 || !errors.Is(z.errs[0], wire.ErrKind) {
		t.Fatalf("hop C errors %v, want one ErrKind", z.errs)
	}
	z.errs = nil

	// A layer naming an unusable next hop or family is dropped.
	p := manualPath(t, a, x, y, z)
	for _, c := range []struct {
		layer []byte
		want  error
	}{
		{append([]byte{7}, make([]byte, 200)...), wire.ErrMalformed},
		{append([]byte{wire.FamilyUDP4}, make([]byte, 200)...), ErrBadAddress},
	} {
		var n key.Nonce
		req := OnionRequest{Kind: wire.KindOnionSendInitial, Nonce: n, PK: a.dht.Public, Sealed: crypto.SealShared(nil, c.layer, &n, &p.keys[0])}
		b, err := req.AppendBinary(nil)
		if err != nil {
			t.Fatal(err)
		}
		wantErr(t, "bad next hop", x.o.HandlePacket(tn.now, a.addr, b), c.want)
	}
}

func TestRelayResponsesRejects(t *testing.T) {
	tn := newTestNet(t, 4)
	a := tn.addNode(100, false)
	x, y, z, d := tn.servers[0], tn.servers[1], tn.servers[2], tn.servers[3]
	payload := append([]byte{byte(wire.KindAnnounceRequest)}, make([]byte, 176)...)
	exit := hopPackets(t, tn, a, d.addr, payload, x, y, z)[0]
	r3 := exit.b[len(exit.b)-Return3Size:]
	resp := append([]byte{byte(wire.KindAnnounceResponse)}, make([]byte, 100)...)
	good := append(append([]byte{byte(wire.KindOnionRecv3)}, r3...), resp...)

	// The response travels back C -> B -> A -> sender, shedding a blob a hop.
	tn.queue = append(tn.queue, testPacket{src: d.addr, dst: z.addr, b: good})
	var path []netip.AddrPort
	tn.seen = func(p testPacket) { path = append(path, p.dst) }
	tn.run()
	tn.seen = nil
	if len(path) != 4 || path[1] != y.addr || path[2] != x.addr || path[3] != a.addr {
		t.Fatalf("response went %v", path)
	}
	if e := a.errs; len(e) != 1 || !errors.Is(e[0], ErrUnknownSendback) { // our fake 0x84 has no sendback of A's
		t.Fatalf("client errors %v", e)
	}
	a.errs = nil
	tn.noErrors()

	forged := append([]byte(nil), good...)
	forged[30] ^= 1
	wrongKind := append([]byte(nil), good...)
	wrongKind[1+Return3Size] = byte(wire.KindAnnounceRequest)
	for _, c := range []struct {
		name string
		pkt  []byte
		want error
	}{
		{"0x8c truncated", good[:1+Return3Size], wire.ErrShort},
		{"0x8c forged", forged, wire.ErrDecrypt},
		{"0x8c carrying a request", wrongKind, wire.ErrKind},
		{"0x8c oversized", append(good, make([]byte, MaxPacketSize)...), wire.ErrLong},
		{"0x8e with an R3", append([]byte{byte(wire.KindOnionRecv1)}, good[1:]...), wire.ErrKind},
	} {
		wantErr(t, c.name, z.o.HandlePacket(tn.now, d.addr, c.pkt), c.want)
	}
	// A blob made by C means nothing to B.
	r2Shaped := append(append([]byte{byte(wire.KindOnionRecv2)}, r3[:Return2Size]...), resp...)
	wantErr(t, "foreign blob", y.o.HandlePacket(tn.now, z.addr, r2Shaped), wire.ErrDecrypt)
}

// Rotating a relay's key keeps responses in flight and stored return paths
// working for one rotation; after two, blobs made before are refused.
func TestRelayKeyRotation(t *testing.T) {
	tn, a, b := twoClients(t)
	findEachOther(t, tn, a, b)
	rotT := tn.now
	rotateAll := func(times int) {
		for range times {
			rotT = rotT.Add(3 * time.Hour)
			for _, n := range tn.order {
				n.o.relay.rotate(rotT)
			}
		}
	}
	request := func() int {
		t.Helper()
		a.events = nil
		if err := b.o.SendFriendRequest(tn.now, a.self.Public, key.Nospam{}, []byte("rotated")); err != nil {
			t.Fatal(err)
		}
		tn.run()
		return len(eventsOf[FriendRequestReceived](a))
	}
	// Stored return paths survive one rotation...
	rotateAll(1)
	if request() == 0 {
		t.Fatal("no request after one rotation")
	}
	tn.noErrors()
	// ... and a response in flight during a rotation arrives.
	pending := len(a.o.client.sendbacks)
	c := a.o.client
	n := c.self[len(c.self)-1]
	if err := c.sendAnnounce(tn.now, nil, wire.Node{PK: n.pk, Addr: n.addr}, n.pingID, n.pathUsed); err != nil {
		t.Fatal(err)
	}
	rotated := false
	for len(tn.queue) > 0 {
		p := tn.queue[0]
		tn.queue = tn.queue[1:]
		if k := wire.Kind(p.b[0]); !rotated && k == wire.KindOnionRecv3 {
			rotateAll(1)
			rotated = true
		}
		tn.deliver(p)
	}
	if !rotated || len(c.sendbacks) != pending {
		t.Fatalf("response in flight lost across a rotation (rotated %v, %d pending, want %d)", rotated, len(c.sendbacks), pending)
	}
	tn.noErrors()
	// Two more rotations: every return path stored before is dead.
	rotateAll(2)
	if request() != 0 {
		t.Fatal("a request arrived over return paths two rotations old")
	}
	decrypt := 0
	for _, n := range tn.order {
		for _, err := range n.errs {
			if errors.Is(err, wire.ErrDecrypt) {
				decrypt++
			}
		}
		n.errs = nil
	}
	if decrypt == 0 {
		t.Fatal("no relay refused an old blob")
	}
	// Re-announcing lays new return paths.
	tn.until(3*time.Minute, "request delivered after re-announcing", func() bool { return request() > 0 })
}
