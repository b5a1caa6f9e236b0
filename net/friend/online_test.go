package friend

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"parley/net/wire"
)

func TestOnlineHandshake(t *testing.T) {
	h := newHarness(t)
	h.befriend()
	if err := h.a.m.SetName(h.now, "Alice"); err != nil {
		t.Fatal(err)
	}
	if err := h.b.m.SetStatusMessage(h.now, "out for lunch"); err != nil {
		t.Fatal(err)
	}
	if err := h.b.m.SetUserStatus(h.now, UserStatusAway); err != nil {
		t.Fatal(err)
	}
	h.connect()
	noErrs(t, h.a)
	noErrs(t, h.b)

	// Each side: ONLINE and ALIVE when the link comes up, then, once the
	// peer's ONLINE arrived, name, status message, user status and typing;
	// no second ONLINE (ours had gone out already).
	want := []byte{IDOnline, IDAlive, IDNickname, IDStatusMessage, IDUserStatus, IDTyping}
	for _, p := range []*peer{h.a, h.b} {
		if got := p.out.ids(0); !bytes.Equal(got, want) {
			t.Errorf("%s sent ids %v, want %v", p.name, got, want)
		}
	}
	aev, bev := h.a.take(), h.b.take()
	if n := len(eventsOf[FriendOnline](aev)); n != 1 {
		t.Errorf("A saw %d FriendOnline, want 1: %#v", n, aev)
	}
	if got := eventsOf[NameChanged](bev); len(got) != 1 || got[0].Name != "Alice" || got[0].Friend != h.a.pair.Public {
		t.Errorf("B name events %#v, want Alice", got)
	}
	if got := eventsOf[StatusMessageChanged](aev); len(got) != 1 || got[0].Message != "out for lunch" {
		t.Errorf("A status message events %#v", got)
	}
	if got := eventsOf[UserStatusChanged](aev); len(got) != 1 || got[0].Status != UserStatusAway {
		t.Errorf("A user status events %#v", got)
	}
	// B's name is empty and typing false: unchanged, so no events.
	if n := len(eventsOf[NameChanged](aev)) + len(eventsOf[TypingChanged](aev)); n != 0 {
		t.Errorf("A saw %d name/typing events for defaults", n)
	}
	info, ok := h.a.m.Friend(h.b.pair.Public)
	if !ok || info.State != StateOnline || !info.Connected || info.StatusMessage != "out for lunch" || info.UserStatus != UserStatusAway {
		t.Errorf("A's view of B: %+v", info)
	}
}

func TestMessengerPacketsNeedOnline(t *testing.T) {
	h := newHarness(t)
	h.befriend()
	l := &fakeLink{from: h.a, to: h.b}
	if err := h.a.m.LinkUp(h.now, h.b.pair.Public, l); err != nil {
		t.Fatal(err)
	}
	bpk := h.b.pair.Public
	for _, pkt := range [][]byte{{IDNickname, 'x'}, {IDMessage, 'h', 'i'}, {IDTyping, 1}, {80, 0}} {
		if err := h.a.m.HandleLossless(h.now, bpk, pkt); !errors.Is(err, ErrNotOnline) {
			t.Errorf("packet %v before ONLINE: %v, want ErrNotOnline", pkt, err)
		}
	}
	// friend_connection packets work before ONLINE.
	if err := h.a.m.HandleLossless(h.now, bpk, []byte{IDAlive}); err != nil {
		t.Errorf("ALIVE before ONLINE: %v", err)
	}
	if err := h.a.m.HandleLossless(h.now, bpk, []byte{IDOnline, 0}); !errors.Is(err, wire.ErrLong) {
		t.Errorf("ONLINE with a payload: %v, want ErrLong", err)
	}
	if h.a.m.Online(bpk) {
		t.Fatal("online after a malformed ONLINE")
	}
	if err := h.a.m.HandleLossless(h.now, bpk, []byte{IDOnline}); err != nil {
		t.Fatalf("ONLINE: %v", err)
	}
	if !h.a.m.Online(bpk) {
		t.Fatal("not online after ONLINE")
	}
	if got := l.count(IDOnline); got != 1 {
		t.Errorf("sent %d ONLINE, want 1 (ours went out at LinkUp)", got)
	}
	if err := h.a.m.HandleLossless(h.now, bpk, []byte{IDOnline}); err != nil {
		t.Errorf("a repeated ONLINE: %v", err)
	}
	if err := h.a.m.HandleLossless(h.now, bpk, []byte{80, 0}); !errors.Is(err, ErrUnhandled) {
		t.Errorf("file packet when online: %v, want ErrUnhandled", err)
	}
	if err := h.a.m.HandleLossless(h.now, h.a.pair.Public, []byte{IDAlive}); !errors.Is(err, ErrNotFriend) {
		t.Errorf("packet from a stranger: %v", err)
	}
}

func TestOnlineAnsweredWhenOursFailed(t *testing.T) {
	h := newHarness(t)
	h.befriend()
	l := &fakeLink{from: h.a, to: h.b, refuse: errors.New("queue full")}
	bpk := h.b.pair.Public
	if err := h.a.m.LinkUp(h.now, bpk, l); err != nil {
		t.Fatal(err)
	}
	l.refuse = nil
	if err := h.a.m.HandleLossless(h.now, bpk, []byte{IDOnline}); err != nil {
		t.Fatal(err)
	}
	if got := l.ids(0); len(got) == 0 || got[0] != IDOnline {
		t.Errorf("after the peer's ONLINE we sent %v, want ONLINE first", got)
	}
	// The peer going OFFLINE and coming back on the same link gets ONLINE again.
	if err := h.a.m.HandleLossless(h.now, bpk, []byte{IDOffline}); err != nil {
		t.Fatal(err)
	}
	if h.a.m.Online(bpk) {
		t.Fatal("online after OFFLINE")
	}
	n := l.count(IDOnline)
	if err := h.a.m.HandleLossless(h.now, bpk, []byte{IDOnline}); err != nil {
		t.Fatal(err)
	}
	if l.count(IDOnline) != n+1 {
		t.Errorf("no ONLINE answered after OFFLINE then ONLINE")
	}
}

func TestProfileChangesPropagate(t *testing.T) {
	h := newHarness(t)
	h.online()
	bpk, apk := h.b.pair.Public, h.a.pair.Public
	mustOK := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	mustOK(h.a.m.SetName(h.now, "Ålice 🦊"))
	mustOK(h.a.m.SetStatusMessage(h.now, "ça va"))
	mustOK(h.a.m.SetUserStatus(h.now, UserStatusBusy))
	mustOK(h.a.m.SetTyping(h.now, bpk, true))
	h.pump()
	ev := h.b.take()
	if got := eventsOf[NameChanged](ev); len(got) != 1 || got[0].Name != "Ålice 🦊" || got[0].Friend != apk {
		t.Errorf("name events %#v", got)
	}
	if got := eventsOf[StatusMessageChanged](ev); len(got) != 1 || got[0].Message != "ça va" {
		t.Errorf("status message events %#v", got)
	}
	if got := eventsOf[UserStatusChanged](ev); len(got) != 1 || got[0].Status != UserStatusBusy {
		t.Errorf("user status events %#v", got)
	}
	if got := eventsOf[TypingChanged](ev); len(got) != 1 || !got[0].Typing {
		t.Errorf("typing events %#v", got)
	}
	// Setting the same values again sends nothing.
	n := len(h.a.out.sent)
	mustOK(h.a.m.SetName(h.now, "Ålice 🦊"))
	mustOK(h.a.m.SetStatusMessage(h.now, "ça va"))
	mustOK(h.a.m.SetUserStatus(h.now, UserStatusBusy))
	mustOK(h.a.m.SetTyping(h.now, bpk, true))
	if len(h.a.out.sent) != n {
		t.Errorf("unchanged setters sent %v", h.a.out.ids(n))
	}
	mustOK(h.a.m.SetTyping(h.now, bpk, false))
	h.pump()
	if got := eventsOf[TypingChanged](h.b.take()); len(got) != 1 || got[0].Typing {
		t.Errorf("typing off events %#v", got)
	}
	if h.a.m.Name() != "Ålice 🦊" || h.a.m.StatusMessage() != "ça va" || h.a.m.UserStatus() != UserStatusBusy {
		t.Error("getters disagree with setters")
	}
	// An offline friend gets the current values when it comes back.
	mustOK(h.a.m.LinkDown(h.now, bpk))
	mustOK(h.b.m.LinkDown(h.now, apk))
	mustOK(h.a.m.SetName(h.now, "Alice again"))
	h.b.take()
	h.connect()
	if got := eventsOf[NameChanged](h.b.take()); len(got) != 1 || got[0].Name != "Alice again" {
		t.Errorf("name after reconnect %#v", got)
	}
	noErrs(t, h.a)
	noErrs(t, h.b)
}

func TestSetterValidation(t *testing.T) {
	h := newHarness(t)
	m := h.a.m
	long := func(n int) string { return string(bytes.Repeat([]byte{'n'}, n)) }
	cases := []struct {
		name string
		err  error
		want error
	}{
		{"name 128", m.SetName(h.now, long(MaxNameLength)), nil},
		{"name 129", m.SetName(h.now, long(MaxNameLength+1)), ErrTooLong},
		{"name bad utf8", m.SetName(h.now, "a\xffb"), ErrInvalidUTF8},
		{"empty name", m.SetName(h.now, ""), nil},
		{"status 1007", m.SetStatusMessage(h.now, long(MaxStatusMessageLength)), nil},
		{"status 1008", m.SetStatusMessage(h.now, long(MaxStatusMessageLength+1)), ErrTooLong},
		{"status bad utf8", m.SetStatusMessage(h.now, "\xc3"), ErrInvalidUTF8},
		{"user status 3", m.SetUserStatus(h.now, 3), ErrBadUserStatus},
		{"typing to a stranger", m.SetTyping(h.now, h.b.pair.Public, true), ErrNotFriend},
	}
	for _, c := range cases {
		if c.want == nil && c.err != nil || c.want != nil && !errors.Is(c.err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, c.err, c.want)
		}
	}
}

func TestAliveEveryEightSeconds(t *testing.T) {
	h := newHarness(t)
	h.online()
	start := h.a.out.count(IDAlive) // one at LinkUp
	h.advance(40*time.Second, 500*time.Millisecond)
	// ALIVE at 8, 16, 24, 32, 40 s after the first.
	if got := h.a.out.count(IDAlive) - start; got != 5 {
		t.Errorf("%d ALIVE in 40 s, want 5", got)
	}
	if !h.a.m.Online(h.b.pair.Public) {
		t.Error("the link died although ALIVE flowed")
	}
	if n := len(eventsOf[ConnectionDead](h.a.take())); n != 0 {
		t.Errorf("%d ConnectionDead on a live link", n)
	}
}

func TestConnectionTimeout(t *testing.T) {
	h := newHarness(t)
	h.online()
	bpk := h.b.pair.Public
	h.b.out.cut = true // nothing from B reaches A any more
	h.advance(ConnectionTimeout-time.Second, time.Second)
	if !h.a.m.Online(bpk) {
		t.Fatal("dead before 32 s")
	}
	if ev := h.a.take(); len(eventsOf[ConnectionDead](ev)) != 0 {
		t.Fatal("ConnectionDead before 32 s")
	}
	if d := h.a.m.NextDeadline(); !d.Equal(t0.Add(ConnectionTimeout)) {
		t.Errorf("NextDeadline %v, want the timeout at %v", d, t0.Add(ConnectionTimeout))
	}
	h.advance(time.Second, time.Second)
	ev := h.a.take()
	if got := eventsOf[ConnectionDead](ev); len(got) != 1 || got[0].Friend != bpk {
		t.Fatalf("events at 32 s: %#v, want ConnectionDead", ev)
	}
	if got := eventsOf[FriendOffline](ev); len(got) != 1 {
		t.Errorf("no FriendOffline with ConnectionDead: %#v", ev)
	}
	info, _ := h.a.m.Friend(bpk)
	if info.State != StateConfirmed || info.Connected {
		t.Errorf("after timeout: %+v", info)
	}
	if err := h.a.m.HandleLossless(h.now, bpk, []byte{IDAlive}); !errors.Is(err, ErrNoLink) {
		t.Errorf("packet after the link died: %v, want ErrNoLink", err)
	}
	if err := h.a.m.LinkDown(h.now, bpk); err != nil {
		t.Errorf("LinkDown after ConnectionDead: %v", err)
	}
	if n := len(h.a.take()); n != 0 {
		t.Errorf("LinkDown after ConnectionDead made %d events", n)
	}
	if got := h.a.m.Stats().ConnectionsDead; got != 1 {
		t.Errorf("Stats.ConnectionsDead %d", got)
	}
}

func TestLinkReplaced(t *testing.T) {
	h := newHarness(t)
	h.online()
	bpk := h.b.pair.Public
	l2 := &fakeLink{from: h.a, to: h.b}
	if err := h.a.m.LinkUp(h.now, bpk, l2); err != nil {
		t.Fatal(err)
	}
	if h.a.m.Online(bpk) {
		t.Error("still online on a new link before its ONLINE")
	}
	if got := eventsOf[FriendOffline](h.a.take()); len(got) != 1 {
		t.Errorf("replacing the link: %d FriendOffline, want 1", len(got))
	}
	if got := l2.ids(0); !bytes.Equal(got, []byte{IDOnline, IDAlive}) {
		t.Errorf("new link got %v", got)
	}
	if err := h.a.m.LinkUp(h.now, bpk, nil); !errors.Is(err, ErrNoLink) {
		t.Errorf("nil link: %v", err)
	}
	if err := h.a.m.LinkUp(h.now, h.a.pair.Public, l2); !errors.Is(err, ErrNotFriend) {
		t.Errorf("link to a stranger: %v", err)
	}
}

func TestHandleLossy(t *testing.T) {
	h := newHarness(t)
	h.befriend()
	bpk := h.b.pair.Public
	if err := h.a.m.HandleLossy(h.now, bpk, []byte{192, 1}); !errors.Is(err, ErrNoLink) {
		t.Errorf("lossy without link: %v", err)
	}
	h.connect()
	h.b.out.cut = true
	// Lossy traffic alone keeps the link alive.
	for i := 0; i < 40; i++ {
		h.advance(time.Second, time.Second)
		if err := h.a.m.HandleLossy(h.now, bpk, []byte{192, 1}); err != nil {
			t.Fatalf("lossy at %v: %v", h.now.Sub(t0), err)
		}
	}
	if n := len(eventsOf[ConnectionDead](h.a.take())); n != 0 {
		t.Error("link died although lossy packets arrived")
	}
	if err := h.a.m.HandleLossy(h.now, bpk, nil); !errors.Is(err, wire.ErrShort) {
		t.Errorf("empty lossy: %v", err)
	}
}

func TestShareRelays(t *testing.T) {
	h := &harness{t: t, now: t0}
	relays := []wire.Node{tcpNode(1), tcpNode(2), tcpNode(3), tcpNode(4)}
	h.a = newPeer(t, h, "A", 0xaa, func(c *Config) { c.Relays = func() []wire.Node { return relays } })
	h.b = newPeer(t, h, "B", 0xbb, nil)
	h.befriend()
	h.connect()
	got := eventsOf[RelaysShared](h.b.take())
	if len(got) != 1 || len(got[0].Nodes) != MaxSharedRelays || got[0].Nodes[2] != relays[2] || got[0].Friend != h.a.pair.Public {
		t.Fatalf("B got %#v, want the first 3 relays", got)
	}
	h.advance(ShareRelaysInterval, time.Second)
	if n := h.a.out.count(IDShareRelays); n != 2 {
		t.Errorf("%d SHARE_RELAYS after 120 s, want 2", n)
	}
	if n := h.b.out.count(IDShareRelays); n != 0 {
		t.Errorf("B without relays sent %d SHARE_RELAYS", n)
	}
}
