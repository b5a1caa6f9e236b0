package session

import (
	"bytes"
	"reflect"
	"testing"

	"parley/net/internal/codectest"
)

// roundTrip is the body of every codec fuzz target: garbage must not
// panic, and whatever parses must encode to something that parses to the
// same value.
func roundTrip[T any](t *testing.T, b []byte, parse func([]byte) (T, error)) {
	v, err := parse(b)
	if err != nil {
		return
	}
	a := any(&v).(codectest.Appender)
	enc, err := a.AppendBinary(nil)
	if err != nil {
		t.Fatalf("append of parsed %+v: %v", v, err)
	}
	back, err := parse(enc)
	if err != nil {
		t.Fatalf("parse of appended %x: %v", enc, err)
	}
	if !reflect.DeepEqual(normal(back), normal(v)) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", back, v)
	}
}

// normal maps an empty Missing list to nil so that DeepEqual compares
// meaning.
func normal(v any) any {
	if r, ok := v.(Request); ok && len(r.Missing) == 0 {
		r.Missing = nil
		return r
	}
	return v
}

func seed(f *testing.F, hexes ...string) {
	for _, h := range hexes {
		f.Add(codectest.Unhex(f, h))
	}
}

func FuzzParseCookieRequest(f *testing.F) {
	seed(f, "18"+codectest.Rep("11", 32)+codectest.Rep("22", 24)+codectest.Rep("33", 88), "18")
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, ParseCookieRequest) })
}

func FuzzParseCookieRequestPlain(f *testing.F) {
	seed(f, codectest.Rep("44", 32)+codectest.Rep("00", 32)+"0102030405060708")
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, ParseCookieRequestPlain) })
}

func FuzzParseCookieResponse(f *testing.F) {
	seed(f, "19"+codectest.Rep("55", 24)+codectest.Rep("66", 136))
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, ParseCookieResponse) })
}

func FuzzParseCookieResponsePlain(f *testing.F) {
	seed(f, codectest.Rep("77", 112)+"000000000000fffe")
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, ParseCookieResponsePlain) })
}

func FuzzParseCookieContents(f *testing.F) {
	seed(f, "000000037e11d600"+codectest.Rep("88", 32)+codectest.Rep("99", 32))
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, ParseCookieContents) })
}

func FuzzParseHandshake(f *testing.F) {
	seed(f, "1a"+codectest.Rep("01", 112)+codectest.Rep("02", 24)+codectest.Rep("03", 248))
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, ParseHandshake) })
}

func FuzzParseHandshakePlain(f *testing.F) {
	seed(f, codectest.Rep("04", 24)+codectest.Rep("05", 32)+codectest.Rep("06", 64)+codectest.Rep("07", 112))
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, ParseHandshakePlain) })
}

func FuzzParseDataPacket(f *testing.F) {
	seed(f, "1bbeef"+codectest.Rep("aa", 25), "1b0000"+codectest.Rep("00", 1397))
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, ParseDataPacket) })
}

func FuzzParseDataPlain(f *testing.F) {
	seed(f, "01020304 0a0b0c0d 0000 406869", "00000007 00000009 00000000 02", "00000000 00000001 01 00 2b")
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, ParseDataPlain) })
}

func FuzzParseRequest(f *testing.F) {
	seed(f, "01", "01 01 02 00 2b 00 00", "01 ff", "01 00 01")
	f.Fuzz(func(t *testing.T, b []byte) {
		roundTrip(t, b, ParseRequest)
		// Stronger: a parsed request encodes to exactly its bytes.
		r, err := ParseRequest(b)
		if err != nil {
			return
		}
		enc, err := r.AppendBinary(nil)
		if err != nil || !bytes.Equal(enc, b) {
			t.Fatalf("request %x re-encoded as %x (%v)", b, enc, err)
		}
	})
}
