package onion

import (
	"net/netip"
	"testing"
	"time"

	"parley/net/key"
	"parley/net/wire"
)

// announcesBy records, per destination, when announce requests signed by
// sender reach a server.
func announcesBy(tn *testNet, sender key.PublicKey) map[netip.AddrPort][]time.Time {
	got := make(map[netip.AddrPort][]time.Time)
	tn.seen = func(p testPacket) {
		if wire.Kind(p.b[0]) != wire.KindAnnounceRequest || len(p.b) < AnnounceRequestSize {
			return
		}
		if req, err := ParseAnnounceRequest(p.b[:AnnounceRequestSize]); err == nil && req.SenderPK == sender {
			got[p.dst] = append(got[p.dst], tn.now)
		}
	}
	return got
}

func TestReannounceIntervals(t *testing.T) {
	tn, a, _ := twoClients(t)
	sent := announcesBy(tn, a.self.Public)
	for range 1100 { // under the 1200 s path lifetime
		tn.step(time.Second)
	}
	tn.noErrors()
	stable, announced := 0, 0
	for dst, ts := range sent {
		for i := 1; i < len(ts); i++ {
			gap := ts[i].Sub(ts[i-1])
			switch {
			case gap > announceStable+2*time.Second:
				t.Errorf("%v: %v without a re-announce (at %v)", dst, gap, ts[i])
			case gap >= announceStable:
				stable++
			case gap < announceAnnounced:
				t.Errorf("%v: re-announced after only %v (at %v)", dst, gap, ts[i])
			default:
				announced++
			}
		}
	}
	if stable == 0 || announced == 0 {
		t.Fatalf("%d stable (120 s) and %d announced (15 s) gaps; want both", stable, announced)
	}
	t.Logf("%d gaps of ~120 s, %d of 15-120 s over %d nodes", stable, announced, len(sent))
}

func TestOfflineAndReconnect(t *testing.T) {
	tn, a, _ := twoClients(t)
	eventsOf[ConnectionChanged](a)
	a.events = nil
	tn.drop = func(p testPacket) bool { return p.src == a.addr || p.dst == a.addr }
	took := tn.until(2*time.Minute, "A offline", func() bool { return !a.o.Connected(tn.now) })
	if took > offlineTimeout+5*time.Second || took < 2*nodePingInterval {
		t.Fatalf("A noticed being cut off after %v, want within the 75 s offline timeout", took)
	}
	if ev := eventsOf[ConnectionChanged](a); len(ev) != 1 || ev[0].Connected {
		t.Fatalf("events = %+v, want one {false}", ev)
	}
	tn.drop = nil
	a.events = nil
	took = tn.until(30*time.Second, "A reconnected", func() bool { return a.o.Connected(tn.now) })
	t.Logf("reconnected after %v", took)
	if ev := eventsOf[ConnectionChanged](a); len(ev) != 1 || !ev[0].Connected {
		t.Fatalf("events = %+v, want one {true}", ev)
	}
	tn.noErrors()
}

// A dead relay only costs paths: A stays (or gets back) connected and
// finds B.
func TestDeadRelay(t *testing.T) {
	tn, a, b := twoClients(t)
	dead := tn.servers[3].addr
	tn.drop = func(p testPacket) bool { return p.dst == dead }
	for range 300 {
		tn.step(time.Second)
	}
	if !a.o.Connected(tn.now) || !b.o.Connected(tn.now) {
		t.Fatal("a dead relay disconnected a client")
	}
	findEachOther(t, tn, a, b)
}

func TestPathTimeouts(t *testing.T) {
	tn := newTestNet(t, 3)
	a := tn.addNode(100, false)
	c := a.o.client
	ps := &c.selfPaths
	t0 := tn.now
	at := func(d time.Duration) time.Time { return t0.Add(d) }

	p, err := c.pick(t0, ps, 2)
	if err != nil {
		t.Fatal(err)
	}
	if p.id%numPaths != 2 || p.usedTimes != pathMaxNoResponse/2+1 {
		t.Fatalf("new path id %d usedTimes %d", p.id, p.usedTimes)
	}
	for i, n := range p.nodes {
		if n.PK != tn.servers[0].dht.Public && n.PK != tn.servers[1].dht.Public && n.PK != tn.servers[2].dht.Public {
			t.Fatalf("hop %d is not a server: %v", i, n)
		}
	}
	id := p.id
	// A new path dies 4 s after its 4th use without an answer.
	if _, err := c.pick(at(time.Second), ps, id); err != nil {
		t.Fatal(err)
	}
	if !ps.exists(at(5*time.Second), id) {
		t.Fatal("new path dead 4 s after its last use")
	}
	if ps.exists(at(5*time.Second+time.Millisecond), id) {
		t.Fatal("new path alive more than 4 s after its 4th unanswered use")
	}
	// An answer makes it established: then 10 s after 4 unanswered uses.
	if got, nodes := ps.success(at(2*time.Second), id); got != id || len(nodes) != 3 {
		t.Fatalf("success = %d, %d nodes", got, len(nodes))
	}
	for i := range pathMaxNoResponse {
		if q, err := c.pick(at(3*time.Second+time.Duration(i)*time.Second), ps, id); err != nil || q.id != id {
			t.Fatalf("use %d: %v (id %d, want %d)", i, err, q.id, id)
		}
	}
	lastUse := at(6 * time.Second)
	if !ps.exists(lastUse.Add(pathTimeout), id) || ps.exists(lastUse.Add(pathTimeout+time.Millisecond), id) {
		t.Fatal("established path does not die exactly 10 s after its 4th unanswered use")
	}
	// Even a path that always answers lives at most 1200 s.
	ps.success(at(pathMaxLifetime-time.Second), id)
	if !ps.exists(at(pathMaxLifetime), id) || ps.exists(at(pathMaxLifetime+time.Millisecond), id) {
		t.Fatal("path lifetime is not 1200 s")
	}
	// A dead path's slot gets a new path with a new id.
	q, err := c.pick(at(pathMaxLifetime+time.Second), ps, id)
	if err != nil {
		t.Fatal(err)
	}
	if q.id == id || q.id%numPaths != id%numPaths {
		t.Fatalf("replacement id %d for %d", q.id, id)
	}
	if got, _ := ps.success(at(pathMaxLifetime+time.Second), id); got != anyPath {
		t.Fatal("an answer over a replaced path counted")
	}
}

// A single server network: every path is S, S, S and it works.
func TestTinyNetwork(t *testing.T) {
	tn := newTestNet(t, 1)
	a := tn.addNode(100, false)
	b := tn.addNode(101, false)
	tn.until(30*time.Second, "connected on a 1-node network", func() bool {
		return a.o.Connected(tn.now) && b.o.Connected(tn.now)
	})
	findEachOther(t, tn, a, b)
	if err := a.o.SendFriendRequest(tn.now, b.self.Public, key.Nospam{}, []byte("x")); err != nil {
		t.Fatal(err)
	}
	tn.run()
	if len(eventsOf[FriendRequestReceived](b)) != 1 {
		t.Fatal("no request on a 1-node network")
	}
	// Quiet once settled: a re-announce every 15 s or so.
	sent := announcesBy(tn, a.self.Public)
	for range 120 {
		tn.step(time.Second)
	}
	if n := len(sent[tn.servers[0].addr]); n > 10 {
		t.Fatalf("%d announces in two minutes on a 1-node network", n)
	}
	tn.noErrors()
}

func TestFriendSearchBackoff(t *testing.T) {
	tn, a, _ := twoClients(t)
	ghost, err := key.NewPair(seededReader(999))
	if err != nil {
		t.Fatal(err)
	}
	if err := a.o.AddFriend(ghost.Public); err != nil {
		t.Fatal(err)
	}
	f := a.o.client.friends[ghost.Public]
	sent := announcesBy(tn, f.temp.Public)
	count := func() int {
		n := 0
		for _, ts := range sent {
			n += len(ts)
		}
		return n
	}
	for range 30 {
		tn.step(time.Second)
	}
	first := count()
	if first < 20 {
		t.Fatalf("%d search requests in the first 30 s, want a fast start", first)
	}
	for range 3 * 3600 / 5 { // ticks every 5 s: the timers are coarser
		tn.step(5 * time.Second)
	}
	if iv := f.searchInterval(); iv < 1024 {
		t.Fatalf("search interval %d s after 3 h, want backed off", iv)
	}
	before := count()
	for range 3600 / 5 {
		tn.step(5 * time.Second)
	}
	if n := count() - before; n > 4*maxFriendNodes+maxPathNodes/4 {
		t.Fatalf("%d search requests in the 4th hour, want backed off", n)
	}
	// While the friend is online the search stops.
	if err := a.o.SetFriendOnline(ghost.Public, true); err != nil {
		t.Fatal(err)
	}
	before = count()
	for range 2 * 3600 / 5 {
		tn.step(5 * time.Second)
	}
	if n := count() - before; n != 0 {
		t.Fatalf("%d search requests while the friend is online", n)
	}
	// Offline again: the backoff restarts.
	if err := a.o.SetFriendOnline(ghost.Public, false); err != nil {
		t.Fatal(err)
	}
	if f.searchInterval() != friendNewInterval {
		t.Fatalf("interval %d after going offline, want %d", f.searchInterval(), friendNewInterval)
	}
	tn.noErrors()
	// Removed: an answer still on its way is refused, and the search ends.
	held := captureTo(tn, a, wire.KindAnnounceResponse)
	var answer *testPacket
	tn.until(30*time.Second, "a search answer to hold", func() bool {
		for i, p := range *held {
			if resp, err := ParseAnnounceResponse(p.b); err == nil && a.o.client.sendbacks[resp.Sendback].friend == f {
				answer = &(*held)[i]
				return true
			}
		}
		return false
	})
	tn.drop = nil
	a.o.RemoveFriend(ghost.Public)
	wantErr(t, "answer for a removed friend", a.o.HandlePacket(tn.now, answer.src, answer.b), ErrNotFriend)
	before = count()
	for range 60 {
		tn.step(time.Second)
	}
	if n := count() - before; n != 0 {
		t.Fatalf("%d search requests after RemoveFriend", n)
	}
	tn.noErrors()
}
