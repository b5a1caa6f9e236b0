package tcprelay

import (
	"bytes"
	"errors"
	"reflect"
	"testing"

	"parley/net/internal/codectest"
	"parley/net/key"
	"parley/net/wire"
)

func TestGoldenHandshake(t *testing.T) {
	codectest.Golden(t, "handshake plain", HandshakePlain{
		TempPK: codectest.Fill[key.PublicKey](0x11), BaseNonce: codectest.Fill[key.Nonce](0x22),
	}, codectest.Rep("11", 32)+codectest.Rep("22", 24), ParseHandshakePlain)
	codectest.Golden(t, "client handshake", ClientHandshake{
		PK: codectest.Fill[key.PublicKey](0x01), Nonce: codectest.Fill[key.Nonce](0x02), Sealed: codectest.Fill[[72]byte](0x03),
	}, codectest.Rep("01", 32)+codectest.Rep("02", 24)+codectest.Rep("03", 72), ParseClientHandshake)
	codectest.Golden(t, "server handshake", ServerHandshake{
		Nonce: codectest.Fill[key.Nonce](0x04), Sealed: codectest.Fill[[72]byte](0x05),
	}, codectest.Rep("04", 24)+codectest.Rep("05", 72), ParseServerHandshake)
}

func TestGoldenFrame(t *testing.T) {
	codectest.Golden(t, "frame", Frame{Sealed: codectest.Unhex(t, codectest.Rep("aa", 16)+"0102")}, "0012"+codectest.Rep("aa", 16)+"0102", ParseFrame)
	codectest.Golden(t, "largest frame", Frame{Sealed: codectest.Unhex(t, codectest.Rep("bb", 2048))}, "0800"+codectest.Rep("bb", 2048), ParseFrame)
}

func TestGoldenPackets(t *testing.T) {
	codectest.Golden(t, "routing request", RoutingRequest{PK: codectest.Fill[key.PublicKey](0x33)}, "00"+codectest.Rep("33", 32), ParseRoutingRequest)
	codectest.Golden(t, "routing response", RoutingResponse{ConnID: 16, PK: codectest.Fill[key.PublicKey](0x44)}, "0110"+codectest.Rep("44", 32), ParseRoutingResponse)
	codectest.Golden(t, "routing refused", RoutingResponse{ConnID: 0, PK: codectest.Fill[key.PublicKey](0x44)}, "0100"+codectest.Rep("44", 32), ParseRoutingResponse)
	codectest.Golden(t, "connect notification", ConnectNotification{ConnID: 17}, "0211", ParseConnectNotification)
	codectest.Golden(t, "disconnect notification", DisconnectNotification{ConnID: 255}, "03ff", ParseDisconnectNotification)
	codectest.Golden(t, "ping", Ping{ID: 0x0102030405060708}, "040102030405060708", ParsePing)
	codectest.Golden(t, "ping id 0", Ping{}, "040000000000000000", ParsePing)
	codectest.Golden(t, "pong", Pong{ID: 0xfffefdfcfbfaf9f8}, "05fffefdfcfbfaf9f8", ParsePong)
	codectest.Golden(t, "oob send", OOBSend{Dest: codectest.Fill[key.PublicKey](0x55), Data: []byte("hi")}, "06"+codectest.Rep("55", 32)+"6869", ParseOOBSend)
	codectest.Golden(t, "largest oob send", OOBSend{Dest: codectest.Fill[key.PublicKey](0x55), Data: codectest.Unhex(t, codectest.Rep("01", 1024))}, "06"+codectest.Rep("55", 32)+codectest.Rep("01", 1024), ParseOOBSend)
	codectest.Golden(t, "oob recv", OOBRecv{From: codectest.Fill[key.PublicKey](0x56), Data: []byte{0x18}}, "07"+codectest.Rep("56", 32)+"18", ParseOOBRecv)
	codectest.Golden(t, "onion request", OnionRequest{Nonce: codectest.Fill[key.Nonce](0x66), Payload: codectest.Unhex(t, codectest.Rep("77", 135))}, "08"+codectest.Rep("66", 24)+codectest.Rep("77", 135), ParseOnionRequest)
	codectest.Golden(t, "onion response", OnionResponse{Packet: []byte{0x84, 1, 2}}, "09840102", ParseOnionResponse)
	codectest.Golden(t, "data", Data{ConnID: 32, Payload: []byte("abc")}, "20616263", ParseData)
	codectest.Golden(t, "largest data", Data{ConnID: 255, Payload: codectest.Unhex(t, codectest.Rep("1b", 2031))}, "ff"+codectest.Rep("1b", 2031), ParseData)
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		parse func([]byte) error
		in    string
		want  error
	}{
		{"handshake plain short", errOf(ParseHandshakePlain), codectest.Rep("00", 55), wire.ErrShort},
		{"client handshake long", errOf(ParseClientHandshake), codectest.Rep("00", 129), wire.ErrLong},
		{"server handshake short", errOf(ParseServerHandshake), "", wire.ErrShort},
		{"frame header short", errOf(ParseFrame), "00", wire.ErrShort},
		{"frame under a MAC", errOf(ParseFrame), "000f" + codectest.Rep("00", 15), wire.ErrShort},
		{"frame over 2048", errOf(ParseFrame), "0801" + codectest.Rep("00", 2049), wire.ErrLong},
		{"frame length past the end", errOf(ParseFrame), "0011" + codectest.Rep("00", 16), wire.ErrShort},
		{"frame bytes after the end", errOf(ParseFrame), "0010" + codectest.Rep("00", 17), wire.ErrLong},
		{"routing request short", errOf(ParseRoutingRequest), "00" + codectest.Rep("00", 31), wire.ErrShort},
		{"routing request wrong id", errOf(ParseRoutingRequest), "01" + codectest.Rep("00", 32), wire.ErrKind},
		{"routing response long", errOf(ParseRoutingResponse), "0110" + codectest.Rep("00", 33), wire.ErrLong},
		{"connect for id 15", errOf(ParseConnectNotification), "020f", wire.ErrMalformed},
		{"disconnect for id 0", errOf(ParseDisconnectNotification), "0300", wire.ErrMalformed},
		{"disconnect long", errOf(ParseDisconnectNotification), "031000", wire.ErrLong},
		{"ping short", errOf(ParsePing), "0401", wire.ErrShort},
		{"pong id 0", errOf(ParsePong), "05" + codectest.Rep("00", 8), wire.ErrMalformed},
		{"oob send without data", errOf(ParseOOBSend), "06" + codectest.Rep("00", 32), wire.ErrShort},
		{"oob send over 1024", errOf(ParseOOBSend), "06" + codectest.Rep("00", 32+1025), wire.ErrLong},
		{"oob recv without data", errOf(ParseOOBRecv), "07" + codectest.Rep("00", 32), wire.ErrShort},
		{"onion request 134", errOf(ParseOnionRequest), "08" + codectest.Rep("00", 24+134), wire.ErrShort},
		{"onion request too long", errOf(ParseOnionRequest), "08" + codectest.Rep("00", 24+2008), wire.ErrLong},
		{"onion response empty", errOf(ParseOnionResponse), "09", wire.ErrShort},
		{"data for id 15", errOf(ParseData), "0f01", wire.ErrKind},
		{"data without payload", errOf(ParseData), "10", wire.ErrShort},
		{"data over 2031", errOf(ParseData), "10" + codectest.Rep("00", 2032), wire.ErrLong},
		{"data empty", errOf(ParseData), "", wire.ErrShort},
		{"packet empty", errOf(ParsePacket), "", wire.ErrShort},
		{"packet forward request", errOf(ParsePacket), "0a0102", wire.ErrKind},
		{"packet forwarding", errOf(ParsePacket), "0b0102", wire.ErrKind},
		{"packet id 12", errOf(ParsePacket), "0c0102", wire.ErrKind},
	} {
		if err := tc.parse(codectest.Unhex(t, tc.in)); !errors.Is(err, tc.want) {
			t.Errorf("%s: error %v, want %v", tc.name, err, tc.want)
		}
	}
}

func errOf[T any](parse func([]byte) (T, error)) func([]byte) error {
	return func(b []byte) error { _, err := parse(b); return err }
}

func TestAppendErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    codectest.Appender
		want error
	}{
		{"frame under a MAC", &Frame{Sealed: make([]byte, 15)}, wire.ErrShort},
		{"frame over 2048", &Frame{Sealed: make([]byte, 2049)}, wire.ErrLong},
		{"connect for id 15", &ConnectNotification{ConnID: 15}, wire.ErrMalformed},
		{"disconnect for id 0", &DisconnectNotification{}, wire.ErrMalformed},
		{"pong id 0", &Pong{}, wire.ErrMalformed},
		{"oob send empty", &OOBSend{}, wire.ErrShort},
		{"oob send over 1024", &OOBSend{Data: make([]byte, 1025)}, wire.ErrLong},
		{"oob recv empty", &OOBRecv{}, wire.ErrShort},
		{"onion request short", &OnionRequest{Payload: make([]byte, 134)}, wire.ErrShort},
		{"onion response empty", &OnionResponse{}, wire.ErrShort},
		{"data for id 15", &Data{ConnID: 15, Payload: []byte{1}}, wire.ErrKind},
		{"data empty", &Data{ConnID: 16}, wire.ErrShort},
		{"data over 2031", &Data{ConnID: 16, Payload: make([]byte, 2032)}, wire.ErrLong},
	} {
		b, err := tc.p.AppendBinary([]byte{1, 2})
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: error %v, want %v", tc.name, err, tc.want)
		}
		if !bytes.Equal(b, []byte{1, 2}) {
			t.Errorf("%s: failed append changed the buffer to %x", tc.name, b)
		}
	}
}

// ParsePacket dispatches on the first byte to the typed parsers.
func TestParsePacketDispatch(t *testing.T) {
	for _, p := range []Packet{
		&RoutingRequest{PK: key.PublicKey{1}},
		&RoutingResponse{ConnID: 200, PK: key.PublicKey{2}},
		&ConnectNotification{ConnID: 16},
		&DisconnectNotification{ConnID: 17},
		&Ping{ID: 3}, &Pong{ID: 4},
		&OOBSend{Dest: key.PublicKey{5}, Data: []byte{5}},
		&OOBRecv{From: key.PublicKey{6}, Data: []byte{6}},
		&OnionRequest{Nonce: key.Nonce{7}, Payload: make([]byte, MinOnionRequestPayload)},
		&OnionResponse{Packet: []byte{8}},
		&Data{ConnID: 16, Payload: []byte{9}},
		&Data{ConnID: 255, Payload: []byte{10}},
	} {
		b, err := p.AppendBinary(nil)
		if err != nil {
			t.Fatalf("%T: %v", p, err)
		}
		if PacketID(b[0]) != p.PacketID() {
			t.Errorf("%T: first byte %d, PacketID %d", p, b[0], p.PacketID())
		}
		back, err := ParsePacket(b)
		if err != nil {
			t.Fatalf("%T: %v", p, err)
		}
		if !reflect.DeepEqual(back, p) {
			t.Errorf("ParsePacket(%x) = %#v, want %#v", b, back, p)
		}
	}
}

func TestPacketIDString(t *testing.T) {
	for id, want := range map[PacketID]string{
		IDRoutingRequest: "routing-request", IDOnionResponse: "onion-response",
		IDForwarding: "forwarding", 13: "packet-13", 16: "data", 255: "data",
	} {
		if got := id.String(); got != want {
			t.Errorf("PacketID(%d) = %q, want %q", id, got, want)
		}
	}
}
