package friend

import (
	"errors"
	"strings"
	"testing"
	"time"

	"parley/net/key"
)

func TestAddFriendValidation(t *testing.T) {
	h := newHarness(t)
	m := h.a.m
	bid := h.b.id()
	badKey := bid
	badKey.PublicKey[31] = 0x80
	cases := []struct {
		name string
		id   key.ToxID
		msg  string
		want error
	}{
		{"too long", bid, strings.Repeat("m", MaxRequestLength+1), ErrRequestTooLong},
		{"invalid key", badKey, "hi", ErrInvalidKey},
		{"empty message", bid, "", ErrNoRequestText},
		{"invalid UTF-8", bid, "hi \xc3", ErrInvalidUTF8},
		{"own key", h.a.id(), "hi", ErrOwnKey},
	}
	for _, c := range cases {
		if err := m.AddFriend(h.now, c.id, c.msg); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
	if m.IsFriend(h.b.pair.Public) {
		t.Fatal("a refused AddFriend added the friend")
	}
	if err := m.AddFriend(h.now, bid, strings.Repeat("m", MaxRequestLength)); err != nil {
		t.Fatalf("a 1016-byte request: %v", err)
	}
	if err := m.AddFriend(h.now, bid, "again"); !errors.Is(err, ErrAlreadySent) {
		t.Errorf("same ID again: %v, want ErrAlreadySent", err)
	}
	// A new nospam replaces the pending request and sends it at once.
	newID := bid
	newID.Nospam = key.Nospam{9, 9, 9, 9}
	if err := m.AddFriend(h.now, newID, "new nospam"); err != nil {
		t.Errorf("new nospam: %v", err)
	}
	calls := h.a.sender.calls
	if len(calls) != 2 || calls[1].nospam != newID.Nospam || calls[1].msg != "new nospam" {
		t.Errorf("onion requests %+v", calls)
	}
	if err := m.AddFriendNoRequest(h.b.pair.Public); !errors.Is(err, ErrAlreadyFriend) {
		t.Errorf("AddFriendNoRequest of a pending friend: %v", err)
	}
	// A confirmed friend.
	c := newPeer(t, h, "C", 0xcc, nil)
	if err := m.AddFriendNoRequest(c.pair.Public); err != nil {
		t.Fatal(err)
	}
	if err := m.AddFriend(h.now, c.id(), "hi"); !errors.Is(err, ErrAlreadyFriend) {
		t.Errorf("request to a confirmed friend: %v, want ErrAlreadyFriend", err)
	}
	// A bad checksum never gets here: key.ParseToxID refuses it.
	s := []byte(bid.String())
	s[75] ^= 1 // flip a checksum hex digit ('0'<->'1', 'A'<->'@', ...)
	if s[75] == '@' || s[75] == 'G' {
		s[75] = '0' + (s[75] & 7)
	}
	if _, err := key.ParseToxID(string(s)); !errors.Is(err, key.ErrIDChecksum) && !errors.Is(err, key.ErrIDHex) {
		t.Errorf("bad checksum: %v", err)
	}
}

func TestRequestResendTiming(t *testing.T) {
	h := newHarness(t)
	h.a.sender.fail = 3 // the onion has not found B for the first 3 tries
	if err := h.a.m.AddFriend(h.now, h.b.id(), "let's talk"); err != nil {
		t.Fatal(err)
	}
	info, _ := h.a.m.Friend(h.b.pair.Public)
	if info.State != StateAdded || info.RequestMessage != "let's talk" || info.RequestNospam != h.b.nospam {
		t.Errorf("after AddFriend with the onion failing: %+v", info)
	}
	h.advance(80*time.Second, time.Second)
	var at []time.Duration
	for _, c := range h.a.sender.calls {
		at = append(at, c.at.Sub(t0))
		if c.to != h.b.pair.Public || c.nospam != h.b.nospam || c.msg != "let's talk" {
			t.Errorf("request %+v", c)
		}
	}
	// Tries at 0 (AddFriend), 1 and 2 s fail; sent at 3 s, then after 5,
	// 10, 20 and 40 s.
	want := []time.Duration{3, 8, 18, 38, 78}
	if len(at) != len(want) {
		t.Fatalf("requests sent at %v, want %v s", at, want)
	}
	for i := range want {
		if at[i] != want[i]*time.Second {
			t.Errorf("request %d at %v, want %v s", i, at[i], want[i])
		}
	}
	if info, _ := h.a.m.Friend(h.b.pair.Public); info.State != StateRequested {
		t.Errorf("state %v, want requested", info.State)
	}
	if got := h.a.m.Stats().RequestsSent; got != 5 {
		t.Errorf("Stats.RequestsSent %d", got)
	}
	if d := h.a.m.NextDeadline(); !d.Equal(t0.Add(78*time.Second + 80*time.Second)) {
		t.Errorf("NextDeadline %v after the 80 s timeout resend", d.Sub(t0))
	}
}

// TestRequestAcceptedOverOnion: A's request reaches B (as the onion would
// deliver it), B accepts, the connection comes up and both are online; A's
// request stops.
func TestRequestAcceptedOverOnion(t *testing.T) {
	h := newHarness(t)
	if err := h.a.m.AddFriend(h.now, h.b.id(), "hi, it's A"); err != nil {
		t.Fatal(err)
	}
	c := h.a.sender.calls[0]
	if err := h.b.m.HandleFriendRequest(h.now, h.a.pair.Public, c.nospam, []byte(c.msg)); err != nil {
		t.Fatal(err)
	}
	got := eventsOf[RequestReceived](h.b.take())
	if len(got) != 1 || got[0].From != h.a.pair.Public || got[0].Message != "hi, it's A" {
		t.Fatalf("B got %#v", got)
	}
	if p := h.b.m.PendingRequests(); len(p) != 1 || p[0] != got[0] {
		t.Errorf("pending %#v", p)
	}
	if err := h.b.m.Accept(h.a.pair.Public); err != nil {
		t.Fatal(err)
	}
	if err := h.b.m.Accept(h.a.pair.Public); !errors.Is(err, ErrNoRequest) {
		t.Errorf("second Accept: %v", err)
	}
	h.connect()
	if !h.a.m.Online(h.b.pair.Public) || !h.b.m.Online(h.a.pair.Public) {
		t.Fatal("not online after accept and connect")
	}
	n := len(h.a.sender.calls)
	h.advance(time.Minute, time.Second)
	if len(h.a.sender.calls) != n || h.a.out.count(IDFriendRequests) != 0 {
		t.Error("requests still sent to an online friend")
	}
	if info, _ := h.a.m.Friend(h.b.pair.Public); info.RequestMessage != "" {
		t.Errorf("request kept after online: %+v", info)
	}
	// Offline again: confirmed, and no request is sent any more.
	if err := h.a.m.LinkDown(h.now, h.b.pair.Public); err != nil {
		t.Fatal(err)
	}
	h.a.out = nil
	h.advance(time.Minute, time.Second)
	if info, _ := h.a.m.Friend(h.b.pair.Public); info.State != StateConfirmed || len(h.a.sender.calls) != n {
		t.Errorf("after going offline: %+v, %d requests", info, len(h.a.sender.calls)-n)
	}
}

// TestRequestOverConnection: both add each other; when a connection is up
// the pending request goes as packet 18, which the other side (already
// having us as a friend) ignores like c-toxcore's filter; ONLINE makes
// both online.
func TestRequestOverConnection(t *testing.T) {
	h := newHarness(t)
	h.a.m.cfg.Requests = nil // no onion: only a connection can carry it
	if err := h.a.m.AddFriend(h.now, h.b.id(), "from A"); err != nil {
		t.Fatal(err)
	}
	if info, _ := h.a.m.Friend(h.b.pair.Public); info.State != StateAdded {
		t.Fatalf("without onion or link the request must wait: %+v", info)
	}
	if err := h.b.m.AddFriend(h.now, h.a.id(), "from B"); err != nil {
		t.Fatal(err)
	}
	h.connect()
	if n := h.a.out.count(IDFriendRequests); n != 1 {
		t.Errorf("A sent %d packet-18 requests, want 1", n)
	}
	if len(h.b.errs) != 1 || !errors.Is(h.b.errs[0], ErrAlreadyFriend) {
		t.Errorf("B on packet 18: %v, want ErrAlreadyFriend", h.b.errs)
	}
	if !h.a.m.Online(h.b.pair.Public) || !h.b.m.Online(h.a.pair.Public) {
		t.Fatal("not online")
	}
}

// TestRemoveFriend: removing a connected friend sends OFFLINE, and the
// removed key may send a request again.
func TestRemoveFriend(t *testing.T) {
	h := newHarness(t)
	h.befriend()
	h.connect()
	apk := h.a.pair.Public
	if err := h.b.m.RemoveFriend(h.now, apk); err != nil {
		t.Fatal(err)
	}
	h.pump()
	if got := eventsOf[FriendOffline](h.a.take()); len(got) != 1 {
		t.Errorf("A did not see B's OFFLINE: %#v", got)
	}
	if h.b.m.IsFriend(apk) {
		t.Fatal("still a friend after RemoveFriend")
	}
	if err := h.b.m.RemoveFriend(h.now, apk); !errors.Is(err, ErrNotFriend) {
		t.Errorf("removing twice: %v", err)
	}
	// B can now get a request from A again (over the onion).
	if err := h.b.m.HandleFriendRequest(h.now, apk, h.b.nospam, []byte("again?")); err != nil {
		t.Errorf("request after removal: %v", err)
	}
}

func TestIncomingRequestChecks(t *testing.T) {
	h := newHarness(t)
	m := h.b.m
	apk := h.a.pair.Public
	good := h.b.nospam
	bad := key.Nospam{0, 0, 0, 1}
	if err := m.HandleFriendRequest(h.now, apk, bad, []byte("hi")); !errors.Is(err, ErrBadNospam) {
		t.Errorf("wrong nospam: %v", err)
	}
	if err := m.HandleFriendRequest(h.now, apk, good, nil); err == nil {
		t.Error("empty request accepted")
	}
	if err := m.HandleFriendRequest(h.now, apk, good, make([]byte, MaxRequestLength+1)); err == nil {
		t.Error("1017-byte request accepted")
	}
	if err := m.HandleFriendRequest(h.now, h.b.pair.Public, good, []byte("me")); !errors.Is(err, ErrAlreadyFriend) {
		t.Errorf("request from ourselves: %v", err)
	}
	if ev := h.b.take(); len(ev) != 0 {
		t.Fatalf("events for dropped requests: %#v", ev)
	}
	msg := "Hallo 👋 \x00 binary\xff ok"
	if err := m.HandleFriendRequest(h.now, apk, good, []byte(msg)); err != nil {
		t.Fatal(err)
	}
	if got := eventsOf[RequestReceived](h.b.take()); len(got) != 1 || got[0].Message != msg {
		t.Fatalf("events %#v, want the exact bytes", got)
	}
	if err := m.HandleFriendRequest(h.now, apk, good, []byte("again")); !errors.Is(err, ErrRepeatedRequest) {
		t.Errorf("repeat while pending: %v", err)
	}
	if err := m.Decline(apk); err != nil {
		t.Fatal(err)
	}
	if err := m.Decline(apk); !errors.Is(err, ErrNoRequest) {
		t.Errorf("second Decline: %v", err)
	}
	if err := m.HandleFriendRequest(h.now.Add(time.Hour), apk, good, []byte("again")); !errors.Is(err, ErrRepeatedRequest) {
		t.Errorf("repeat after decline: %v", err)
	}
	if ev := h.b.take(); len(ev) != 0 {
		t.Fatalf("events for repeats: %#v", ev)
	}
	// A friend's request is ignored.
	c := newPeer(t, h, "C", 0xcc, nil)
	if err := m.AddFriendNoRequest(c.pair.Public); err != nil {
		t.Fatal(err)
	}
	if err := m.HandleFriendRequest(h.now, c.pair.Public, good, []byte("hi")); !errors.Is(err, ErrAlreadyFriend) {
		t.Errorf("request from a friend: %v", err)
	}
	// A new nospam: the old one no longer works, the new one does, and
	// friends stay friends.
	fresh := key.Nospam{7, 7, 7, 7}
	m.SetNospam(fresh)
	if m.Nospam() != fresh || m.ToxID().Nospam != fresh || m.ToxID().PublicKey != h.b.pair.Public {
		t.Error("Nospam/ToxID do not show the new nospam")
	}
	d := newPeer(t, h, "D", 0xdd, nil)
	if err := m.HandleFriendRequest(h.now, d.pair.Public, good, []byte("old ID")); !errors.Is(err, ErrBadNospam) {
		t.Errorf("request to the old nospam: %v", err)
	}
	if err := m.HandleFriendRequest(h.now, d.pair.Public, fresh, []byte("new ID")); err != nil {
		t.Errorf("request to the new nospam: %v", err)
	}
	if !m.IsFriend(c.pair.Public) {
		t.Error("SetNospam dropped a friend")
	}
	st := m.Stats()
	if st.RequestsBadNospam != 2 || st.RequestsRepeated != 2 || st.RequestsFromFriends != 2 || st.RequestsMalformed != 2 || st.RequestsDelivered != 2 {
		t.Errorf("stats %+v", st)
	}
}

func TestRequestPacketMalformed(t *testing.T) {
	h := newHarness(t)
	h.befriend()
	h.connect()
	// A malformed packet 18 on a link is counted and dropped.
	if err := h.b.m.HandleLossless(h.now, h.a.pair.Public, []byte{IDFriendRequests, 1, 2}); err == nil {
		t.Error("malformed packet 18 accepted")
	}
	if got := h.b.m.Stats().RequestsMalformed; got != 1 {
		t.Errorf("RequestsMalformed %d", got)
	}
}

func TestNewConfig(t *testing.T) {
	if _, err := New(Config{}, t0); !errors.Is(err, ErrConfig) {
		t.Errorf("no key: %v", err)
	}
	pair, err := key.NewPair(nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := New(Config{Self: pair.Public, RequestBurst: -1}, t0); !errors.Is(err, ErrConfig) {
		t.Errorf("negative burst: %v", err)
	}
	m, err := New(Config{Self: pair.Public}, t0)
	if err != nil {
		t.Fatal(err)
	}
	if !m.NextDeadline().IsZero() || len(m.Friends()) != 0 || len(m.PendingRequests()) != 0 {
		t.Error("a new Manager has work or friends")
	}
	if m.cfg.RequestBurst != DefaultRequestBurst || m.cfg.RecentSenders != DefaultRecentSenders {
		t.Errorf("defaults not applied: %+v", m.cfg)
	}
}

// TestRemovedFriendMayAskAgain: deleting a friend forgets that it sent a
// request (c-toxcore remove_request_received), so a new one is delivered.
func TestRemovedFriendMayAskAgain(t *testing.T) {
	h := newHarness(t)
	m, apk := h.b.m, h.a.pair.Public
	if err := m.HandleFriendRequest(h.now, apk, h.b.nospam, []byte("hi")); err != nil {
		t.Fatal(err)
	}
	if err := m.Accept(apk); err != nil {
		t.Fatal(err)
	}
	if info, ok := m.Friend(apk); !ok || info.State != StateConfirmed {
		t.Fatalf("after Accept: %+v", info)
	}
	if err := m.RemoveFriend(h.now, apk); err != nil {
		t.Fatal(err)
	}
	h.b.take()
	if err := m.HandleFriendRequest(h.now, apk, h.b.nospam, []byte("hi again")); err != nil {
		t.Fatalf("request after removal: %v", err)
	}
	if got := eventsOf[RequestReceived](h.b.take()); len(got) != 1 || got[0].Message != "hi again" {
		t.Errorf("events %#v", got)
	}
}
