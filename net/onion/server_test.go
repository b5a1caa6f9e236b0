package onion

import (
	"net/netip"
	"testing"
	"time"

	"parley/net/crypto"
	"parley/net/key"
	"parley/net/wire"
)

func TestTimedAuth(t *testing.T) {
	a := timedAuth{key: [32]byte{1, 2, 3}}
	pk := key.PublicKey{9}
	src := netip.MustParseAddrPort("192.0.2.1:33445")
	t0 := time.Unix(1_700_000_200, 0) // 100 s into a 300 s bucket
	id := a.generate(t0, pk, src)
	for _, c := range []struct {
		at   time.Duration
		pk   key.PublicKey
		src  netip.AddrPort
		want bool
	}{
		{0, pk, src, true},
		{199 * time.Second, pk, src, true},  // same bucket
		{499 * time.Second, pk, src, true},  // next bucket
		{500 * time.Second, pk, src, false}, // two buckets on
		{-101 * time.Second, pk, src, false},
		{0, key.PublicKey{8}, src, false},
		{0, pk, netip.MustParseAddrPort("192.0.2.1:33446"), false},
	} {
		if got := a.check(t0.Add(c.at), id, c.pk, c.src); got != c.want {
			t.Errorf("check at %v: %v, want %v", c.at, got, c.want)
		}
	}
	other := timedAuth{key: [32]byte{1, 2, 4}}
	if other.check(t0, id, pk, src) {
		t.Error("an id from another key accepted")
	}
}

func TestStore(t *testing.T) {
	s := store{base: key.PublicKey{}}
	t0 := time.Unix(1_700_000_000, 0)
	addr := netip.MustParseAddrPort("192.0.2.1:1")
	pkN := func(i int) key.PublicKey { return key.PublicKey{0x80, byte(i >> 8), byte(i)} } // far from 0
	for i := range announceEntries {
		if s.add(t0, pkN(i), key.PublicKey{1}, addr, make([]byte, Return3Size)) == nil {
			t.Fatalf("entry %d refused in a table with room", i)
		}
	}
	if s.len() != announceEntries {
		t.Fatalf("len %d", s.len())
	}
	// Full: a farther key is refused, a closer one replaces the farthest.
	if s.add(t0, key.PublicKey{0xff}, key.PublicKey{}, addr, nil) != nil {
		t.Fatal("a farther key got into a full table")
	}
	farthest := s.entries[len(s.entries)-1].pk
	if e := s.add(t0, key.PublicKey{0x01}, key.PublicKey{2}, addr, nil); e == nil || e.dataPK != (key.PublicKey{2}) {
		t.Fatal("a closer key was refused")
	}
	if s.find(t0, farthest) != nil || s.len() != announceEntries {
		t.Fatal("the farthest entry was not the one replaced")
	}
	for i := 1; i < len(s.entries); i++ {
		if key.Distance(&s.base, &s.entries[i-1].pk, &s.entries[i].pk) > 0 {
			t.Fatal("entries not sorted closest first")
		}
	}
	// Refreshing keeps an entry alive; the rest expire after 300 s.
	if s.add(t0.Add(200*time.Second), pkN(5), key.PublicKey{3}, addr, nil) == nil {
		t.Fatal("refresh refused")
	}
	t1 := t0.Add(announceTimeout + time.Second)
	if s.find(t1, pkN(6)) != nil {
		t.Fatal("an entry outlived 300 s")
	}
	if e := s.find(t1, pkN(5)); e == nil || e.dataPK != (key.PublicKey{3}) {
		t.Fatal("a refreshed entry expired")
	}
	s.expire(t1)
	if s.len() != 1 {
		t.Fatalf("%d entries after expiry, want 1", s.len())
	}
}

// announceTo builds a 0x83 | R3 from sender to server d as hop C would
// deliver it (with a made-up R3).
func announceTo(t *testing.T, sender key.Pair, d *testNode, ap AnnouncePlain) []byte {
	t.Helper()
	plain, err := ap.AppendBinary(nil)
	if err != nil {
		t.Fatal(err)
	}
	req := AnnounceRequest{SenderPK: sender.Public, Nonce: key.Nonce{7}}
	copy(req.Sealed[:], crypto.Seal(nil, plain, &req.Nonce, &d.dht.Public, &sender.Secret))
	b, err := req.AppendBinary(nil)
	if err != nil {
		t.Fatal(err)
	}
	return append(b, make([]byte, Return3Size)...)
}

func TestAnnounceServer(t *testing.T) {
	tn := newTestNet(t, 2)
	d := tn.servers[0]
	c := netip.MustParseAddrPort("127.0.0.50:33445") // "hop C"
	alice := pairFrom(t, 50)
	searcher := pairFrom(t, 51)
	dataPK := key.PublicKey{0xda}

	// respond delivers a request from hop C and opens the 0x84 it sends back.
	respond := func(sender key.Pair, ap AnnouncePlain) AnnounceResponsePlain {
		t.Helper()
		if err := d.o.HandlePacket(tn.now, c, announceTo(t, sender, d, ap)); err != nil {
			t.Fatal(err)
		}
		if len(tn.queue) != 1 || tn.queue[0].dst != c || wire.Kind(tn.queue[0].b[0]) != wire.KindOnionRecv3 {
			t.Fatalf("expected one 0x8c to hop C, got %d packets", len(tn.queue))
		}
		or, err := ParseOnionResponse(tn.queue[0].b)
		tn.queue = nil
		if err != nil {
			t.Fatal(err)
		}
		resp, err := ParseAnnounceResponse(or.Payload)
		if err != nil {
			t.Fatal(err)
		}
		if resp.Sendback != ap.Sendback {
			t.Fatal("sendback not echoed")
		}
		plain, err := crypto.Open(nil, resp.Sealed, &resp.Nonce, &d.dht.Public, &sender.Secret)
		if err != nil {
			t.Fatal(err)
		}
		rp, err := ParseAnnounceResponsePlain(plain)
		if err != nil {
			t.Fatal(err)
		}
		return rp
	}

	// 1. Zero ping id: not stored, a ping id, nodes close to the search key.
	ap := AnnouncePlain{SearchPK: alice.Public, DataPK: dataPK, Sendback: [8]byte{1}}
	r := respond(alice, ap)
	if r.IsStored != NotStored || len(r.Nodes) != 1 || r.Nodes[0].PK != tn.servers[1].dht.Public {
		t.Fatalf("first answer %+v", r)
	}
	// 2. With that ping id: stored (2), and the entry holds the data key.
	ap.PingID = r.Key
	if r2 := respond(alice, ap); r2.IsStored != StoredSelf {
		t.Fatalf("second answer is_stored %d", r2.IsStored)
	}
	if e := d.o.server.store.find(tn.now, alice.Public); e == nil || e.dataPK != dataPK || e.retAddr != c {
		t.Fatal("alice not stored")
	}
	// 3. Alice restarted (new data key) and asks without a ping id: her
	// entry exists with another data key, so she is told 0 and a ping id.
	if r3 := respond(alice, AnnouncePlain{SearchPK: alice.Public, DataPK: key.PublicKey{0xdb}, Sendback: [8]byte{4}}); r3.IsStored != NotStored || r3.Key != r.Key {
		t.Fatalf("restarted answer %+v", r3)
	}
	// 4. A searcher learns alice's data key (1).
	sr := respond(searcher, AnnouncePlain{SearchPK: alice.Public, Sendback: [8]byte{2}})
	if sr.IsStored != FoundOther || key.PublicKey(sr.Key) != dataPK {
		t.Fatalf("search answer %+v", sr)
	}
	// 5. A ping id is bound to the address it was given to.
	c2 := netip.MustParseAddrPort("127.0.0.51:33445")
	ap.Sendback = [8]byte{3}
	if err := d.o.HandlePacket(tn.now, c2, announceTo(t, alice, d, ap)); err != nil {
		t.Fatal(err)
	}
	tn.queue = nil
	if e := d.o.server.store.find(tn.now, alice.Public); e.retAddr != c {
		t.Fatal("a ping id from another address re-stored the entry")
	}
	// 6. Data for alice goes to her stored return path as 0x86.
	dr := DataRequest{Dest: alice.Public, Nonce: key.Nonce{1}, TempPK: key.PublicKey{2}, Sealed: make([]byte, 100)}
	b, err := dr.AppendBinary(nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.o.HandlePacket(tn.now, c2, append(b, make([]byte, Return3Size)...)); err != nil {
		t.Fatal(err)
	}
	if len(tn.queue) != 1 || tn.queue[0].dst != c {
		t.Fatal("data not forwarded to alice's return path")
	}
	or, err := ParseOnionResponse(tn.queue[0].b)
	tn.queue = nil
	if err != nil {
		t.Fatal(err)
	}
	if resp, err := ParseDataResponse(or.Payload); err != nil || resp.TempPK != dr.TempPK || len(resp.Sealed) != 100 {
		t.Fatalf("forwarded data %v, %v", resp, err)
	}
	// 7. After 300 s without an announce, alice is gone.
	tn.now = tn.now.Add(announceTimeout + time.Second)
	err = d.o.HandlePacket(tn.now, c2, append(b, make([]byte, Return3Size)...))
	wantErr(t, "data for an expired entry", err, ErrNotAnnounced)

	// Malformed requests.
	good := announceTo(t, alice, d, ap)
	forged := append([]byte(nil), good...)
	forged[100] ^= 1
	for _, c := range []struct {
		name string
		pkt  []byte
		want error
	}{
		{"0x83 short", good[:len(good)-1], wire.ErrShort},
		{"0x83 long", append(good, 0), wire.ErrLong},
		{"0x83 forged", forged, wire.ErrDecrypt},
		{"0x85 short", append(b[:dataRequestMin], make([]byte, Return3Size)...), wire.ErrShort},
		{"0x85 long", append(b, make([]byte, MaxPacketSize)...), wire.ErrLong},
	} {
		wantErr(t, c.name, d.o.HandlePacket(tn.now, c2, c.pkt), c.want)
	}
	if len(tn.queue) != 0 {
		t.Fatal("a malformed request was answered")
	}
}
