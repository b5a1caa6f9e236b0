package nodes_test

import (
	"net/netip"
	"os"
	"testing"

	"parley/net/key"
	"parley/net/nodes"
	"parley/net/wire"
)

// A node list gives TCP relays: each resolved node whose
// entry names a TCP port, once, at that port, at most max of them.
func TestTCPRelaysFromBootstrapList(t *testing.T) {
	pk := func(b byte) key.PublicKey { var k key.PublicKey; k[0] = b; return k }
	entries := []nodes.Entry{
		{IPv4: "192.0.2.1", Port: 33445, TCPPorts: []uint16{3389, 33445}, PK: pk(1)},
		{IPv4: "192.0.2.2", Port: 33445, PK: pk(2)}, // UDP only
		{IPv4: "192.0.2.3", IPv6: "2001:db8::3", Port: 443, TCPPorts: []uint16{443}, PK: pk(3)},
	}
	resolved := []wire.Node{
		{PK: pk(1), Addr: netip.MustParseAddrPort("192.0.2.1:33445")},
		{PK: pk(2), Addr: netip.MustParseAddrPort("192.0.2.2:33445")},
		{PK: pk(3), Addr: netip.MustParseAddrPort("192.0.2.3:443")},
		{PK: pk(3), Addr: netip.MustParseAddrPort("[2001:db8::3]:443")},
	}
	got := nodes.TCPRelays(entries, resolved, 8, nil)
	want := []wire.Node{
		{PK: pk(1), Addr: netip.MustParseAddrPort("192.0.2.1:3389"), TCP: true},
		{PK: pk(3), Addr: netip.MustParseAddrPort("192.0.2.3:443"), TCP: true},
	}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("relays = %+v, want %+v", got, want)
	}
	if got := nodes.TCPRelays(entries, resolved, 1, nil); len(got) != 1 {
		t.Fatalf("max 1 gave %d relays", len(got))
	}

	b, err := os.ReadFile("../../assets/nodes.json")
	if err != nil {
		t.Fatal(err)
	}
	bundled, err := nodes.ParseJSON(b)
	if err != nil {
		t.Fatal(err)
	}
	res, _ := nodes.Resolve(t.Context(), bundled, false, nil) // IP literals only
	if got := nodes.TCPRelays(bundled, res, 8, nil); len(got) == 0 {
		t.Fatal("the bundled list gives no TCP relay")
	}
}
