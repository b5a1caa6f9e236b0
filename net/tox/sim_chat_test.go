package tox

import (
	"context"
	"strings"
	"testing"
	"testing/synctest"
	"time"
	"unicode/utf8"

	"parley/net/netsim"
)

// simTimeout bounds every wait of the netsim tests, in virtual time.
const simTimeout = 5 * time.Minute

// simLink is a plausible Internet path: 20 ms one way with a little jitter.
var simLink = netsim.Link{Delay: 20 * time.Millisecond, Jitter: 2 * time.Millisecond}

// A Parley-only network: one relay-only Parley bootstrap node and two
// Parley clients, no c-toxcore anywhere. A adds B by Tox ID through the
// onion; B gets the request with its text and accepts; both come online
// and exchange messages (the longest, unicode, an action) with receipts,
// and name, status message, user status and typing changes, both ways.
func TestSimChat(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := newSimNet(t, 1, simLink)
		s.startRelay("boot")
		a, aev := s.startSimClient("alice", s.listen(), nil)
		b, bev := s.startSimClient("bob", s.listen(), nil)
		took := befriend(t, a, aev, b, bev, "hi Bob, it's Alice ✓", simTimeout)
		t.Logf("request to both online: %v virtual", took)
		simExchange(t, a, aev, b, bev)
	})
}

// simExchange runs the friend-connected part of the chat both ways.
func simExchange(t *testing.T, a *Node, aev *events, b *Node, bev *events) {
	t.Helper()
	oneWay(t, "alice", a, aev, b, bev)
	oneWay(t, "bob", b, bev, a, aev)
}

// simLongText is exactly MaxMessageSize bytes of multi-byte text.
func simLongText(who string) string {
	unit := who + " ✓ Grüße "
	return fitUTF8(strings.Repeat(unit, MaxMessageSize/len(unit)+1), MaxMessageSize)
}

// oneWay: from sends to to the longest message, a unicode one and an
// action, each with its receipt, then changes its profile; to sees it all.
func oneWay(t *testing.T, who string, from *Node, fromEv *events, to *Node, toEv *events) {
	t.Helper()
	ctx := context.Background()
	long := simLongText(who)
	if len(long) != MaxMessageSize {
		t.Fatalf("long text is %d bytes", len(long))
	}
	for _, m := range []struct {
		kind MessageKind
		text string
	}{
		{MessageNormal, long},
		{MessageNormal, "Grüße, 你好, 👋🏽 from " + who},
		{MessageAction, "waves at you (" + who + ")"},
	} {
		id := sendText(t, from, to.PublicKey(), m.kind, m.text)
		toEv.wait(simTimeout, "message "+m.text[:12], friendEvent(func(r MessageReceived) bool {
			return r.Friend == from.PublicKey() && r.Kind == m.kind && r.Text == m.text
		}))
		fromEv.wait(simTimeout, "receipt", friendEvent(func(r Receipt) bool { return r.Friend == to.PublicKey() && r.ID == id }))
	}
	name, status := who+" Ünicode ✓", who+" is on a call"
	simMust(t, from.SetName(ctx, name))
	simMust(t, from.SetStatusMessage(ctx, status))
	simMust(t, from.SetUserStatus(ctx, StatusBusy))
	simMust(t, from.SetTyping(ctx, to.PublicKey(), true))
	pk := from.PublicKey()
	toEv.wait(simTimeout, "name", friendEvent(func(e NameChanged) bool { return e.Friend == pk && e.Name == name }))
	toEv.wait(simTimeout, "status message", friendEvent(func(e StatusMessageChanged) bool { return e.Friend == pk && e.Message == status }))
	toEv.wait(simTimeout, "user status", friendEvent(func(e UserStatusChanged) bool { return e.Friend == pk && e.Status == StatusBusy }))
	toEv.wait(simTimeout, "typing", friendEvent(func(e TypingChanged) bool { return e.Friend == pk && e.Typing }))
	simMust(t, from.SetTyping(ctx, to.PublicKey(), false))
	toEv.wait(simTimeout, "typing stopped", friendEvent(func(e TypingChanged) bool { return e.Friend == pk && !e.Typing }))
}

// fitUTF8 cuts s to at most n bytes on a character boundary and pads it
// with dots to exactly n bytes.
func fitUTF8(s string, n int) string {
	s = s[:min(len(s), n)]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s + strings.Repeat(".", n-len(s))
}

// simMust fails the test on an error (chat_interop_test.go's must is
// behind the interop build tag).
func simMust(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
