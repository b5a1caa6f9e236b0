//go:build interop

package toxtest_test

import (
	"testing"
	"time"

	"parley/net/toxtest"
	"parley/net/wire"
)

const (
	// connectTimeout bounds self and friend connection on loopback; they
	// normally take about 7 s and 10 s (test-env.md §5).
	connectTimeout = 60 * time.Second
	// stepTimeout bounds one exchange between connected friends.
	stepTimeout = 10 * time.Second
)

// TestFriendsOverBootstrapd is the kit's end-to-end check: two toxpeers
// that know only a tox-bootstrapd find each other, become friends over UDP
// and exchange messages, receipts and presence.
func TestFriendsOverBootstrapd(t *testing.T) {
	t.Parallel()
	start := time.Now()
	mark := func(what string) { t.Logf("%6.2fs %s", time.Since(start).Seconds(), what) }

	bs := toxtest.StartBootstrapd(t)
	nodes := []wire.Node{bs.Node()}
	a := toxtest.StartPeer(t, toxtest.PeerOptions{Name: "alice", SelfName: "Alice", Bootstrap: nodes})
	b := toxtest.StartPeer(t, toxtest.PeerOptions{Name: "bob", SelfName: "Bob", Bootstrap: nodes})
	mark("bootstrapd and two peers started")

	const request = "Hi Bob — it's Alice. Add me? 🙂"
	fa := a.FriendAdd(b.Address, request)
	req := b.MustWait(connectTimeout, toxtest.Is("friend_request", a.PublicKey.String()))
	if got, err := req.Text(1); err != nil || got != request {
		t.Errorf("friend request text %q (%v), want %q", got, err, request)
	}
	mark("friend request arrived")
	fb := b.FriendAddNoRequest(a.PublicKey)
	for _, p := range []*toxtest.Peer{a, b} {
		e := p.MustWait(connectTimeout, func(e toxtest.Event) bool {
			return e.Name == "self_connection" && e.Arg(0) != "none"
		})
		t.Logf("%s: self connection %s at %v (peer clock)", p.Name, e.Arg(0), e.At)
	}
	ea := a.MustWait(connectTimeout, toxtest.Is("friend_connection", toxtest.FriendArg(fa), "udp"))
	eb := b.MustWait(connectTimeout, toxtest.Is("friend_connection", toxtest.FriendArg(fb), "udp"))
	mark("friends connected over UDP")
	t.Logf("friend connection at %v (alice) and %v (bob), peer clocks", ea.At, eb.At)

	type message struct {
		from, to   *toxtest.Peer
		fromFriend uint32 // the receiver's number on the sender's side
		toFriend   uint32 // the sender's number on the receiver's side
		action     bool
		text       string
	}
	for _, m := range []message{
		{a, b, fa, fb, false, "héllo wörld — 你好 🦊\nsecond line"},
		{a, b, fa, fb, true, "waves 👋"},
		{b, a, fb, fa, false, "Grüße zurück ✓ ∑"},
		{b, a, fb, fa, true, "smiles 😀"},
	} {
		kind := "normal"
		id := uint32(0)
		if m.action {
			kind = "action"
			id = m.from.SendAction(m.fromFriend, m.text)
		} else {
			id = m.from.Send(m.fromFriend, m.text)
		}
		m.to.MustWait(stepTimeout, toxtest.Is("message", toxtest.FriendArg(m.toFriend), kind, toxtest.Hex(m.text)))
		m.from.MustWait(stepTimeout, toxtest.Is("receipt", toxtest.FriendArg(m.fromFriend), toxtest.FriendArg(id)))
	}
	mark("messages and actions both ways, with receipts")

	// On connecting, each side already got the other's name, status and
	// typing state; look only at events caused from here on.
	since := func(p *toxtest.Peer) func(func(toxtest.Event) bool) func(toxtest.Event) bool {
		m := p.Mark()
		return func(match func(toxtest.Event) bool) func(toxtest.Event) bool { return toxtest.Since(m, match) }
	}
	atB, atA := since(b), since(a)
	a.MustDo("set_name", toxtest.Hex("Alice Ⅱ"))
	b.MustWait(stepTimeout, atB(toxtest.Is("friend_name", toxtest.FriendArg(fb), toxtest.Hex("Alice Ⅱ"))))
	a.MustDo("set_status_message", toxtest.Hex("out for lunch 🍜"))
	b.MustWait(stepTimeout, atB(toxtest.Is("friend_status_message", toxtest.FriendArg(fb), toxtest.Hex("out for lunch 🍜"))))
	a.MustDo("set_status", "away")
	b.MustWait(stepTimeout, atB(toxtest.Is("friend_status", toxtest.FriendArg(fb), "away")))
	b.MustDo("set_status", "busy")
	a.MustWait(stepTimeout, atA(toxtest.Is("friend_status", toxtest.FriendArg(fa), "busy")))
	a.MustDo("set_typing", toxtest.FriendArg(fa), "1")
	typing := b.MustWait(stepTimeout, atB(toxtest.Is("friend_typing", toxtest.FriendArg(fb), "1")))
	a.MustDo("set_typing", toxtest.FriendArg(fa), "0")
	b.MustWait(stepTimeout, toxtest.Since(typing.Seq+1, toxtest.Is("friend_typing", toxtest.FriendArg(fb), "0")))
	mark("name, status message, status and typing arrived")

	info := b.MustDo("friend_info", toxtest.FriendArg(fb))
	want := []string{toxtest.FriendArg(fb), a.PublicKey.String(), "udp", "away",
		toxtest.Hex("Alice Ⅱ"), toxtest.Hex("out for lunch 🍜"), "0"}
	if len(info) != len(want) {
		t.Fatalf("friend_info %q, want %q", info, want)
	}
	for i := range want {
		if info[i] != want[i] {
			t.Errorf("friend_info field %d = %q, want %q", i, info[i], want[i])
		}
	}
}
