package onion

import (
	"testing"
	"time"

	"parley/net/crypto"
	"parley/net/key"
	"parley/net/wire"
)

// captureTo holds back the next packets of kind k addressed to n.
func captureTo(tn *testNet, n *testNode, k wire.Kind) *[]testPacket {
	var got []testPacket
	tn.drop = func(p testPacket) bool {
		if p.dst == n.addr && wire.Kind(p.b[0]) == k {
			got = append(got, p)
			return true
		}
		return false
	}
	return &got
}

func TestClientRejectsAnnounceResponses(t *testing.T) {
	tn, a, _ := twoClients(t)
	held := captureTo(tn, a, wire.KindAnnounceResponse)
	tn.until(20*time.Second, "an announce response to hold", func() bool { return len(*held) >= 3 })
	tn.drop = nil
	p0, p1, p2 := (*held)[0], (*held)[1], (*held)[2]

	forged := append([]byte(nil), p0.b...)
	forged[len(forged)-1] ^= 1
	wantErr(t, "forged 0x84", a.o.HandlePacket(tn.now, p0.src, forged), wire.ErrDecrypt)
	// The forgery used up the sendback: the genuine answer is now unknown.
	wantErr(t, "0x84 after its sendback was used", a.o.HandlePacket(tn.now, p0.src, p0.b), ErrUnknownSendback)
	if err := a.o.HandlePacket(tn.now, p1.src, p1.b); err != nil {
		t.Fatalf("genuine 0x84: %v", err)
	}
	wantErr(t, "duplicate 0x84", a.o.HandlePacket(tn.now, p1.src, p1.b), ErrUnknownSendback)
	wantErr(t, "0x84 truncated", a.o.HandlePacket(tn.now, p2.src, p2.b[:announceResponseMin-1]), wire.ErrShort)
	wantErr(t, "0x84 oversized", a.o.HandlePacket(tn.now, p2.src, append(p2.b, make([]byte, announceResponseMax)...)), wire.ErrLong)
	tn.now = tn.now.Add(sendbackTimeout + time.Second)
	wantErr(t, "0x84 after 10 s", a.o.HandlePacket(tn.now, p2.src, p2.b), ErrUnknownSendback)
}

func TestClientRejectsSearchAnswerStoredSelf(t *testing.T) {
	tn, a, b := twoClients(t)
	if err := a.o.AddFriend(b.self.Public); err != nil {
		t.Fatal(err)
	}
	f := a.o.client.friends[b.self.Public]
	// Make a server answer a search with is_stored 2, which only makes
	// sense for self-announces.
	var sendback [SendbackSize]byte
	var srv *testNode
	tn.seen = func(p testPacket) {
		if srv != nil || wire.Kind(p.b[0]) != wire.KindAnnounceRequest || len(p.b) < AnnounceRequestSize {
			return
		}
		req, err := ParseAnnounceRequest(p.b[:AnnounceRequestSize])
		if err != nil || req.SenderPK != f.temp.Public {
			return
		}
		srv = tn.nodes[p.dst]
		plain, err := crypto.Open(nil, req.Sealed[:], &req.Nonce, &req.SenderPK, &srv.dht.Secret)
		if err != nil {
			t.Fatal(err)
		}
		ap := must(ParseAnnouncePlain(plain))(t)
		sendback = ap.Sendback
	}
	tn.until(10*time.Second, "a search request", func() bool { return srv != nil })
	tn.seen = nil
	// The real answer already consumed the sendback; register it again.
	a.o.client.sendbacks[sendback] = pending{friend: f, node: srv.node(), pathID: anyPath, expires: tn.now.Add(time.Second)}
	rp := AnnounceResponsePlain{IsStored: StoredSelf}
	plain := must(rp.AppendBinary(nil))(t)
	resp := AnnounceResponse{Sendback: sendback, Nonce: key.Nonce{3}}
	resp.Sealed = crypto.Seal(nil, plain, &resp.Nonce, &f.temp.Public, &srv.dht.Secret)
	pkt := must(resp.AppendBinary(nil))(t)
	wantErr(t, "is_stored 2 for a search", a.o.HandlePacket(tn.now, srv.addr, pkt), wire.ErrMalformed)
}

// dataTo builds a 0x86 for n from sender with the given payload.
func dataTo(t *testing.T, n *testNode, sender key.Pair, payload []byte) []byte {
	t.Helper()
	nonce := key.Nonce{5}
	in := DataInner{SenderPK: sender.Public, Sealed: crypto.Seal(nil, payload, &nonce, &n.self.Public, &sender.Secret)}
	inner, err := in.AppendBinary(nil)
	if err != nil {
		t.Fatal(err)
	}
	tmp := pairFrom(t, 77)
	dr := DataResponse{Nonce: nonce, TempPK: tmp.Public}
	dr.Sealed = crypto.Seal(nil, inner, &nonce, &n.o.client.temp.Public, &tmp.Secret)
	b, err := dr.AppendBinary(nil)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestClientRejectsData(t *testing.T) {
	tn := newTestNet(t, 1)
	a := tn.addNode(100, false)
	stranger := pairFrom(t, 78)
	src := tn.servers[0].addr

	good := dataTo(t, a, stranger, append([]byte{PayloadFriendRequest, 1, 2, 3, 4}, "hello"...))
	if err := a.o.HandlePacket(tn.now, src, good); err != nil {
		t.Fatal(err)
	}
	if ev := eventsOf[FriendRequestReceived](a); len(ev) != 1 || ev[0].From != stranger.Public || string(ev[0].Message) != "hello" || ev[0].Nospam != (key.Nospam{1, 2, 3, 4}) {
		t.Fatalf("events %+v", ev)
	}
	forgedOuter := append([]byte(nil), good...)
	forgedOuter[len(forgedOuter)-1] ^= 1
	// Boxed to the right data key but with a wrong inner box.
	other := pairFrom(t, 79)
	nonce := key.Nonce{5}
	badInner := DataInner{SenderPK: stranger.Public, Sealed: crypto.Seal(nil, []byte{32, 1, 2, 3, 4, 'x'}, &nonce, &a.self.Public, &other.Secret)}
	ib := must(badInner.AppendBinary(nil))(t)
	tmp := pairFrom(t, 80)
	dr := DataResponse{Nonce: nonce, TempPK: tmp.Public, Sealed: crypto.Seal(nil, ib, &nonce, &a.o.client.temp.Public, &tmp.Secret)}
	forgedInner := must(dr.AppendBinary(nil))(t)

	for _, c := range []struct {
		name string
		pkt  []byte
		want error
	}{
		{"0x86 truncated", good[:dataResponseMin+dataInnerMin], wire.ErrShort},
		{"0x86 oversized", append(good, make([]byte, MaxPacketSize)...), wire.ErrLong},
		{"0x86 forged outer box", forgedOuter, wire.ErrDecrypt},
		{"0x86 forged inner box", forgedInner, wire.ErrDecrypt},
		{"unknown payload type", dataTo(t, a, stranger, []byte{99, 1, 2, 3}), ErrUnhandled},
		{"friend request without a message", dataTo(t, a, stranger, []byte{PayloadFriendRequest, 1, 2, 3, 4}), wire.ErrShort},
		{"DHT PK announcement from a stranger", dataTo(t, a, stranger, append([]byte{PayloadDHTPK}, make([]byte, 40)...)), ErrNotFriend},
		{"DHT PK announcement cut short", dataTo(t, a, stranger, []byte{PayloadDHTPK, 0, 0}), wire.ErrShort},
	} {
		wantErr(t, c.name, a.o.HandlePacket(tn.now, src, c.pkt), c.want)
	}
	if ev := eventsOf[FriendRequestReceived](a); len(ev) != 1 {
		t.Fatalf("%d requests after the bad packets, want still 1", len(ev))
	}
	// Commands that cannot work say why.
	wantErr(t, "empty request", a.o.SendFriendRequest(tn.now, stranger.Public, key.Nospam{}, nil), ErrMessageSize)
	wantErr(t, "long request", a.o.SendFriendRequest(tn.now, stranger.Public, key.Nospam{}, make([]byte, MaxFriendRequestMessage+1)), ErrMessageSize)
	wantErr(t, "DHT PK to a stranger", a.o.SendDHTPKAnnounce(tn.now, stranger.Public, a.dht.Public, nil), ErrNotFriend)
	wantErr(t, "online state of a stranger", a.o.SetFriendOnline(stranger.Public, true), ErrNotFriend)
	wantErr(t, "unknown kind", a.o.HandlePacket(tn.now, src, []byte{0x42, 1, 2}), wire.ErrKind)
	wantErr(t, "empty packet", a.o.HandlePacket(tn.now, src, nil), wire.ErrShort)
}

func TestRelayOnlyNode(t *testing.T) {
	tn := newTestNet(t, 1)
	s := tn.servers[0]
	wantErr(t, "client command", s.o.AddFriend(key.PublicKey{1}), ErrDisabled)
	wantErr(t, "0x84", s.o.HandlePacket(tn.now, s.addr, make([]byte, 100)), wire.ErrKind) // kind 0 first
	pkt := append([]byte{byte(wire.KindAnnounceResponse)}, make([]byte, 100)...)
	wantErr(t, "0x84", s.o.HandlePacket(tn.now, s.addr, pkt), ErrDisabled)
	if s.o.Connected(tn.now) {
		t.Fatal("a relay-only node reports onion connected")
	}
}

func TestConstants(t *testing.T) {
	for _, c := range []struct {
		name      string
		got, want int
	}{
		{"ONION_RETURN_1", Return1Size, 59},
		{"ONION_RETURN_2", Return2Size, 118},
		{"ONION_RETURN_3", Return3Size, 177},
		{"ONION_SEND_BASE", sendBase, 67},
		{"ONION_SEND_1", send1, 225},
		{"ONION_MAX_DATA_SIZE", MaxDataSize, 1174},
		{"ONION_ANNOUNCE_REQUEST_SIZE", AnnounceRequestSize, 177},
		{"ONION_ANNOUNCE_RESPONSE_MIN_SIZE", announceResponseMin, 82},
		{"MAX_DATA_REQUEST_SIZE", maxDataRequest, 1069},
		{"ONION_CLIENT_MAX_DATA_SIZE", MaxClientData, 1021},
		{"friend request message", MaxFriendRequestMessage, 1016},
		{"deliverable to c-toxcore 0.2.18", MaxToxcoreFriendRequestMessage, 943},
		{"ONION_OFFLINE_TIMEOUT", int(offlineTimeout / time.Second), 75},
	} {
		if c.got != c.want {
			t.Errorf("%s = %d, want %d", c.name, c.got, c.want)
		}
	}
}
