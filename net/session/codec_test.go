package session

import (
	"bytes"
	"errors"
	"testing"

	"parley/net/internal/codectest"
	"parley/net/key"
	"parley/net/wire"
)

func TestGoldenCookie(t *testing.T) {
	codectest.Golden(t, "cookie request", CookieRequest{
		DHTPK: codectest.Fill[key.PublicKey](0x11), Nonce: codectest.Fill[key.Nonce](0x22), Sealed: codectest.Fill[[88]byte](0x33),
	}, "18"+codectest.Rep("11", 32)+codectest.Rep("22", 24)+codectest.Rep("33", 88), ParseCookieRequest)
	codectest.Golden(t, "cookie request plain", CookieRequestPlain{
		RealPK: codectest.Fill[key.PublicKey](0x44), EchoID: 0x0102030405060708,
	}, codectest.Rep("44", 32)+codectest.Rep("00", 32)+"0102030405060708", ParseCookieRequestPlain)
	codectest.Golden(t, "cookie response", CookieResponse{
		Nonce: codectest.Fill[key.Nonce](0x55), Sealed: codectest.Fill[[136]byte](0x66),
	}, "19"+codectest.Rep("55", 24)+codectest.Rep("66", 136), ParseCookieResponse)
	codectest.Golden(t, "cookie response plain", CookieResponsePlain{
		Cookie: codectest.Fill[Cookie](0x77), EchoID: 0xfffe,
	}, codectest.Rep("77", 112)+"000000000000fffe", ParseCookieResponsePlain)
	codectest.Golden(t, "cookie contents", CookieContents{
		Time: 15e9, RealPK: codectest.Fill[key.PublicKey](0x88), DHTPK: codectest.Fill[key.PublicKey](0x99),
	}, "000000037e11d600"+codectest.Rep("88", 32)+codectest.Rep("99", 32), ParseCookieContents)
}

func TestGoldenHandshake(t *testing.T) {
	codectest.Golden(t, "handshake", Handshake{
		Cookie: codectest.Fill[Cookie](0x01), Nonce: codectest.Fill[key.Nonce](0x02), Sealed: codectest.Fill[[248]byte](0x03),
	}, "1a"+codectest.Rep("01", 112)+codectest.Rep("02", 24)+codectest.Rep("03", 248), ParseHandshake)
	codectest.Golden(t, "handshake plain", HandshakePlain{
		BaseNonce: codectest.Fill[key.Nonce](0x04), SessionPK: codectest.Fill[key.PublicKey](0x05),
		CookieHash: codectest.Fill[[64]byte](0x06), Cookie: codectest.Fill[Cookie](0x07),
	}, codectest.Rep("04", 24)+codectest.Rep("05", 32)+codectest.Rep("06", 64)+codectest.Rep("07", 112), ParseHandshakePlain)
}

func TestGoldenData(t *testing.T) {
	codectest.Golden(t, "data packet", DataPacket{NonceLow: 0xbeef, Sealed: codectest.Unhex(t, codectest.Rep("aa", 25))},
		"1bbeef"+codectest.Rep("aa", 25), ParseDataPacket)
	// 3 bytes of id+payload: (1373-3) % 8 = 2 bytes of padding.
	codectest.Golden(t, "data plain message", DataPlain{BufferStart: 0x01020304, PacketNumber: 0x0a0b0c0d, Data: []byte("@hi")},
		"01020304 0a0b0c0d 0000 406869", ParseDataPlain)
	// A lone kill byte: (1373-1) % 8 = 4 bytes of padding.
	codectest.Golden(t, "data plain kill", DataPlain{BufferStart: 7, PacketNumber: 9, Data: []byte{IDKill}},
		"00000007 00000009 00000000 02", ParseDataPlain)
	// 1373 bytes: no padding at all.
	full := append([]byte{200}, bytes.Repeat([]byte{0xab}, MaxDataSize-1)...)
	codectest.Golden(t, "data plain full", DataPlain{BufferStart: 0, PacketNumber: 1, Data: full},
		"00000000 00000001 c8"+codectest.Rep("ab", MaxDataSize-1), ParseDataPlain)
}

func TestGoldenRequest(t *testing.T) {
	codectest.Golden(t, "empty request", Request{}, "01", ParseRequest)
	// Slots 0 and 2 missing, 300 missing after 297 received (one 0 for 255
	// of them, then 42+1), then 510 received slots (two 0s).
	codectest.Golden(t, "request", Request{Missing: []uint32{0, 2, 300}, Covered: 811},
		"01 01 02 00 2b 00 00", ParseRequest)
	// A missing slot right where n reaches 255 is named 255, not 0.
	codectest.Golden(t, "request 255", Request{Missing: []uint32{254}, Covered: 255}, "01 ff", ParseRequest)
	codectest.Golden(t, "request 255+1", Request{Missing: []uint32{255}, Covered: 256}, "01 00 01", ParseRequest)
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		name  string
		parse func([]byte) error
		in    []byte
		want  error
	}{
		{"cookie request short", func(b []byte) error { _, err := ParseCookieRequest(b); return err }, codectest.Unhex(t, "18"+codectest.Rep("00", 143)), wire.ErrShort},
		{"cookie request long", func(b []byte) error { _, err := ParseCookieRequest(b); return err }, codectest.Unhex(t, "18"+codectest.Rep("00", 145)), wire.ErrLong},
		{"cookie request kind", func(b []byte) error { _, err := ParseCookieRequest(b); return err }, codectest.Unhex(t, "19"+codectest.Rep("00", 144)), wire.ErrKind},
		{"cookie response short", func(b []byte) error { _, err := ParseCookieResponse(b); return err }, codectest.Unhex(t, "19"), wire.ErrShort},
		{"handshake short", func(b []byte) error { _, err := ParseHandshake(b); return err }, codectest.Unhex(t, "1a"+codectest.Rep("00", 383)), wire.ErrShort},
		{"handshake empty", func(b []byte) error { _, err := ParseHandshake(b); return err }, nil, wire.ErrShort},
		{"data short", func(b []byte) error { _, err := ParseDataPacket(b); return err }, codectest.Unhex(t, "1b"+codectest.Rep("00", 26)), wire.ErrShort},
		{"data long", func(b []byte) error { _, err := ParseDataPacket(b); return err }, codectest.Unhex(t, "1b"+codectest.Rep("00", 1400)), wire.ErrLong},
		{"data kind", func(b []byte) error { _, err := ParseDataPacket(b); return err }, codectest.Unhex(t, "1a"+codectest.Rep("00", 40)), wire.ErrKind},
		{"plain short", func(b []byte) error { _, err := ParseDataPlain(b); return err }, codectest.Unhex(t, codectest.Rep("00", 8)), wire.ErrShort},
		{"plain all padding", func(b []byte) error { _, err := ParseDataPlain(b); return err }, codectest.Unhex(t, codectest.Rep("00", 20)), wire.ErrMalformed},
		{"request wrong id", func(b []byte) error { _, err := ParseRequest(b); return err }, codectest.Unhex(t, "02"), wire.ErrKind},
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
