package onion

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"parley/net/key"
	"parley/net/wire"
)

// twoClients builds 8 servers and clients A and B, and waits until both are
// onion connected.
func twoClients(t *testing.T) (tn *testNet, a, b *testNode) {
	t.Helper()
	tn = newTestNet(t, 8)
	a = tn.addNode(100, false)
	b = tn.addNode(101, false)
	took := tn.until(30*time.Second, "A and B onion connected", func() bool {
		return a.o.Connected(tn.now) && b.o.Connected(tn.now)
	})
	t.Logf("A and B onion connected after %v", took)
	tn.noErrors()
	return tn, a, b
}

func TestSelfAnnounce(t *testing.T) {
	tn, a, _ := twoClients(t)
	if ev := eventsOf[ConnectionChanged](a); len(ev) != 1 || !ev[0].Connected {
		t.Fatalf("A's connection events = %+v, want one {true}", ev)
	}
	s := a.o.Stats()
	if s.AnnouncedNodes == 0 || s.AnnouncedNodes*2 < s.AnnounceNodes {
		t.Fatalf("A stored at %d of %d announce nodes", s.AnnouncedNodes, s.AnnounceNodes)
	}
	// Every server that stores A holds A's data key, and at least half
	// of A's announce nodes do.
	stored := 0
	for _, srv := range tn.servers {
		if e := srv.o.server.store.find(tn.now, a.self.Public); e != nil {
			stored++
			if e.dataPK != a.o.client.temp.Public {
				t.Fatalf("server %v stores data key %s, want %s", srv.addr, e.dataPK.Short(), a.o.client.temp.Public.Short())
			}
		}
	}
	if stored < s.AnnouncedNodes {
		t.Fatalf("%d servers store A, A counts %d", stored, s.AnnouncedNodes)
	}
	for _, n := range a.o.client.self {
		if !n.timedOut(tn.now) && n.isStored != StoredSelf {
			t.Fatalf("announce node %s is_stored=%d, want 2", n.pk.Short(), n.isStored)
		}
	}
	// A stays connected for ten minutes, without a single error anywhere.
	for range 600 {
		tn.step(time.Second)
		if !a.o.Connected(tn.now) {
			t.Fatalf("A lost the onion at %v", tn.now)
		}
	}
	tn.noErrors()
}

// findEachOther makes A and B friends of each other and waits until each
// found the other's data key.
func findEachOther(t *testing.T, tn *testNet, a, b *testNode) {
	t.Helper()
	for _, p := range [][2]*testNode{{a, b}, {b, a}} {
		if err := p[0].o.AddFriend(p[1].self.Public); err != nil {
			t.Fatal(err)
		}
	}
	took := tn.until(30*time.Second, "A and B find each other", func() bool {
		sa, _ := a.o.FriendStatus(tn.now, b.self.Public)
		sb, _ := b.o.FriendStatus(tn.now, a.self.Public)
		return sa.Found && sb.Found
	})
	t.Logf("found each other after %v", took)
	for _, p := range [][2]*testNode{{a, b}, {b, a}} {
		ev := eventsOf[FriendFound](p[0])
		if len(ev) != 1 || ev[0].PK != p[1].self.Public || ev[0].DataPK != p[1].o.client.temp.Public {
			t.Fatalf("FriendFound events = %+v, want one for %s with data key %s", ev, p[1].self.Public.Short(), p[1].o.client.temp.Public.Short())
		}
	}
	tn.noErrors()
}

func TestFriendRequestAndDHTPK(t *testing.T) {
	tn, a, b := twoClients(t)

	// Before the friend is added or found, sending fails with a reason.
	if err := b.o.SendFriendRequest(tn.now, a.self.Public, key.Nospam{1, 2, 3, 4}, []byte("hi")); !errors.Is(err, ErrNotFriend) {
		t.Fatalf("request to a non-friend: %v, want ErrNotFriend", err)
	}
	if err := b.o.AddFriend(a.self.Public); err != nil {
		t.Fatal(err)
	}
	if err := b.o.SendFriendRequest(tn.now, a.self.Public, key.Nospam{1, 2, 3, 4}, []byte("hi")); !errors.Is(err, ErrFriendNotFound) {
		t.Fatalf("request to an unfound friend: %v, want ErrFriendNotFound", err)
	}
	findEachOther(t, tn, a, b)

	for _, dir := range []struct {
		name     string
		from, to *testNode
	}{{"B to A", b, a}, {"A to B", a, b}} {
		t.Run(dir.name, func(t *testing.T) {
			from, to := dir.from, dir.to
			to.events = nil
			msg := bytes.Repeat([]byte("é"), MaxFriendRequestMessage/2) // 1016 bytes, the maximum
			nospam := key.Nospam{0xde, 0xad, 0xbe, 0xef}
			if err := from.o.SendFriendRequest(tn.now, to.self.Public, nospam, msg); err != nil {
				t.Fatal(err)
			}
			tn.run()
			reqs := eventsOf[FriendRequestReceived](to)
			if len(reqs) == 0 {
				t.Fatal("no friend request arrived")
			}
			for _, r := range reqs { // one copy per announce node that knows us
				if r.From != from.self.Public || r.Nospam != nospam || !bytes.Equal(r.Message, msg) {
					t.Fatalf("request = from %s nospam %x %d bytes, want from %s nospam %x %d bytes",
						r.From.Short(), r.Nospam, len(r.Message), from.self.Public.Short(), nospam, len(msg))
				}
			}

			// A DHT PK announcement arrives once, whatever the number of
			// copies; a replayed packet is dropped as a replay.
			var dataPkts []testPacket
			tn.seen = func(p testPacket) {
				if p.dst == to.addr && wire.Kind(p.b[0]) == wire.KindOnionDataResponse {
					dataPkts = append(dataPkts, p)
				}
			}
			defer func() { tn.seen = nil }()
			nodes := []wire.Node{tn.servers[0].node(), {PK: tn.servers[1].dht.Public, Addr: tn.servers[1].addr, TCP: true}}
			if err := from.o.SendDHTPKAnnounce(tn.now, to.self.Public, from.dht.Public, nodes); err != nil {
				t.Fatal(err)
			}
			tn.run()
			anns := eventsOf[DHTPKReceived](to)
			if len(anns) != 1 {
				t.Fatalf("%d DHT PK events, want 1", len(anns))
			}
			got := anns[0]
			if got.From != from.self.Public || got.DHTPK != from.dht.Public || got.ViaDHT || len(got.Nodes) != 2 || got.Nodes[0] != nodes[0] || got.Nodes[1] != nodes[1] {
				t.Fatalf("DHT PK event = %+v", got)
			}
			if len(dataPkts) == 0 {
				t.Fatal("no 0x86 packet seen")
			}
			replays := 0
			for _, err := range to.errs {
				if errors.Is(err, ErrReplay) {
					replays++
				}
			}
			if replays != len(dataPkts)-1 {
				t.Fatalf("%d copies dropped as replays, want %d: %v", replays, len(dataPkts)-1, to.errs)
			}
			to.errs = nil
			if err := to.o.HandlePacket(tn.now, dataPkts[0].src, dataPkts[0].b); !errors.Is(err, ErrReplay) {
				t.Fatalf("replayed 0x86: %v, want ErrReplay", err)
			}
			// A later announcement has a higher no_replay and is accepted.
			tn.step(time.Second)
			to.events = nil
			if err := from.o.SendDHTPKAnnounce(tn.now, to.self.Public, from.dht.Public, nil); err != nil {
				t.Fatal(err)
			}
			tn.run()
			if anns2 := eventsOf[DHTPKReceived](to); len(anns2) != 1 || anns2[0].NoReplay <= got.NoReplay {
				t.Fatalf("second announcement events = %+v (first no_replay %d)", anns2, got.NoReplay)
			}
			for _, err := range to.errs {
				if !errors.Is(err, ErrReplay) {
					t.Fatalf("unexpected error: %v", err)
				}
			}
			to.errs = nil
		})
	}
	tn.noErrors()
}

func TestDHTPKOverDHT(t *testing.T) {
	tn, a, b := twoClients(t)
	if err := a.o.AddFriend(b.self.Public); err != nil {
		t.Fatal(err)
	}
	nodes := []wire.Node{tn.servers[2].node()}
	data, err := b.o.DHTPKRequest(tn.now, a.self.Public, b.dht.Public, nodes)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.o.HandleDHTPKRequest(tn.now, a.dht.Public, data); !errors.Is(err, wire.ErrMalformed) {
		t.Fatalf("announcement from the wrong DHT key: %v, want ErrMalformed", err)
	}
	if err := a.o.HandleDHTPKRequest(tn.now, b.dht.Public, data); err != nil {
		t.Fatal(err)
	}
	ev := eventsOf[DHTPKReceived](a)
	if len(ev) != 1 || !ev[0].ViaDHT || ev[0].DHTPK != b.dht.Public || ev[0].From != b.self.Public || len(ev[0].Nodes) != 1 {
		t.Fatalf("events = %+v", ev)
	}
	if err := a.o.HandleDHTPKRequest(tn.now, b.dht.Public, data); !errors.Is(err, ErrReplay) {
		t.Fatalf("replay: %v, want ErrReplay", err)
	}
	forged := append([]byte(nil), data...)
	forged[len(forged)-1] ^= 1
	if err := a.o.HandleDHTPKRequest(tn.now, b.dht.Public, forged); !errors.Is(err, wire.ErrDecrypt) {
		t.Fatalf("forged: %v, want ErrDecrypt", err)
	}
	if err := a.o.HandleDHTPKRequest(tn.now, b.dht.Public, data[:50]); !errors.Is(err, wire.ErrShort) {
		t.Fatalf("truncated: %v, want ErrShort", err)
	}
	// From a stranger: decrypts, but is not a friend's.
	data, err = a.o.DHTPKRequest(tn.now, b.self.Public, a.dht.Public, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.o.HandleDHTPKRequest(tn.now, a.dht.Public, data); !errors.Is(err, ErrNotFriend) {
		t.Fatalf("from a stranger: %v, want ErrNotFriend", err)
	}
	// Going offline resets the replay counter, as in c-toxcore.
	if err := a.o.SetFriendOnline(b.self.Public, false); err != nil {
		t.Fatal(err)
	}
	data, err = b.o.DHTPKRequest(tn.now, a.self.Public, b.dht.Public, nodes)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.o.HandleDHTPKRequest(tn.now, b.dht.Public, data); err != nil {
		t.Fatal(err)
	}
}
