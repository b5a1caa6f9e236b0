package tcprelay

import (
	"reflect"
	"testing"

	"parley/net/internal/codectest"
)

// roundTrip is the body of every codec fuzz target: garbage must not
// panic, and whatever parses must encode to exactly the bytes it came from
// (every field is kept, so the encoding is canonical) and parse back to
// the same value.
func roundTrip[T any](t *testing.T, b []byte, parse func([]byte) (T, error)) {
	v, err := parse(b)
	if err != nil {
		return
	}
	enc, err := any(&v).(codectest.Appender).AppendBinary(nil)
	if err != nil {
		t.Fatalf("append of parsed %+v: %v", v, err)
	}
	if string(enc) != string(b) {
		t.Fatalf("parse then append changed the bytes:\n got %x\nwant %x", enc, b)
	}
	back, err := parse(enc)
	if err != nil {
		t.Fatalf("parse of appended %x: %v", enc, err)
	}
	if !reflect.DeepEqual(back, v) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", back, v)
	}
}

func seed(f *testing.F, hexes ...string) {
	for _, h := range hexes {
		f.Add(codectest.Unhex(f, h))
	}
}

func FuzzParseHandshakePlain(f *testing.F) {
	seed(f, codectest.Rep("11", 32)+codectest.Rep("22", 24), codectest.Rep("11", 55))
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, ParseHandshakePlain) })
}

func FuzzParseClientHandshake(f *testing.F) {
	seed(f, codectest.Rep("01", 32)+codectest.Rep("02", 24)+codectest.Rep("03", 72), codectest.Rep("01", 127))
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, ParseClientHandshake) })
}

func FuzzParseServerHandshake(f *testing.F) {
	seed(f, codectest.Rep("04", 24)+codectest.Rep("05", 72), codectest.Rep("04", 97))
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, ParseServerHandshake) })
}

func FuzzParseFrame(f *testing.F) {
	seed(f, "0012"+codectest.Rep("aa", 16)+"0102", "0800"+codectest.Rep("bb", 2048), "000f"+codectest.Rep("cc", 15))
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, ParseFrame) })
}

func FuzzParseRoutingRequest(f *testing.F) {
	seed(f, "00"+codectest.Rep("33", 32), "01"+codectest.Rep("33", 32))
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, ParseRoutingRequest) })
}

func FuzzParseRoutingResponse(f *testing.F) {
	seed(f, "0110"+codectest.Rep("44", 32), "0100"+codectest.Rep("44", 32))
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, ParseRoutingResponse) })
}

func FuzzParseConnectNotification(f *testing.F) {
	seed(f, "0211", "020f")
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, ParseConnectNotification) })
}

func FuzzParseDisconnectNotification(f *testing.F) {
	seed(f, "03ff", "0300")
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, ParseDisconnectNotification) })
}

func FuzzParsePing(f *testing.F) {
	seed(f, "040102030405060708", "040000000000000000")
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, ParsePing) })
}

func FuzzParsePong(f *testing.F) {
	seed(f, "05fffefdfcfbfaf9f8", "050000000000000000")
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, ParsePong) })
}

func FuzzParseOOBSend(f *testing.F) {
	seed(f, "06"+codectest.Rep("55", 32)+"6869", "06"+codectest.Rep("55", 32))
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, ParseOOBSend) })
}

func FuzzParseOOBRecv(f *testing.F) {
	seed(f, "07"+codectest.Rep("56", 32)+"18", "07"+codectest.Rep("56", 32))
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, ParseOOBRecv) })
}

func FuzzParseOnionRequest(f *testing.F) {
	seed(f, "08"+codectest.Rep("66", 24)+codectest.Rep("77", 135), "08"+codectest.Rep("66", 24)+codectest.Rep("77", 134))
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, ParseOnionRequest) })
}

func FuzzParseOnionResponse(f *testing.F) {
	seed(f, "09840102", "09")
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, ParseOnionResponse) })
}

func FuzzParseData(f *testing.F) {
	seed(f, "20616263", "ff"+codectest.Rep("1b", 2031), "0f01")
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, ParseData) })
}

// FuzzParsePacket checks the dispatcher: whatever it accepts re-encodes to
// the same bytes and parses again to an equal packet.
func FuzzParsePacket(f *testing.F) {
	seed(f, "00"+codectest.Rep("33", 32), "0110"+codectest.Rep("44", 32), "0211", "03ff", "040102030405060708",
		"05fffefdfcfbfaf9f8", "06"+codectest.Rep("55", 32)+"6869", "07"+codectest.Rep("56", 32)+"18",
		"08"+codectest.Rep("66", 24)+codectest.Rep("77", 135), "09840102", "20616263", "0b0102")
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := ParsePacket(b)
		if err != nil {
			return
		}
		enc, err := p.AppendBinary(nil)
		if err != nil {
			t.Fatalf("append of parsed %#v: %v", p, err)
		}
		if string(enc) != string(b) {
			t.Fatalf("parse then append changed the bytes:\n got %x\nwant %x", enc, b)
		}
		back, err := ParsePacket(enc)
		if err != nil || !reflect.DeepEqual(back, p) {
			t.Fatalf("round trip: %#v, %v; want %#v", back, err, p)
		}
	})
}

// FuzzSessionReceive feeds arbitrary plain packets, sealed correctly, to an
// established Session: it must never panic, and whenever it keeps the
// connection, what it reports must be consistent with its table.
func FuzzSessionReceive(f *testing.F) {
	seed(f, "0110"+codectest.Rep("44", 32), "0210", "0310", "040102030405060708", "05fffefdfcfbfaf9f8",
		"07"+codectest.Rep("56", 32)+"18", "09840102", "10616263", "0b0102", "00", "20")
	f.Fuzz(func(t *testing.T, plain []byte) {
		s, relaySend, _ := establishedSession(t)
		// Route id 16 so that data and notifications have something to hit.
		for _, p := range []Packet{&RoutingResponse{ConnID: 16, PK: [32]byte{0x44}}, &ConnectNotification{ConnID: 16}} {
			pb, err := p.AppendBinary(nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := s.Receive(sealBody(t, relaySend, pb)); err != nil {
				t.Fatal(err)
			}
		}
		if len(plain) > MaxPlainSize {
			return
		}
		ev, reply, err := s.Receive(sealBody(t, relaySend, plain))
		if err != nil {
			if ev != nil || reply != nil {
				t.Fatalf("error %v with event %+v / reply %+v", err, ev, reply)
			}
			return
		}
		if reply != nil {
			if _, ok := reply.(*Pong); !ok {
				t.Fatalf("reply %T, want only pongs", reply)
			}
		}
	})
}
