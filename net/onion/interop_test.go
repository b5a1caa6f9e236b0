//go:build interop

package onion

import (
	"encoding/hex"
	"fmt"
	"net/netip"
	"os/exec"
	"strings"
	"testing"
	"time"

	"parley/net/crypto"
	"parley/net/key"
	"parley/net/toxtest"
	"parley/net/wire"
)

// onionvec builds testdata/onionvec.c against the static libtoxcore.a and
// returns a function running it.
func onionvec(t *testing.T) func(args ...string) []byte {
	t.Helper()
	bin := toxtest.BuildStatic(t, "onionvec", "testdata/onionvec.c")
	return func(args ...string) []byte {
		t.Helper()
		cmd := exec.Command(bin, args...)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("onionvec %s: %v\n%s", args[0], err, stderr.String())
		}
		b, err := hex.DecodeString(strings.TrimSpace(string(out)))
		if err != nil {
			t.Fatalf("onionvec %s printed %q: %v", args[0], out, err)
		}
		return b
	}
}

func hx(b []byte) string { return hex.EncodeToString(b) }

// c-toxcore's client makes packets; Parley's relays carry them, Parley's
// announce server answers, and the answers open with c-toxcore's keys.
func TestInteropCToxcorePacketsThroughParley(t *testing.T) {
	run := onionvec(t)
	tn := &testNet{t: t, now: time.Unix(1_700_000_000, 0), nodes: map[netip.AddrPort]*testNode{}, delivered: map[wire.Kind]int{}}
	for i := range 4 {
		tn.servers = append(tn.servers, tn.addNodeAt(netip.MustParseAddrPort(fmt.Sprintf("127.0.0.1:%d", 1001+i)), uint64(i+1), true))
	}
	a := tn.addNodeAt(netip.MustParseAddrPort("127.0.0.1:1100"), 100, false)
	tn.until(30*time.Second, "A connected", func() bool { return a.o.Connected(tn.now) })
	x, y, z := tn.servers[0], tn.servers[1], tn.servers[2]

	// The C client: its DHT pair, path temp pairs and long-term pair.
	cDHT, t2, t3, cSelf := pairFrom(t, 500), pairFrom(t, 501), pairFrom(t, 502), pairFrom(t, 503)
	cAddr := netip.MustParseAddrPort("127.0.0.1:1200")
	k1 := crypto.Precompute(&x.dht.Public, &cDHT.Secret)
	k2 := crypto.Precompute(&y.dht.Public, &t2.Secret)
	k3 := crypto.Precompute(&z.dht.Public, &t3.Secret)
	onion := func(dest *testNode, payload []byte) []byte {
		return run("onion", hx(k1[:]), hx(k2[:]), hx(k3[:]), hx(cDHT.Public[:]), hx(t2.Public[:]), hx(t3.Public[:]),
			"1001", "1002", "1003", fmt.Sprint(dest.addr.Port()), hx(payload))
	}
	// send delivers a packet from the C client and returns what comes back.
	send := func(pkt []byte) [][]byte {
		var back [][]byte
		tn.seen = func(p testPacket) {
			if p.dst == cAddr {
				back = append(back, p.b)
			}
		}
		defer func() { tn.seen = nil }()
		tn.queue = append(tn.queue, testPacket{src: cAddr, dst: x.addr, b: pkt})
		tn.run()
		tn.noErrors()
		return back
	}
	// announce has the C client announce itself to d with pingID and opens
	// the answer.
	d := tn.servers[3]
	sendback := [8]byte{1, 2, 3, 4, 5, 6, 7, 8}
	dataPK := pairFrom(t, 504).Public
	announce := func(pingID [32]byte) AnnounceResponsePlain {
		t.Helper()
		req := run("announce", hx(d.dht.Public[:]), hx(cSelf.Public[:]), hx(cSelf.Secret[:]), hx(pingID[:]),
			hx(cSelf.Public[:]), hx(dataPK[:]), hx(sendback[:]))
		if len(req) != AnnounceRequestSize {
			t.Fatalf("c-toxcore's announce request is %d bytes, want %d", len(req), AnnounceRequestSize)
		}
		back := send(onion(d, req))
		if len(back) != 1 {
			t.Fatalf("%d answers, want 1", len(back))
		}
		resp := must(ParseAnnounceResponse(back[0]))(t)
		if resp.Sendback != sendback {
			t.Fatalf("sendback %x, want %x", resp.Sendback, sendback)
		}
		plain := must(crypto.Open(nil, resp.Sealed, &resp.Nonce, &d.dht.Public, &cSelf.Secret))(t)
		return must(ParseAnnounceResponsePlain(plain))(t)
	}
	first := announce([32]byte{})
	if first.IsStored != NotStored || first.Key == ([32]byte{}) || len(first.Nodes) == 0 {
		t.Fatalf("first answer %+v", first)
	}
	if second := announce(first.Key); second.IsStored != StoredSelf {
		t.Fatalf("second answer is_stored %d, want 2", second.IsStored)
	}
	if e := d.o.server.store.find(tn.now, cSelf.Public); e == nil || e.dataPK != dataPK {
		t.Fatal("the C client is not stored")
	}

	// c-toxcore's data request reaches A (stored somewhere) as a friend
	// request.
	var home *testNode
	for _, s := range tn.servers {
		if s.o.server.store.find(tn.now, a.self.Public) != nil {
			home = s
		}
	}
	if home == nil {
		t.Fatal("A is stored nowhere")
	}
	nonce := key.Nonce{9, 9, 9}
	payload := append([]byte{PayloadFriendRequest, 0xca, 0xfe, 0xba, 0xbe}, "from c-toxcore"...)
	inner := append(cSelf.Public[:], crypto.Seal(nil, payload, &nonce, &a.self.Public, &cSelf.Secret)...)
	dreq := run("data", hx(a.self.Public[:]), hx(a.o.client.temp.Public[:]), hx(nonce[:]), hx(inner))
	if r := must(ParseDataRequest(dreq))(t); r.Dest != a.self.Public || r.Nonce != nonce {
		t.Fatalf("c-toxcore's data request parsed as %+v", r)
	}
	a.events = nil
	send(onion(home, dreq))
	ev := eventsOf[FriendRequestReceived](a)
	if len(ev) != 1 || ev[0].From != cSelf.Public || string(ev[0].Message) != "from c-toxcore" || ev[0].Nospam != (key.Nospam{0xca, 0xfe, 0xba, 0xbe}) {
		t.Fatalf("A's events %+v", ev)
	}
}
