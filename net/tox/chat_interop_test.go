//go:build interop

package tox

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"parley/net/friend"
	"parley/net/key"
	"parley/net/toxtest"
	"parley/net/wire"
)

const chatTimeout = 60 * time.Second

var longText = strings.Repeat("Parley ✓ ", 1372/len("Parley ✓ ")) // close to the limit, multi-byte

func maxLenText() string {
	s := longText
	for len(s) < MaxMessageSize {
		s += "x"
	}
	return s[:MaxMessageSize]
}

// c-toxcore sends Parley a friend request through the onion; Parley
// accepts; both reach friend-connected and exchange messages, receipts,
// names, status messages, user statuses and typing.
func TestInteropChatRequestFromToxcore(t *testing.T) {
	t.Parallel()
	bs := toxtest.StartBootstrapd(t)
	c := toxtest.StartPeer(t, toxtest.PeerOptions{Name: "c", SelfName: "toxcore", Bootstrap: []wire.Node{bs.Node()}})
	p, ev := startClient(t, "parley", bs.Node())
	ctx := context.Background()
	id, err := p.ToxID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	cf := c.FriendAdd(id, "hello Parley, from c-toxcore ✓")
	req := ev.wait(chatTimeout, "friend request", friendEvent[FriendRequest](nil)).(FriendEvent).Event.(FriendRequest)
	if req.From != c.PublicKey || req.Message != "hello Parley, from c-toxcore ✓" {
		t.Fatalf("request %+v", req)
	}
	t.Logf("request arrived after %v", time.Since(start))
	if err := p.Accept(ctx, c.PublicKey); err != nil {
		t.Fatal(err)
	}
	exchange(t, p, ev, c, cf, start)
}

// Parley sends c-toxcore a friend request; c-toxcore accepts; the same
// exchange follows.
func TestInteropChatRequestFromParley(t *testing.T) {
	t.Parallel()
	bs := toxtest.StartBootstrapd(t)
	c := toxtest.StartPeer(t, toxtest.PeerOptions{Name: "c", SelfName: "toxcore", Bootstrap: []wire.Node{bs.Node()}})
	p, ev := startClient(t, "parley", bs.Node())
	ctx := context.Background()
	start := time.Now()
	// The longest request message c-toxcore takes, in multi-byte text; one
	// byte more is refused before anything is sent (c-toxcore would drop it
	// without a word).
	longest := fitUTF8(strings.Repeat("hi c-toxcore, Parley here ✓ ", 40), MaxFriendRequestMessage)
	if err := p.AddFriend(ctx, c.Address, longest+"!"); !errors.Is(err, friend.ErrRequestTooLong) || len(longest) != MaxFriendRequestMessage {
		t.Fatalf("a %d-byte request: %v, want friend.ErrRequestTooLong", len(longest)+1, err)
	}
	if err := p.AddFriend(ctx, c.Address, longest); err != nil {
		t.Fatal(err)
	}
	req := c.MustWait(chatTimeout, toxtest.Is("friend_request"))
	if pk, err := req.PublicKey(0); err != nil || pk != p.PublicKey() {
		t.Fatalf("request from %v (%v), want %s", pk, err, p.PublicKey())
	}
	if text, err := req.Text(1); err != nil || text != longest {
		t.Fatalf("request text %q %v, want the %d-byte message", text, err, len(longest))
	}
	t.Logf("request arrived after %v", time.Since(start))
	cf := c.FriendAddNoRequest(p.PublicKey())
	exchange(t, p, ev, c, cf, start)
}

// A mistyped ID is refused with a clear error, and a request to a wrong
// nospam never reaches c-toxcore: only the corrected one does.
func TestInteropBadIDs(t *testing.T) {
	t.Parallel()
	bs := toxtest.StartBootstrapd(t)
	c := toxtest.StartPeer(t, toxtest.PeerOptions{Name: "c", Bootstrap: []wire.Node{bs.Node()}})
	p, _ := startClient(t, "parley", bs.Node())
	s := c.Address.String()
	typo := s[:70] + flip(s[70]) + s[71:] // inside the nospam
	if _, err := key.ParseToxID(typo); !errors.Is(err, key.ErrIDChecksum) {
		t.Fatalf("mistyped nospam: %v, want ErrIDChecksum", err)
	}
	if _, err := key.ParseToxID(s[:75]); !errors.Is(err, key.ErrIDLength) {
		t.Fatalf("short ID: %v, want ErrIDLength", err)
	}
	wrong := c.Address
	wrong.Nospam[0] ^= 0xff // a well-formed ID with another nospam
	ctx := context.Background()
	if err := p.AddFriend(ctx, wrong, "wrong nospam"); err != nil {
		t.Fatal(err)
	}
	if err := p.AddFriend(ctx, c.Address, "right nospam"); err != nil {
		t.Fatal(err)
	}
	req := c.MustWait(chatTimeout, toxtest.Is("friend_request"))
	if text, _ := req.Text(1); text != "right nospam" {
		t.Fatalf("c-toxcore accepted a request with a wrong nospam: %q", text)
	}
}

func flip(c byte) string {
	if c == '0' {
		return "1"
	}
	return "0"
}

// exchange runs the friend-connected part of both chat tests.
func exchange(t *testing.T, p *Node, ev *events, c *toxtest.Peer, cf uint32, start time.Time) {
	t.Helper()
	ctx := context.Background()
	f := toxtest.FriendArg(cf)
	ev.wait(chatTimeout, "friend online", friendEvent(func(e FriendOnline) bool { return e.Friend == c.PublicKey }))
	c.MustWait(chatTimeout, func(e toxtest.Event) bool {
		return e.Name == "friend_connection" && e.Arg(0) == f && e.Arg(1) != "none"
	})
	t.Logf("friend-connected after %v", time.Since(start))

	// Parley → c-toxcore: the longest message, unicode, an action.
	for _, m := range []struct {
		kind MessageKind
		word string
		text string
	}{
		{MessageNormal, "normal", maxLenText()},
		{MessageNormal, "normal", "Grüße, 你好, 👋🏽"},
		{MessageAction, "action", "waves"},
	} {
		mark := c.Mark()
		ids, err := p.SendMessage(ctx, c.PublicKey, m.kind, m.text)
		if err != nil || len(ids) != 1 {
			t.Fatalf("send %q: %v %v", m.text, ids, err)
		}
		c.MustWait(chatTimeout, toxtest.Since(mark, toxtest.Is("message", f, m.word, toxtest.Hex(m.text))))
		ev.wait(chatTimeout, "receipt", friendEvent(func(r Receipt) bool { return r.ID == ids[0] }))
	}
	// c-toxcore → Parley.
	for _, m := range []struct {
		kind   MessageKind
		action bool
		text   string
	}{
		{MessageNormal, false, maxLenText()},
		{MessageNormal, false, "Grüße, 你好, 👋🏽"},
		{MessageAction, true, "nods"},
	} {
		mark := c.Mark()
		var id uint32
		if m.action {
			id = c.SendAction(cf, m.text)
		} else {
			id = c.Send(cf, m.text)
		}
		ev.wait(chatTimeout, "message "+m.text[:min(10, len(m.text))], friendEvent(func(r MessageReceived) bool {
			return r.Friend == c.PublicKey && r.Kind == m.kind && r.Text == m.text
		}))
		c.MustWait(chatTimeout, toxtest.Since(mark, toxtest.Is("receipt", f, toxtest.FriendArg(id))))
	}
	// Profile changes, Parley → c-toxcore.
	mark := c.Mark()
	must(t, p.SetName(ctx, "Parley Ünicode"))
	must(t, p.SetStatusMessage(ctx, "on a call"))
	must(t, p.SetUserStatus(ctx, StatusBusy))
	must(t, p.SetTyping(ctx, c.PublicKey, true))
	c.MustWait(chatTimeout, toxtest.Since(mark, toxtest.Is("friend_name", f, toxtest.Hex("Parley Ünicode"))))
	c.MustWait(chatTimeout, toxtest.Since(mark, toxtest.Is("friend_status_message", f, toxtest.Hex("on a call"))))
	c.MustWait(chatTimeout, toxtest.Since(mark, toxtest.Is("friend_status", f, "busy")))
	c.MustWait(chatTimeout, toxtest.Since(mark, toxtest.Is("friend_typing", f, "1")))
	// c-toxcore → Parley.
	c.MustDo("set_name", toxtest.Hex("toxcore ✓"))
	c.MustDo("set_status_message", toxtest.Hex("away from keyboard"))
	c.MustDo("set_status", "away")
	c.MustDo("set_typing", f, "1")
	ev.wait(chatTimeout, "name", friendEvent(func(e NameChanged) bool { return e.Name == "toxcore ✓" }))
	ev.wait(chatTimeout, "status message", friendEvent(func(e StatusMessageChanged) bool { return e.Message == "away from keyboard" }))
	ev.wait(chatTimeout, "user status", friendEvent(func(e UserStatusChanged) bool { return e.Status == StatusAway }))
	ev.wait(chatTimeout, "typing", friendEvent(func(e TypingChanged) bool { return e.Typing }))
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
