package onion

import (
	"errors"
	"net/netip"
	"testing"
	"time"

	"parley/net/wire"
)

func seed(f *testing.F, hexes ...string) {
	for _, h := range hexes {
		f.Add(unhex(f, h))
	}
}

func FuzzParseIPPort(f *testing.F) {
	for _, g := range goldenIPPort {
		seed(f, g.hex)
	}
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, (*ipPort).AppendBinary, parseIPPort) })
}

func FuzzParseOnionRequest(f *testing.F) {
	for _, g := range goldenOnionRequests {
		seed(f, g.hex)
	}
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, (*OnionRequest).AppendBinary, ParseOnionRequest) })
}

func FuzzParseOnionLayer(f *testing.F) {
	for _, g := range goldenOnionLayers {
		seed(f, g.hex)
	}
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, (*OnionLayer).AppendBinary, ParseOnionLayer) })
}

func FuzzParseOnionResponse(f *testing.F) {
	for _, g := range goldenOnionResponses {
		seed(f, g.hex)
	}
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, (*OnionResponse).AppendBinary, ParseOnionResponse) })
}

func FuzzParseReturnPlain(f *testing.F) {
	for _, g := range goldenReturns {
		seed(f, g.hex)
	}
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, (*ReturnPlain).AppendBinary, ParseReturnPlain) })
}

func FuzzParseAnnounceRequest(f *testing.F) {
	seed(f, goldenAnnounceRequest.hex)
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, (*AnnounceRequest).AppendBinary, ParseAnnounceRequest) })
}

func FuzzParseAnnouncePlain(f *testing.F) {
	seed(f, goldenAnnouncePlain.hex)
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, (*AnnouncePlain).AppendBinary, ParseAnnouncePlain) })
}

func FuzzParseAnnounceResponse(f *testing.F) {
	seed(f, goldenAnnounceResponse.hex)
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, (*AnnounceResponse).AppendBinary, ParseAnnounceResponse) })
}

func FuzzParseAnnounceResponsePlain(f *testing.F) {
	for _, g := range goldenAnnounceResponsePlains {
		seed(f, g.hex)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		roundTrip(t, b, (*AnnounceResponsePlain).AppendBinary, ParseAnnounceResponsePlain)
	})
}

func FuzzParseDataRequest(f *testing.F) {
	seed(f, goldenDataRequest.hex)
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, (*DataRequest).AppendBinary, ParseDataRequest) })
}

func FuzzParseDataResponse(f *testing.F) {
	seed(f, goldenDataResponse.hex)
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, (*DataResponse).AppendBinary, ParseDataResponse) })
}

func FuzzParseDataInner(f *testing.F) {
	seed(f, goldenDataInner.hex)
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, (*DataInner).AppendBinary, ParseDataInner) })
}

func FuzzParseFriendRequest(f *testing.F) {
	seed(f, goldenFriendRequest.hex)
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, (*FriendRequest).AppendBinary, ParseFriendRequest) })
}

func FuzzParseDHTPKAnnounce(f *testing.F) {
	for _, g := range goldenDHTPKs {
		seed(f, g.hex)
	}
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, (*DHTPKAnnounce).AppendBinary, ParseDHTPKAnnounce) })
}

func FuzzParseDHTPKRoute(f *testing.F) {
	seed(f, goldenDHTPKRoute.hex)
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, (*DHTPKRoute).AppendBinary, ParseDHTPKRoute) })
}

// FuzzHandlePacket feeds arbitrary datagrams to a node with relay, server
// and client: nothing may panic, and a packet is either handled or
// refused with an error.
func FuzzHandlePacket(f *testing.F) {
	for _, g := range goldenOnionRequests {
		seed(f, g.hex)
	}
	for _, g := range goldenOnionResponses {
		seed(f, g.hex)
	}
	seed(f, goldenAnnounceRequest.hex+rep("66", 177), goldenAnnounceResponse.hex, goldenDataRequest.hex+rep("66", 177), goldenDataResponse.hex)
	o, err := New(Config{
		Self:      pairFrom(f, 1),
		DHT:       pairFrom(f, 2),
		Send:      func(netip.AddrPort, []byte) {},
		Rand:      seededReader(3),
		PathNodes: func(time.Time) []wire.Node { return nil },
	})
	if err != nil {
		f.Fatal(err)
	}
	now := time.Unix(1_700_000_000, 0)
	src := netip.MustParseAddrPort("192.0.2.1:33445")
	f.Fuzz(func(t *testing.T, b []byte) {
		if err := o.HandlePacket(now, src, b); err != nil && !knownReason(err) {
			t.Fatalf("error without a reason: %v", err)
		}
	})
}

// knownReason reports whether err wraps one of the drop reasons callers
// count by.
func knownReason(err error) bool {
	for _, r := range []error{wire.ErrShort, wire.ErrLong, wire.ErrKind, wire.ErrMalformed, wire.ErrDecrypt,
		ErrUnknownSendback, ErrNotAnnounced, ErrBadAddress, ErrReplay, ErrNotFriend, ErrUnhandled, ErrDisabled} {
		if errors.Is(err, r) {
			return true
		}
	}
	return false
}
