package onion

import (
	"encoding/hex"
	"net/netip"
	"reflect"
	"strings"
	"testing"

	"parley/net/key"
	"parley/net/wire"
)

// Golden layouts are written out field by field from tox-protocol.md §5,
// independently of the encoders.

func rep(b string, n int) string { return strings.Repeat(b, n) }

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func arr32(v byte) (a [32]byte) {
	for i := range a {
		a[i] = v
	}
	return a
}

func bytesOf(v byte, n int) []byte { return []byte(strings.Repeat(string([]byte{v}), n)) }

var (
	gNonce = key.Nonce([24]byte(bytesOf(0x11, 24)))
	gPK    = key.PublicKey(arr32(0x22))
	gTemp  = key.PublicKey(arr32(0x24))
	gAddr4 = netip.MustParseAddrPort("192.0.2.1:33445")
	gAddr6 = netip.MustParseAddrPort("[2001:db8::1]:443")

	hNonce = rep("11", 24)
	hPK    = rep("22", 32)
	hTemp  = rep("24", 32)
	hIP4   = "02" + "c0000201" + rep("00", 12) + "82a5"
	hIP6   = "0a" + "20010db8000000000000000000000001" + "01bb"
	hNode4 = "02" + "c0000201" + "82a5" + hPK
	hTCP4  = "82" + "c0000201" + "82a5" + hPK
)

// golden checks that m encodes to hexStr and hexStr parses back to m.
func golden[T any](t *testing.T, name string, m T, hexStr string, enc func(*T, []byte) ([]byte, error), parse func([]byte) (T, error)) {
	t.Helper()
	want := unhex(t, hexStr)
	got, err := enc(&m, nil)
	if err != nil {
		t.Fatalf("%s: encode: %v", name, err)
	}
	if hex.EncodeToString(got) != hex.EncodeToString(want) {
		t.Fatalf("%s: encoded\n%x\nwant\n%x", name, got, want)
	}
	back, err := parse(want)
	if err != nil {
		t.Fatalf("%s: parse: %v", name, err)
	}
	if !reflect.DeepEqual(back, m) {
		t.Fatalf("%s: parsed %+v\nwant %+v", name, back, m)
	}
}

// roundTrip is the fuzz property: whatever parses re-encodes, and the
// encoding parses to the same value. Parsers must never panic.
func roundTrip[T any](t *testing.T, b []byte, enc func(*T, []byte) ([]byte, error), parse func([]byte) (T, error)) {
	m, err := parse(b)
	if err != nil {
		return
	}
	b2, err := enc(&m, nil)
	if err != nil {
		t.Fatalf("re-encoding %+v: %v", m, err)
	}
	m2, err := parse(b2)
	if err != nil {
		t.Fatalf("re-parsing %x: %v", b2, err)
	}
	if !reflect.DeepEqual(m, m2) {
		t.Fatalf("round trip changed %+v into %+v", m, m2)
	}
}

type ipPort struct{ netip.AddrPort }

func (a *ipPort) AppendBinary(b []byte) ([]byte, error) { return AppendIPPort(b, a.AddrPort) }
func parseIPPort(b []byte) (ipPort, error) {
	a, err := ParseIPPort(b)
	return ipPort{a}, err
}

var goldenIPPort = []struct {
	name string
	m    ipPort
	hex  string
}{
	{"ipv4", ipPort{gAddr4}, hIP4},
	{"ipv6", ipPort{gAddr6}, hIP6},
	{"ipv4-mapped is written as ipv4", ipPort{netip.MustParseAddrPort("[::ffff:192.0.2.1]:33445")}, hIP4},
}

func TestGoldenIPPort(t *testing.T) {
	for _, g := range goldenIPPort[:2] {
		golden(t, g.name, g.m, g.hex, (*ipPort).AppendBinary, parseIPPort)
	}
	b, err := AppendIPPort(nil, goldenIPPort[2].m.AddrPort)
	if err != nil || hex.EncodeToString(b) != goldenIPPort[2].hex {
		t.Fatalf("mapped: %x, %v", b, err)
	}
	// The padding after an IPv4 address is ignored, as in c-toxcore.
	if a, err := ParseIPPort(unhex(t, "02"+"c0000201"+rep("ff", 12)+"82a5")); err != nil || a != gAddr4 {
		t.Fatalf("padded: %v, %v", a, err)
	}
	for _, bad := range []string{"", hIP4[:36], "82" + hIP4[2:], "07" + hIP4[2:]} {
		if _, err := ParseIPPort(unhex(t, bad)); err == nil {
			t.Fatalf("ParseIPPort(%s) accepted", bad)
		}
	}
}

var goldenOnionRequests = []struct {
	name string
	m    OnionRequest
	hex  string
}{
	{"0x80", OnionRequest{Kind: wire.KindOnionSendInitial, Nonce: gNonce, PK: gPK, Sealed: bytesOf(0x33, 170)},
		"80" + hNonce + hPK + rep("33", 170)},
	{"0x81", OnionRequest{Kind: wire.KindOnionSend1, Nonce: gNonce, PK: gPK, Sealed: bytesOf(0x33, 103), Return: bytesOf(0x44, 59)},
		"81" + hNonce + hPK + rep("33", 103) + rep("44", 59)},
	{"0x82", OnionRequest{Kind: wire.KindOnionSend2, Nonce: gNonce, PK: gPK, Sealed: bytesOf(0x33, 36), Return: bytesOf(0x44, 118)},
		"82" + hNonce + hPK + rep("33", 36) + rep("44", 118)},
}

func TestGoldenOnionRequest(t *testing.T) {
	for _, g := range goldenOnionRequests {
		golden(t, g.name, g.m, g.hex, (*OnionRequest).AppendBinary, ParseOnionRequest)
		b := unhex(t, g.hex)
		if _, err := ParseOnionRequest(b[:len(b)-1]); err == nil {
			t.Fatalf("%s: one byte short accepted", g.name)
		}
	}
}

var goldenOnionLayers = []struct {
	name string
	m    OnionLayer
	hex  string
}{
	{"exit layer", OnionLayer{Next: gAddr4, Data: []byte{0x83, 0x55, 0x55, 0x55, 0x55}}, hIP4 + "8355555555"},
	{"ipv6 hop", OnionLayer{Next: gAddr6, Data: append(gPK[:], 0x33)}, hIP6 + hPK + "33"},
}

func TestGoldenOnionLayer(t *testing.T) {
	for _, g := range goldenOnionLayers {
		golden(t, g.name, g.m, g.hex, (*OnionLayer).AppendBinary, ParseOnionLayer)
	}
}

var goldenOnionResponses = []struct {
	name string
	m    OnionResponse
	hex  string
}{
	{"0x8c", OnionResponse{Kind: wire.KindOnionRecv3, Return: bytesOf(0x66, 177), Payload: append([]byte{0x84}, bytesOf(0x77, 10)...)},
		"8c" + rep("66", 177) + "84" + rep("77", 10)},
	{"0x8d", OnionResponse{Kind: wire.KindOnionRecv2, Return: bytesOf(0x66, 118), Payload: []byte{0x86}},
		"8d" + rep("66", 118) + "86"},
	{"0x8e", OnionResponse{Kind: wire.KindOnionRecv1, Return: bytesOf(0x66, 59), Payload: []byte{0x84, 1}},
		"8e" + rep("66", 59) + "8401"},
}

func TestGoldenOnionResponse(t *testing.T) {
	for _, g := range goldenOnionResponses {
		golden(t, g.name, g.m, g.hex, (*OnionResponse).AppendBinary, ParseOnionResponse)
	}
}

var goldenReturns = []struct {
	name string
	m    ReturnPlain
	hex  string
}{
	{"R1 plain", ReturnPlain{Prev: gAddr4}, hIP4},
	{"R2 plain", ReturnPlain{Prev: gAddr4, Inner: bytesOf(0x66, 59)}, hIP4 + rep("66", 59)},
	{"R3 plain", ReturnPlain{Prev: gAddr6, Inner: bytesOf(0x66, 118)}, hIP6 + rep("66", 118)},
}

func TestGoldenReturnPlain(t *testing.T) {
	for _, g := range goldenReturns {
		golden(t, g.name, g.m, g.hex, (*ReturnPlain).AppendBinary, ParseReturnPlain)
	}
}

var goldenAnnounceRequest = struct {
	m   AnnounceRequest
	hex string
}{AnnounceRequest{Nonce: gNonce, SenderPK: gPK, Sealed: [120]byte(bytesOf(0x33, 120))}, "83" + hNonce + hPK + rep("33", 120)}

var goldenAnnouncePlain = struct {
	m   AnnouncePlain
	hex string
}{AnnouncePlain{PingID: arr32(1), SearchPK: arr32(2), DataPK: arr32(3), Sendback: [8]byte{4, 5, 6, 7, 8, 9, 10, 11}},
	rep("01", 32) + rep("02", 32) + rep("03", 32) + "0405060708090a0b"}

var goldenAnnounceResponse = struct {
	m   AnnounceResponse
	hex string
}{AnnounceResponse{Sendback: [8]byte{1, 2, 3, 4, 5, 6, 7, 8}, Nonce: gNonce, Sealed: bytesOf(0x33, 49)},
	"84" + "0102030405060708" + hNonce + rep("33", 49)}

var goldenAnnounceResponsePlains = []struct {
	name string
	m    AnnounceResponsePlain
	hex  string
}{
	{"stored, one node", AnnounceResponsePlain{IsStored: StoredSelf, Key: arr32(1), Nodes: []wire.Node{{PK: gPK, Addr: gAddr4}}},
		"02" + rep("01", 32) + hNode4},
	{"found, no nodes", AnnounceResponsePlain{IsStored: FoundOther, Key: arr32(3)}, "01" + rep("03", 32)},
}

func TestGoldenAnnounce(t *testing.T) {
	golden(t, "0x83", goldenAnnounceRequest.m, goldenAnnounceRequest.hex, (*AnnounceRequest).AppendBinary, ParseAnnounceRequest)
	golden(t, "announce plain", goldenAnnouncePlain.m, goldenAnnouncePlain.hex, (*AnnouncePlain).AppendBinary, ParseAnnouncePlain)
	golden(t, "0x84", goldenAnnounceResponse.m, goldenAnnounceResponse.hex, (*AnnounceResponse).AppendBinary, ParseAnnounceResponse)
	for _, g := range goldenAnnounceResponsePlains {
		golden(t, g.name, g.m, g.hex, (*AnnounceResponsePlain).AppendBinary, ParseAnnounceResponsePlain)
	}
	for _, bad := range []string{
		"03" + rep("01", 32),                  // is_stored 3
		"02" + rep("01", 32) + hTCP4,          // TCP node
		"02" + rep("01", 32) + hNode4[:20],    // cut node
		"02" + rep("01", 32) + rep(hNode4, 5), // 5 nodes
	} {
		if _, err := ParseAnnounceResponsePlain(unhex(t, bad)); err == nil {
			t.Fatalf("accepted %s", bad)
		}
	}
}

var goldenDataRequest = struct {
	m   DataRequest
	hex string
}{DataRequest{Dest: gPK, Nonce: gNonce, TempPK: gTemp, Sealed: bytesOf(0x33, 20)}, "85" + hPK + hNonce + hTemp + rep("33", 20)}

var goldenDataResponse = struct {
	m   DataResponse
	hex string
}{DataResponse{Nonce: gNonce, TempPK: gTemp, Sealed: bytesOf(0x33, 65)}, "86" + hNonce + hTemp + rep("33", 65)}

var goldenDataInner = struct {
	m   DataInner
	hex string
}{DataInner{SenderPK: gPK, Sealed: bytesOf(0x33, 17)}, hPK + rep("33", 17)}

func TestGoldenData(t *testing.T) {
	golden(t, "0x85", goldenDataRequest.m, goldenDataRequest.hex, (*DataRequest).AppendBinary, ParseDataRequest)
	golden(t, "0x86", goldenDataResponse.m, goldenDataResponse.hex, (*DataResponse).AppendBinary, ParseDataResponse)
	golden(t, "data inner", goldenDataInner.m, goldenDataInner.hex, (*DataInner).AppendBinary, ParseDataInner)
}

var goldenFriendRequest = struct {
	m   FriendRequest
	hex string
}{FriendRequest{Nospam: key.Nospam{0xde, 0xad, 0xbe, 0xef}, Message: []byte("hi")}, "20" + "deadbeef" + "6869"}

var goldenDHTPKs = []struct {
	name string
	m    DHTPKAnnounce
	hex  string
}{
	{"with a UDP node and a TCP relay", DHTPKAnnounce{NoReplay: 1_700_000_000, DHTPK: gTemp, Nodes: []wire.Node{{PK: gPK, Addr: gAddr4, TCP: true}, {PK: gPK, Addr: gAddr4}}},
		"9c" + "000000006553f100" + hTemp + hTCP4 + hNode4},
	{"no nodes", DHTPKAnnounce{NoReplay: 1, DHTPK: gTemp}, "9c" + "0000000000000001" + hTemp},
}

var goldenDHTPKRoute = struct {
	m   DHTPKRoute
	hex string
}{DHTPKRoute{SenderPK: gPK, Nonce: gNonce, Sealed: bytesOf(0x33, 57)}, hPK + hNonce + rep("33", 57)}

func TestGoldenPayloads(t *testing.T) {
	golden(t, "friend request", goldenFriendRequest.m, goldenFriendRequest.hex, (*FriendRequest).AppendBinary, ParseFriendRequest)
	for _, g := range goldenDHTPKs {
		golden(t, g.name, g.m, g.hex, (*DHTPKAnnounce).AppendBinary, ParseDHTPKAnnounce)
	}
	golden(t, "routed DHT PK", goldenDHTPKRoute.m, goldenDHTPKRoute.hex, (*DHTPKRoute).AppendBinary, ParseDHTPKRoute)
	long := FriendRequest{Message: make([]byte, MaxFriendRequestMessage+1)}
	if _, err := long.AppendBinary(nil); err == nil {
		t.Fatal("a 1017-byte message encoded")
	}
}
