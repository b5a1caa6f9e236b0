package session

import (
	"bytes"
	"encoding/hex"
	"errors"
	"reflect"
	"strings"
	"testing"

	"parley/net/key"
	"parley/net/wire"
)

// rep returns n copies of the hex byte b, for readable goldens.
func rep(b string, n int) string { return strings.Repeat(b, n) }

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatalf("bad golden hex: %v", err)
	}
	return b
}

// fill returns a byte array of type T with every byte v.
func fill[T any](v byte) T {
	var a T
	rv := reflect.ValueOf(&a).Elem()
	for i := range rv.Len() {
		rv.Index(i).SetUint(uint64(v))
	}
	return a
}

type appender interface{ AppendBinary([]byte) ([]byte, error) }

// golden checks that v encodes to want and that want parses back to v.
func golden[T any](t *testing.T, name string, v T, want string, parse func([]byte) (T, error)) {
	t.Helper()
	a, ok := any(&v).(appender)
	if !ok {
		t.Fatalf("%s: %T has no AppendBinary", name, v)
	}
	got, err := a.AppendBinary([]byte{0xee}) // appends after existing bytes
	if err != nil {
		t.Fatalf("%s: append: %v", name, err)
	}
	w := unhex(t, want)
	if !bytes.Equal(got[1:], w) || got[0] != 0xee {
		t.Fatalf("%s:\n got %x\nwant %x", name, got[1:], w)
	}
	back, err := parse(w)
	if err != nil {
		t.Fatalf("%s: parse: %v", name, err)
	}
	if !reflect.DeepEqual(back, v) {
		t.Fatalf("%s: parse(golden) = %+v, want %+v", name, back, v)
	}
}

func TestGoldenCookie(t *testing.T) {
	golden(t, "cookie request", CookieRequest{
		DHTPK: fill[key.PublicKey](0x11), Nonce: fill[key.Nonce](0x22), Sealed: fill[[88]byte](0x33),
	}, "18"+rep("11", 32)+rep("22", 24)+rep("33", 88), ParseCookieRequest)
	golden(t, "cookie request plain", CookieRequestPlain{
		RealPK: fill[key.PublicKey](0x44), EchoID: 0x0102030405060708,
	}, rep("44", 32)+rep("00", 32)+"0102030405060708", ParseCookieRequestPlain)
	golden(t, "cookie response", CookieResponse{
		Nonce: fill[key.Nonce](0x55), Sealed: fill[[136]byte](0x66),
	}, "19"+rep("55", 24)+rep("66", 136), ParseCookieResponse)
	golden(t, "cookie response plain", CookieResponsePlain{
		Cookie: fill[Cookie](0x77), EchoID: 0xfffe,
	}, rep("77", 112)+"000000000000fffe", ParseCookieResponsePlain)
	golden(t, "cookie contents", CookieContents{
		Time: 15e9, RealPK: fill[key.PublicKey](0x88), DHTPK: fill[key.PublicKey](0x99),
	}, "000000037e11d600"+rep("88", 32)+rep("99", 32), ParseCookieContents)
}

func TestGoldenHandshake(t *testing.T) {
	golden(t, "handshake", Handshake{
		Cookie: fill[Cookie](0x01), Nonce: fill[key.Nonce](0x02), Sealed: fill[[248]byte](0x03),
	}, "1a"+rep("01", 112)+rep("02", 24)+rep("03", 248), ParseHandshake)
	golden(t, "handshake plain", HandshakePlain{
		BaseNonce: fill[key.Nonce](0x04), SessionPK: fill[key.PublicKey](0x05),
		CookieHash: fill[[64]byte](0x06), Cookie: fill[Cookie](0x07),
	}, rep("04", 24)+rep("05", 32)+rep("06", 64)+rep("07", 112), ParseHandshakePlain)
}

func TestGoldenData(t *testing.T) {
	golden(t, "data packet", DataPacket{NonceLow: 0xbeef, Sealed: unhex(t, rep("aa", 25))},
		"1bbeef"+rep("aa", 25), ParseDataPacket)
	// 3 bytes of id+payload: (1373-3) % 8 = 2 bytes of padding.
	golden(t, "data plain message", DataPlain{BufferStart: 0x01020304, PacketNumber: 0x0a0b0c0d, Data: []byte("@hi")},
		"01020304 0a0b0c0d 0000 406869", ParseDataPlain)
	// A lone kill byte: (1373-1) % 8 = 4 bytes of padding.
	golden(t, "data plain kill", DataPlain{BufferStart: 7, PacketNumber: 9, Data: []byte{IDKill}},
		"00000007 00000009 00000000 02", ParseDataPlain)
	// 1373 bytes: no padding at all.
	full := append([]byte{200}, bytes.Repeat([]byte{0xab}, MaxDataSize-1)...)
	golden(t, "data plain full", DataPlain{BufferStart: 0, PacketNumber: 1, Data: full},
		"00000000 00000001 c8"+rep("ab", MaxDataSize-1), ParseDataPlain)
}

func TestGoldenRequest(t *testing.T) {
	golden(t, "empty request", Request{}, "01", ParseRequest)
	// Slots 0 and 2 missing, 300 missing after 297 received (one 0 for 255
	// of them, then 42+1), then 510 received slots (two 0s).
	golden(t, "request", Request{Missing: []uint32{0, 2, 300}, Covered: 811},
		"01 01 02 00 2b 00 00", ParseRequest)
	// A missing slot right where n reaches 255 is named 255, not 0.
	golden(t, "request 255", Request{Missing: []uint32{254}, Covered: 255}, "01 ff", ParseRequest)
	golden(t, "request 255+1", Request{Missing: []uint32{255}, Covered: 256}, "01 00 01", ParseRequest)
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		name  string
		parse func([]byte) error
		in    []byte
		want  error
	}{
		{"cookie request short", func(b []byte) error { _, err := ParseCookieRequest(b); return err }, unhex(t, "18"+rep("00", 143)), wire.ErrShort},
		{"cookie request long", func(b []byte) error { _, err := ParseCookieRequest(b); return err }, unhex(t, "18"+rep("00", 145)), wire.ErrLong},
		{"cookie request kind", func(b []byte) error { _, err := ParseCookieRequest(b); return err }, unhex(t, "19"+rep("00", 144)), wire.ErrKind},
		{"cookie response short", func(b []byte) error { _, err := ParseCookieResponse(b); return err }, unhex(t, "19"), wire.ErrShort},
		{"handshake short", func(b []byte) error { _, err := ParseHandshake(b); return err }, unhex(t, "1a"+rep("00", 383)), wire.ErrShort},
		{"handshake empty", func(b []byte) error { _, err := ParseHandshake(b); return err }, nil, wire.ErrShort},
		{"data short", func(b []byte) error { _, err := ParseDataPacket(b); return err }, unhex(t, "1b"+rep("00", 26)), wire.ErrShort},
		{"data long", func(b []byte) error { _, err := ParseDataPacket(b); return err }, unhex(t, "1b"+rep("00", 1400)), wire.ErrLong},
		{"data kind", func(b []byte) error { _, err := ParseDataPacket(b); return err }, unhex(t, "1a"+rep("00", 40)), wire.ErrKind},
		{"plain short", func(b []byte) error { _, err := ParseDataPlain(b); return err }, unhex(t, rep("00", 8)), wire.ErrShort},
		{"plain all padding", func(b []byte) error { _, err := ParseDataPlain(b); return err }, unhex(t, rep("00", 20)), wire.ErrMalformed},
		{"request wrong id", func(b []byte) error { _, err := ParseRequest(b); return err }, unhex(t, "02"), wire.ErrKind},
		{"request empty", func(b []byte) error { _, err := ParseRequest(b); return err }, nil, wire.ErrShort},
		{"request long", func(b []byte) error { _, err := ParseRequest(b); return err }, append([]byte{1}, make([]byte, MaxRequestBytes+1)...), wire.ErrLong},
	}
	for _, tc := range cases {
		if err := tc.parse(tc.in); !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
	}
}

func TestAppendErrors(t *testing.T) {
	for _, d := range [][]byte{nil, {0, 64}, make([]byte, MaxDataSize+1)} {
		p := DataPlain{Data: d}
		if _, err := p.AppendBinary(nil); err == nil {
			t.Errorf("DataPlain with data % x... accepted", d[:min(len(d), 2)])
		}
	}
	for _, n := range []int{MinDataPacketSize - 4, MaxPacketSize - 2} {
		p := DataPacket{Sealed: make([]byte, n)}
		if _, err := p.AppendBinary(nil); err == nil {
			t.Errorf("DataPacket with %d sealed bytes accepted", n)
		}
	}
	for _, r := range []Request{{Missing: []uint32{3, 3}, Covered: 9}, {Missing: []uint32{5}, Covered: 5}} {
		if _, err := r.AppendBinary(nil); !errors.Is(err, wire.ErrMalformed) {
			t.Errorf("Request %+v: err = %v", r, err)
		}
	}
}

func TestSizes(t *testing.T) {
	for _, c := range []struct {
		name      string
		got, want int
	}{
		{"cookie", CookieSize, 112}, {"cookie request", CookieRequestSize, 145},
		{"cookie response", CookieResponseSize, 161}, {"handshake", HandshakeSize, 385},
		{"max data", MaxDataSize, 1373}, {"min data packet", MinDataPacketSize, 28},
	} {
		if c.got != c.want {
			t.Errorf("%s size %d, want %d (§6)", c.name, c.got, c.want)
		}
	}
}
