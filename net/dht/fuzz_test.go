package dht

import (
	"reflect"
	"testing"
)

// roundTrip checks parse -> append -> parse equality for any input that
// parses; garbage must only make parse fail, never panic.
func roundTrip[T any, P interface {
	*T
	appender
}](t *testing.T, b []byte, parse func([]byte) (T, error)) {
	m, err := parse(b)
	if err != nil {
		return
	}
	out, err := P(&m).AppendBinary(nil)
	if err != nil {
		t.Fatalf("append after parse of %x: %v", b, err)
	}
	m2, err := parse(out)
	if err != nil {
		t.Fatalf("reparse of %x: %v", out, err)
	}
	if !reflect.DeepEqual(m, m2) {
		t.Fatalf("round trip of %x:\n got %+v\nwant %+v", b, m2, m)
	}
}

// seed adds the goldens whose names are listed.
func seed(f *testing.F, names ...string) {
	for _, g := range goldens(f) {
		for _, n := range names {
			if g.name == n {
				f.Add(unhex(f, g.hex))
			}
		}
	}
}

func FuzzParsePacket(f *testing.F) {
	seed(f, "ping packet", "get nodes packet", "send nodes packet")
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, ParsePacket) })
}

func FuzzParsePingPayload(f *testing.F) {
	seed(f, "ping request", "ping response")
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, ParsePingPayload) })
}

func FuzzParseNodesRequest(f *testing.F) {
	seed(f, "get nodes")
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, ParseNodesRequest) })
}

func FuzzParseNodesResponse(f *testing.F) {
	seed(f, "send nodes empty", "send nodes v4 v6")
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, ParseNodesResponse) })
}

func FuzzParseRequest(f *testing.F) {
	seed(f, "request")
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, ParseRequest) })
}

func FuzzParseRequestPayload(f *testing.F) {
	seed(f, "request payload")
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, ParseRequestPayload) })
}

func FuzzParseLANDiscovery(f *testing.F) {
	seed(f, "LAN discovery")
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, ParseLANDiscovery) })
}

func FuzzParseNATPing(f *testing.F) {
	seed(f, "NAT ping response")
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, ParseNATPing) })
}
