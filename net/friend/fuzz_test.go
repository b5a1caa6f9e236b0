package friend

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"parley/net/wire"
)

// roundTrip checks parse -> append -> parse equality for any input that
// parses; garbage must only make parse fail, with a wire sentinel, never
// panic.
func roundTrip[T any, P interface {
	*T
	appender
}](t *testing.T, b []byte, parse func([]byte) (T, error)) {
	m, err := parse(b)
	if err != nil {
		if !errors.Is(err, wire.ErrShort) && !errors.Is(err, wire.ErrLong) &&
			!errors.Is(err, wire.ErrKind) && !errors.Is(err, wire.ErrMalformed) {
			t.Fatalf("parse(%x): error %v wraps no wire sentinel", b, err)
		}
		return
	}
	out, err := P(&m).AppendBinary(nil)
	if err != nil {
		t.Fatalf("append after parse of %x: %v", b, err)
	}
	if len(out) > len(b) {
		t.Fatalf("re-encoding %x grew it to %x", b, out)
	}
	m2, err := parse(out)
	if err != nil {
		t.Fatalf("reparse of %x: %v", out, err)
	}
	if !reflect.DeepEqual(m, m2) {
		t.Fatalf("round trip of %x:\n got %+v\nwant %+v", b, m2, m)
	}
}

// seed adds the goldens whose names start with prefix, and some garbage.
func seed(f *testing.F, prefix string) {
	for _, g := range goldens(f) {
		if strings.HasPrefix(g.name, prefix) {
			b := unhex(f, g.hex)
			f.Add(b)
			f.Add(b[:len(b)-1])
		}
	}
	f.Add([]byte{})
	f.Add([]byte{0xff, 0x00})
}

func FuzzParseAlivePacket(f *testing.F) {
	seed(f, "alive")
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, ParseAlivePacket) })
}

func FuzzParseOnlinePacket(f *testing.F) {
	seed(f, "online")
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, ParseOnlinePacket) })
}

func FuzzParseOfflinePacket(f *testing.F) {
	seed(f, "offline")
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, ParseOfflinePacket) })
}

func FuzzParseShareRelaysPacket(f *testing.F) {
	seed(f, "share relays")
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, ParseShareRelaysPacket) })
}

func FuzzParseFriendRequestPacket(f *testing.F) {
	seed(f, "friend request")
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, ParseFriendRequestPacket) })
}

func FuzzParseNicknamePacket(f *testing.F) {
	seed(f, "nickname")
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, ParseNicknamePacket) })
}

func FuzzParseStatusMessagePacket(f *testing.F) {
	seed(f, "status message")
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, ParseStatusMessagePacket) })
}

func FuzzParseUserStatusPacket(f *testing.F) {
	seed(f, "user status")
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, ParseUserStatusPacket) })
}

func FuzzParseTypingPacket(f *testing.F) {
	seed(f, "typing")
	seed(f, "not typing")
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, ParseTypingPacket) })
}

func FuzzParseMessagePacket(f *testing.F) {
	seed(f, "message")
	seed(f, "action")
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, ParseMessagePacket) })
}

// FuzzSplitMessage: the parts of any text rejoin to it exactly, are
// non-empty and within the limit, and valid UTF-8 stays valid per part.
func FuzzSplitMessage(f *testing.F) {
	f.Add("hello world", 5)
	f.Add(strings.Repeat("€", 500), 1372)
	f.Add("a\nb c\nd", 4)
	f.Add("\xff\xfe\xfd\xfc\xfb", 4)
	f.Fuzz(func(t *testing.T, text string, limit int) {
		limit = 1 + abs(limit)%2000
		parts := SplitMessage(text, limit)
		if strings.Join(parts, "") != text {
			t.Fatalf("parts %q do not rejoin to %q", parts, text)
		}
		valid := utf8.ValidString(text)
		for _, p := range parts {
			if p == "" || len(p) > max(limit, utf8.UTFMax) {
				t.Fatalf("part of %d bytes, limit %d", len(p), limit)
			}
			if valid && !utf8.ValidString(p) {
				t.Fatalf("part %q of valid text is not valid UTF-8", p)
			}
		}
	})
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
