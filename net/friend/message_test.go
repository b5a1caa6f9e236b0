package friend

import (
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// received returns the texts of the MessageReceived events in evs.
func received(evs []Event) []MessageReceived { return eventsOf[MessageReceived](evs) }

func receiptIDs(evs []Event) []MessageID {
	var out []MessageID
	for _, r := range eventsOf[Receipt](evs) {
		out = append(out, r.ID)
	}
	return out
}

func sameIDs(a, b []MessageID) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestMessagesBothWays(t *testing.T) {
	h := newHarness(t)
	h.online()

	max := strings.Repeat("x", MaxMessageLength-3) + "€" // 1372 bytes, ends on a 3-byte rune
	unicode := "Grüße, 世界! 👋🏽 ñ — \u0301e"
	var long strings.Builder // 3000 bytes of words
	for i := 0; long.Len() < 3000; i++ {
		long.WriteString("word")
		long.WriteByte(byte('a' + i%26))
		long.WriteByte(' ')
	}
	longText := long.String()[:3000]

	cases := []struct {
		from, to *peer
		kind     MessageKind
		text     string
		parts    int
	}{
		{h.a, h.b, MessageNormal, "hello B", 1},
		{h.b, h.a, MessageNormal, "hello A", 1},
		{h.a, h.b, MessageNormal, max, 1},
		{h.b, h.a, MessageNormal, max, 1},
		{h.a, h.b, MessageNormal, longText, 3},
		{h.b, h.a, MessageNormal, longText, 3},
		{h.a, h.b, MessageNormal, unicode, 1},
		{h.b, h.a, MessageNormal, unicode, 1},
		{h.a, h.b, MessageAction, "waves", 1},
		{h.b, h.a, MessageAction, "waves back", 1},
	}
	for _, c := range cases {
		ids, err := c.from.m.SendMessage(h.now, c.to.pair.Public, c.kind, c.text)
		if err != nil {
			t.Fatalf("%s sends %d bytes: %v", c.from.name, len(c.text), err)
		}
		if len(ids) != c.parts {
			t.Errorf("%s sends %d bytes: %d parts, want %d", c.from.name, len(c.text), len(ids), c.parts)
		}
		h.pump()
		got := received(c.to.take())
		var joined strings.Builder
		for _, m := range got {
			if m.Kind != c.kind || m.Friend != c.from.pair.Public {
				t.Errorf("got %+v", m)
			}
			if len(m.Text) > MaxMessageLength || !utf8.ValidString(m.Text) {
				t.Errorf("a part of %d bytes, valid UTF-8 %v", len(m.Text), utf8.ValidString(m.Text))
			}
			joined.WriteString(m.Text)
		}
		if len(got) != c.parts || joined.String() != c.text {
			t.Errorf("%s -> %s: %d parts reassembled to %q..., want %q...", c.from.name, c.to.name, len(got), trunc(joined.String()), trunc(c.text))
		}
		if r := receiptIDs(c.from.take()); !sameIDs(r, ids) {
			t.Errorf("%s receipts %v, want %v", c.from.name, r, ids)
		}
	}
	noErrs(t, h.a)
	noErrs(t, h.b)
}

func trunc(s string) string {
	if len(s) > 20 {
		return s[:20]
	}
	return s
}

func TestReceiptsFollowAcks(t *testing.T) {
	h := newHarness(t)
	h.online()
	bpk := h.b.pair.Public
	h.a.out.holdAcks = true
	var all []MessageID
	for _, text := range []string{"one", "two", strings.Repeat("3", 2000)} {
		ids, err := h.a.m.SendMessage(h.now, bpk, MessageNormal, text)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, ids...)
	}
	if len(all) != 4 {
		t.Fatalf("%d ids, want 4", len(all))
	}
	for i := 1; i < len(all); i++ {
		if all[i] <= all[i-1] {
			t.Errorf("ids not increasing: %v", all)
		}
	}
	h.pump()
	if n := len(received(h.b.take())); n != 4 {
		t.Fatalf("B got %d messages", n)
	}
	if r := receiptIDs(h.a.take()); len(r) != 0 {
		t.Fatalf("receipts before any ack: %v", r)
	}
	// An ack of the third packet confirms it and everything before.
	held := h.a.out.held
	if err := h.a.m.HandleAcked(h.now, bpk, held[2]); err != nil {
		t.Fatal(err)
	}
	if r := receiptIDs(h.a.take()); !sameIDs(r, all[:3]) {
		t.Errorf("after ack of packet %d: receipts %v, want %v", held[2], r, all[:3])
	}
	h.releaseAcks(h.a.out)
	if r := receiptIDs(h.a.take()); !sameIDs(r, all[3:]) {
		t.Errorf("after the rest: receipts %v, want %v", r, all[3:])
	}
}

func TestReceiptsLostOnLinkDown(t *testing.T) {
	h := newHarness(t)
	h.online()
	bpk := h.b.pair.Public
	h.a.out.cut = true
	ids, err := h.a.m.SendMessage(h.now, bpk, MessageNormal, "lost in transit")
	if err != nil {
		t.Fatal(err)
	}
	if err := h.a.m.LinkDown(h.now, bpk); err != nil {
		t.Fatal(err)
	}
	ev := h.a.take()
	lost := eventsOf[ReceiptsLost](ev)
	if len(lost) != 1 || !sameIDs(lost[0].IDs, ids) || len(eventsOf[FriendOffline](ev)) != 1 {
		t.Fatalf("events %#v, want FriendOffline and ReceiptsLost %v", ev, ids)
	}
	if _, err := h.a.m.SendMessage(h.now, bpk, MessageNormal, "again"); !errors.Is(err, ErrFriendOffline) {
		t.Errorf("send after link down: %v, want ErrFriendOffline", err)
	}
	if err := h.a.m.HandleAcked(h.now, bpk, 0); !errors.Is(err, ErrNoLink) {
		t.Errorf("ack without link: %v", err)
	}
}

func TestPeerTypingClearedOffline(t *testing.T) {
	h := newHarness(t)
	h.online()
	if err := h.b.m.SetTyping(h.now, h.a.pair.Public, true); err != nil {
		t.Fatal(err)
	}
	h.pump()
	h.a.take()
	if err := h.a.m.LinkDown(h.now, h.b.pair.Public); err != nil {
		t.Fatal(err)
	}
	if got := eventsOf[TypingChanged](h.a.take()); len(got) != 1 || got[0].Typing {
		t.Errorf("typing events when the friend went offline: %#v", got)
	}
}

func TestSendMessageErrors(t *testing.T) {
	h := newHarness(t)
	bpk := h.b.pair.Public
	if _, err := h.a.m.SendMessage(h.now, bpk, MessageNormal, "hi"); !errors.Is(err, ErrNotFriend) {
		t.Errorf("to a stranger: %v", err)
	}
	h.befriend()
	if _, err := h.a.m.SendMessage(h.now, bpk, MessageNormal, "hi"); !errors.Is(err, ErrFriendOffline) {
		t.Errorf("to an offline friend: %v", err)
	}
	h.connect()
	cases := []struct {
		kind MessageKind
		text string
		want error
	}{
		{MessageNormal, "", ErrEmptyMessage},
		{MessageNormal, "bad \xff utf8", ErrInvalidUTF8},
		{MessageKind(2), "hi", ErrBadKind},
	}
	for _, c := range cases {
		if ids, err := h.a.m.SendMessage(h.now, bpk, c.kind, c.text); !errors.Is(err, c.want) || ids != nil {
			t.Errorf("SendMessage(%v, %q): %v, %v; want %v", c.kind, c.text, ids, err, c.want)
		}
	}
	// A link that refuses the second part: the first part's id comes back.
	l := h.a.out
	text := strings.Repeat("y", MaxMessageLength+10)
	refuser := &countingLink{fakeLink: l, after: 1}
	if err := h.a.m.LinkUp(h.now, bpk, refuser); err != nil {
		t.Fatal(err)
	}
	if err := h.a.m.HandleLossless(h.now, bpk, []byte{IDOnline}); err != nil {
		t.Fatal(err)
	}
	refuser.n = 0
	ids, err := h.a.m.SendMessage(h.now, bpk, MessageNormal, text)
	if !errors.Is(err, ErrSend) || len(ids) != 1 {
		t.Errorf("refused second part: ids %v, err %v; want 1 id and ErrSend", ids, err)
	}
}

// countingLink accepts `after` packets, then refuses.
type countingLink struct {
	*fakeLink
	after, n int
}

var errFull = errors.New("send queue full")

func (l *countingLink) SendLossless(now time.Time, data []byte) (uint32, error) {
	l.n++
	if l.n > l.after {
		return 0, errFull
	}
	return l.fakeLink.SendLossless(now, data)
}
