package nodes

import (
	"context"
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"parley/net/key"
	"parley/net/wire"
)

const pkHex = "10C00EB250C3233E343E2AEBA07115A5C28920E9C8D29492F6D00B29049EDC7E"

func TestParseJSON(t *testing.T) {
	doc := `{"last_scan":1,"nodes":[
	 {"ipv4":"tox.example.org","ipv6":"-","port":33445,"tcp_ports":[3389,33445],"public_key":"` + pkHex + `","maintainer":"m","location":"CA","status_udp":true,"last_ping":5},
	 {"ipv4":"1.2.3.4","ipv6":"-","port":33445,"public_key":"nothex"},
	 {"ipv4":"-","ipv6":"-","port":33445,"public_key":"` + pkHex + `"}]}`
	got, err := ParseJSON([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("got %d entries, want 1 (bad key and no address skipped)", len(got))
	}
	e := got[0]
	if e.IPv4 != "tox.example.org" || e.IPv6 != "" || e.Port != 33445 || e.PK.String() != pkHex ||
		!reflect.DeepEqual(e.TCPPorts, []uint16{3389, 33445}) || e.LastPing != 5 {
		t.Fatalf("entry %+v", e)
	}
}

func TestParseJSONErrors(t *testing.T) {
	for _, doc := range []string{"", "{", `{"nodes":[{"ipv4":"1.2.3.4","port":0,"public_key":"` + pkHex + `"}]}`} {
		if _, err := ParseJSON([]byte(doc)); !errors.Is(err, ErrBadEntry) {
			t.Errorf("%q: err %v, want ErrBadEntry", doc, err)
		}
	}
	if got, err := ParseJSON([]byte(`{"nodes":[]}`)); err != nil || len(got) != 0 {
		t.Errorf("empty list: %v %v", got, err)
	}
}

func TestMarshalRoundTrip(t *testing.T) {
	pk, _ := key.ParsePublicKey(pkHex)
	in := []Entry{{IPv4: "1.2.3.4", Port: 33445, PK: pk, TCPPorts: []uint16{443}, LastPing: 9},
		{IPv6: "2001:db8::1", Port: 1, PK: pk}}
	b, err := MarshalJSON(in, 100)
	if err != nil {
		t.Fatal(err)
	}
	out, err := ParseJSON(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(in, out) {
		t.Fatalf("round trip:\n in %+v\nout %+v", in, out)
	}
}

func TestParseArg(t *testing.T) {
	for _, tc := range []struct {
		arg        string
		ipv4, ipv6 string
		port       uint16
	}{
		{"127.0.0.1:33445:" + pkHex, "127.0.0.1", "", 33445},
		{"tox.example.org:1:" + pkHex, "tox.example.org", "", 1},
		{"[::1]:33446:" + pkHex, "", "::1", 33446},
	} {
		e, err := ParseArg(tc.arg)
		if err != nil {
			t.Fatalf("%s: %v", tc.arg, err)
		}
		if e.IPv4 != tc.ipv4 || e.IPv6 != tc.ipv6 || e.Port != tc.port || e.PK.String() != pkHex {
			t.Fatalf("%s: %+v", tc.arg, e)
		}
		back, err := ParseArg(e.String())
		if err != nil || !reflect.DeepEqual(back, e) {
			t.Fatalf("String round trip %q: %+v %v", e.String(), back, err)
		}
	}
	for _, bad := range []string{"", "1.2.3.4", "1.2.3.4:33445", "1.2.3.4:x:" + pkHex, "1.2.3.4:0:" + pkHex, ":1:" + pkHex, "1.2.3.4:1:abc"} {
		if _, err := ParseArg(bad); !errors.Is(err, ErrBadEntry) {
			t.Errorf("%q: err %v, want ErrBadEntry", bad, err)
		}
	}
}

func TestResolve(t *testing.T) {
	pk, _ := key.ParsePublicKey(pkHex)
	entries := []Entry{
		{IPv4: "1.2.3.4", IPv6: "2001:db8::1", Port: 33445, PK: pk},
		{IPv4: "host.example", Port: 1, PK: pk},
		{IPv4: "missing.example", Port: 2, PK: pk},
		{IPv4: "1.2.3.4", Port: 33445, PK: pk}, // duplicate
	}
	lookup := func(_ context.Context, network, host string) ([]netip.Addr, error) {
		if host == "host.example" {
			return []netip.Addr{netip.MustParseAddr("::ffff:5.6.7.8")}, nil
		}
		return nil, errors.New("no such host")
	}
	got, failed := Resolve(context.Background(), entries, false, lookup)
	want := []wire.Node{
		{PK: pk, Addr: netip.MustParseAddrPort("1.2.3.4:33445")},
		{PK: pk, Addr: netip.MustParseAddrPort("5.6.7.8:1")},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v want %v", got, want)
	}
	if len(failed) != 1 || failed[0].IPv4 != "missing.example" {
		t.Fatalf("failed %v", failed)
	}
	got6, _ := Resolve(context.Background(), entries[:1], true, nil)
	if len(got6) != 2 {
		t.Fatalf("ipv6 enabled: %v", got6)
	}
}

func TestCache(t *testing.T) {
	dir := t.TempDir()
	c := Cache{Path: filepath.Join(dir, "nodes.json")}
	if e, err := c.Load(); err != nil || e != nil {
		t.Fatalf("missing cache: %v %v", e, err)
	}
	pk, _ := key.ParsePublicKey(pkHex)
	nodes := []wire.Node{
		{PK: pk, Addr: netip.MustParseAddrPort("1.2.3.4:5")},
		{PK: pk, Addr: netip.MustParseAddrPort("[2001:db8::2]:6")},
		{PK: pk, Addr: netip.MustParseAddrPort("1.2.3.4:7"), TCP: true},
	}
	if err := c.Save(nodes, 42); err != nil {
		t.Fatal(err)
	}
	got, err := c.Load()
	if err != nil {
		t.Fatal(err)
	}
	back, _ := Resolve(context.Background(), got, true, nil)
	if !reflect.DeepEqual(back, nodes[:2]) {
		t.Fatalf("cache round trip %v", back)
	}
	if err := os.WriteFile(c.Path, []byte("{garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Load(); !errors.Is(err, ErrBadEntry) {
		t.Fatalf("corrupt cache: %v", err)
	}
}

func TestBundledListParses(t *testing.T) {
	b, err := os.ReadFile("../../assets/nodes.json")
	if err != nil {
		t.Fatal(err)
	}
	e, err := ParseJSON(b)
	if err != nil || len(e) < 4 {
		t.Fatalf("bundled list: %d entries, %v", len(e), err)
	}
}

func FuzzParseArg(f *testing.F) {
	f.Add("127.0.0.1:33445:" + pkHex)
	f.Add("[::1]:1:" + pkHex)
	f.Fuzz(func(t *testing.T, s string) {
		e, err := ParseArg(s)
		if err != nil {
			return
		}
		back, err := ParseArg(e.String())
		if err != nil || !reflect.DeepEqual(back, e) {
			t.Fatalf("%q -> %q -> %+v %v", s, e.String(), back, err)
		}
	})
}
