package friend

import (
	"bytes"
	"encoding/hex"
	"errors"
	"net/netip"
	"reflect"
	"strings"
	"testing"

	"parley/net/key"
	"parley/net/wire"
)

func unhex(tb testing.TB, s string) []byte {
	tb.Helper()
	b, err := hex.DecodeString(strings.Join(strings.Fields(s), ""))
	if err != nil {
		tb.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

// appender is what every codec value implements.
type appender interface {
	AppendBinary([]byte) ([]byte, error)
}

// parseAs adapts a typed parser for the tables.
func parseAs[T any](parse func([]byte) (T, error)) func([]byte) (any, error) {
	return func(b []byte) (any, error) {
		v, err := parse(b)
		return &v, err
	}
}

type golden struct {
	name  string
	value appender
	hex   string
	parse func([]byte) (any, error)
}

// Relay nodes packed as c-toxcore 0.2.18 pack_nodes does (the TCP
// goldens of net/wire).
const (
	tcp4PK     = "816341f088cd39a947310e49f884f21423358d2a5e881dcd4b9da31efb1965f7"
	tcp6PK     = "20457691dc9f94234fe3db092bd388611bff08e080b21afb3159611743211742"
	tcp4Packed = "82 0a000001 0d3d " + tcp4PK
	tcp6Packed = "8a 20010db8000000000000000000000001 82a5 " + tcp6PK
)

func pkHex(tb testing.TB, s string) key.PublicKey {
	var k key.PublicKey
	copy(k[:], unhex(tb, s))
	return k
}

func goldens(tb testing.TB) []golden {
	relays := []wire.Node{
		{PK: pkHex(tb, tcp4PK), Addr: netip.MustParseAddrPort("10.0.0.1:3389"), TCP: true},
		{PK: pkHex(tb, tcp6PK), Addr: netip.MustParseAddrPort("[2001:db8::1]:33445"), TCP: true},
	}
	return []golden{
		{"alive", &AlivePacket{}, "10", parseAs(ParseAlivePacket)},
		{"online", &OnlinePacket{}, "18", parseAs(ParseOnlinePacket)},
		{"offline", &OfflinePacket{}, "19", parseAs(ParseOfflinePacket)},
		{"share relays none", &ShareRelaysPacket{}, "11", parseAs(ParseShareRelaysPacket)},
		{"share relays two", &ShareRelaysPacket{Nodes: relays}, "11" + tcp4Packed + tcp6Packed, parseAs(ParseShareRelaysPacket)},
		{"friend request", &FriendRequestPacket{Nospam: key.Nospam{0xde, 0xad, 0xbe, 0xef}, Message: []byte("hello")},
			"12 deadbeef 68656c6c6f", parseAs(ParseFriendRequestPacket)},
		{"friend request max", &FriendRequestPacket{Nospam: key.Nospam{1, 2, 3, 4}, Message: bytes.Repeat([]byte{'r'}, MaxRequestLength)},
			"12 01020304" + strings.Repeat("72", MaxRequestLength), parseAs(ParseFriendRequestPacket)},
		{"nickname", &NicknamePacket{Name: "Alice"}, "30 416c696365", parseAs(ParseNicknamePacket)},
		{"nickname empty", &NicknamePacket{}, "30", parseAs(ParseNicknamePacket)},
		{"nickname max", &NicknamePacket{Name: strings.Repeat("n", MaxNameLength)}, "30" + strings.Repeat("6e", MaxNameLength), parseAs(ParseNicknamePacket)},
		{"status message", &StatusMessagePacket{Message: "Grüße"}, "31 4772c3bcc39f65", parseAs(ParseStatusMessagePacket)},
		{"status message max", &StatusMessagePacket{Message: strings.Repeat("s", MaxStatusMessageLength)},
			"31" + strings.Repeat("73", MaxStatusMessageLength), parseAs(ParseStatusMessagePacket)},
		{"user status none", &UserStatusPacket{Status: UserStatusNone}, "32 00", parseAs(ParseUserStatusPacket)},
		{"user status away", &UserStatusPacket{Status: UserStatusAway}, "32 01", parseAs(ParseUserStatusPacket)},
		{"user status busy", &UserStatusPacket{Status: UserStatusBusy}, "32 02", parseAs(ParseUserStatusPacket)},
		{"typing", &TypingPacket{Typing: true}, "33 01", parseAs(ParseTypingPacket)},
		{"not typing", &TypingPacket{}, "33 00", parseAs(ParseTypingPacket)},
		{"message", &MessagePacket{Kind: MessageNormal, Text: "héllo 👋"}, "40 68c3a96c6c6f20f09f918b", parseAs(ParseMessagePacket)},
		{"action", &MessagePacket{Kind: MessageAction, Text: "waves"}, "41 7761766573", parseAs(ParseMessagePacket)},
		{"message max", &MessagePacket{Text: strings.Repeat("m", MaxMessageLength)}, "40" + strings.Repeat("6d", MaxMessageLength), parseAs(ParseMessagePacket)},
	}
}

func TestPacketGoldens(t *testing.T) {
	for _, g := range goldens(t) {
		t.Run(g.name, func(t *testing.T) {
			want := unhex(t, g.hex)
			got, err := g.value.AppendBinary([]byte{0xff}) // appends, keeps the prefix
			if err != nil {
				t.Fatalf("AppendBinary: %v", err)
			}
			if got[0] != 0xff || !bytes.Equal(got[1:], want) {
				t.Fatalf("AppendBinary:\n got %x\nwant ff%x", got, want)
			}
			v, err := g.parse(want)
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			if !reflect.DeepEqual(v, g.value) {
				t.Fatalf("parse:\n got %+v\nwant %+v", v, g.value)
			}
		})
	}
}

// TestParseCopies: parsed values do not alias the packet.
func TestParseCopies(t *testing.T) {
	b := unhex(t, "12 01020304 6869")
	p, err := ParseFriendRequestPacket(b)
	if err != nil {
		t.Fatal(err)
	}
	b[5] = 'X'
	if string(p.Message) != "hi" {
		t.Errorf("message aliases the packet: %q", p.Message)
	}
}

func TestTypingNonZeroIsTyping(t *testing.T) {
	p, err := ParseTypingPacket([]byte{IDTyping, 7})
	if err != nil || !p.Typing {
		t.Errorf("typing byte 7: %+v, %v; want typing (c-toxcore reads non-zero as true)", p, err)
	}
}

func TestParseErrors(t *testing.T) {
	fiveNodes := "11" + strings.Repeat(tcp4Packed, 4)
	cases := []struct {
		name  string
		hex   string
		parse func([]byte) (any, error)
		want  error
	}{
		{"alive empty", "", parseAs(ParseAlivePacket), wire.ErrShort},
		{"alive wrong id", "11", parseAs(ParseAlivePacket), wire.ErrKind},
		{"alive payload", "10 00", parseAs(ParseAlivePacket), wire.ErrLong},
		{"online payload", "18 00", parseAs(ParseOnlinePacket), wire.ErrLong},
		{"offline wrong id", "18", parseAs(ParseOfflinePacket), wire.ErrKind},
		{"relays four", fiveNodes, parseAs(ParseShareRelaysPacket), wire.ErrLong},
		{"relays truncated", "11 82 0a000001 0d3d 8163", parseAs(ParseShareRelaysPacket), wire.ErrShort},
		{"relays bad family", "11 05 0a000001 0d3d " + tcp4PK, parseAs(ParseShareRelaysPacket), wire.ErrMalformed},
		{"request no nospam", "12 010203", parseAs(ParseFriendRequestPacket), wire.ErrShort},
		{"request empty", "12 01020304", parseAs(ParseFriendRequestPacket), wire.ErrShort},
		{"request too long", "12 01020304" + strings.Repeat("72", MaxRequestLength+1), parseAs(ParseFriendRequestPacket), wire.ErrLong},
		{"request wrong id", "20 01020304 68", parseAs(ParseFriendRequestPacket), wire.ErrKind},
		{"name too long", "30" + strings.Repeat("6e", MaxNameLength+1), parseAs(ParseNicknamePacket), wire.ErrLong},
		{"status too long", "31" + strings.Repeat("73", MaxStatusMessageLength+1), parseAs(ParseStatusMessagePacket), wire.ErrLong},
		{"user status 3", "32 03", parseAs(ParseUserStatusPacket), wire.ErrMalformed},
		{"user status short", "32", parseAs(ParseUserStatusPacket), wire.ErrShort},
		{"user status long", "32 0100", parseAs(ParseUserStatusPacket), wire.ErrLong},
		{"typing short", "33", parseAs(ParseTypingPacket), wire.ErrShort},
		{"typing long", "33 0101", parseAs(ParseTypingPacket), wire.ErrLong},
		{"message empty", "40", parseAs(ParseMessagePacket), wire.ErrShort},
		{"message too long", "40" + strings.Repeat("6d", MaxMessageLength+1), parseAs(ParseMessagePacket), wire.ErrLong},
		{"message wrong id", "42 6869", parseAs(ParseMessagePacket), wire.ErrKind},
		{"message nothing", "", parseAs(ParseMessagePacket), wire.ErrShort},
	}
	for _, c := range cases {
		if _, err := c.parse(unhex(t, c.hex)); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
}

func TestAppendErrors(t *testing.T) {
	node := wire.Node{PK: pkHex(t, tcp4PK), Addr: netip.MustParseAddrPort("10.0.0.1:3389"), TCP: true}
	cases := []struct {
		name  string
		value appender
		want  error
	}{
		{"four relays", &ShareRelaysPacket{Nodes: []wire.Node{node, node, node, node}}, wire.ErrLong},
		{"relay without address", &ShareRelaysPacket{Nodes: []wire.Node{{}}}, wire.ErrMalformed},
		{"empty request", &FriendRequestPacket{}, wire.ErrShort},
		{"long request", &FriendRequestPacket{Message: make([]byte, MaxRequestLength+1)}, wire.ErrLong},
		{"long name", &NicknamePacket{Name: strings.Repeat("n", MaxNameLength+1)}, wire.ErrLong},
		{"long status", &StatusMessagePacket{Message: strings.Repeat("s", MaxStatusMessageLength+1)}, wire.ErrLong},
		{"user status 3", &UserStatusPacket{Status: 3}, wire.ErrMalformed},
		{"message kind 2", &MessagePacket{Kind: 2, Text: "x"}, wire.ErrMalformed},
		{"empty message", &MessagePacket{}, wire.ErrShort},
		{"long message", &MessagePacket{Text: strings.Repeat("m", MaxMessageLength+1)}, wire.ErrLong},
	}
	for _, c := range cases {
		if _, err := c.value.AppendBinary(nil); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
}
