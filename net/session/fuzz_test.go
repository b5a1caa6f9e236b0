package session

import (
	"bytes"
	"reflect"
	"testing"
)

// roundTrip is the body of every codec fuzz target: garbage must not
// panic, and whatever parses must encode to something that parses to the
// same value.
func roundTrip[T any](t *testing.T, b []byte, parse func([]byte) (T, error)) {
	v, err := parse(b)
	if err != nil {
		return
	}
	a := any(&v).(appender)
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
		f.Add(unhex(f, h))
	}
}

func FuzzParseCookieRequest(f *testing.F) {
	seed(f, "18"+rep("11", 32)+rep("22", 24)+rep("33", 88), "18")
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, ParseCookieRequest) })
}

func FuzzParseCookieRequestPlain(f *testing.F) {
	seed(f, rep("44", 32)+rep("00", 32)+"0102030405060708")
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, ParseCookieRequestPlain) })
}

func FuzzParseCookieResponse(f *testing.F) {
	seed(f, "19"+rep("55", 24)+rep("66", 136))
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, ParseCookieResponse) })
}

func FuzzParseCookieResponsePlain(f *testing.F) {
	seed(f, rep("77", 112)+"000000000000fffe")
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, ParseCookieResponsePlain) })
}

func FuzzParseCookieContents(f *testing.F) {
	seed(f, "000000037e11d600"+rep("88", 32)+rep("99", 32))
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, ParseCookieContents) })
}

func FuzzParseHandshake(f *testing.F) {
	seed(f, "1a"+rep("01", 112)+rep("02", 24)+rep("03", 248))
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, ParseHandshake) })
}

func FuzzParseHandshakePlain(f *testing.F) {
	seed(f, rep("04", 24)+rep("05", 32)+rep("06", 64)+rep("07", 112))
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, ParseHandshakePlain) })
}

func FuzzParseDataPacket(f *testing.F) {
	seed(f, "1bbeef"+rep("aa", 25), "1b0000"+rep("00", 1397))
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
