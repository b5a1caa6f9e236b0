package wire_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"net/netip"
	"strings"
	"testing"

	"parley/net/key"
	"parley/net/wire"
)

func unhex(tb testing.TB, s string) []byte {
	tb.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		tb.Fatalf("bad hex in test table %q: %v", s, err)
	}
	return b
}

func pkOf(tb testing.TB, s string) key.PublicKey {
	tb.Helper()
	var k key.PublicKey
	if copy(k[:], unhex(tb, s)) != key.Size {
		tb.Fatalf("test key %q is not 32 bytes", s)
	}
	return k
}

// nodeGoldens were packed by c-toxcore 0.2.18 pack_nodes
// (net/crypto/testdata/vectors.txt has these and more).
var nodeGoldens = []struct {
	name   string
	addr   string
	tcp    bool
	pk     string
	packed string
}{
	{"udp4", "127.0.0.1:33445", false,
		"b42136dca2706e5c2a70a31539c6eb029c9938861dcde80d33255c2ca26b4e5c",
		"02 7f000001 82a5 b42136dca2706e5c2a70a31539c6eb029c9938861dcde80d33255c2ca26b4e5c"},
	{"udp6", "[::1]:33445", false,
		"94ca109aa013f7533bb47a3ca87bf80525f4add94b63596aaac356e3039d2d1a",
		"0a 00000000000000000000000000000001 82a5 94ca109aa013f7533bb47a3ca87bf80525f4add94b63596aaac356e3039d2d1a"},
	{"tcp4", "10.0.0.1:3389", true,
		"816341f088cd39a947310e49f884f21423358d2a5e881dcd4b9da31efb1965f7",
		"82 0a000001 0d3d 816341f088cd39a947310e49f884f21423358d2a5e881dcd4b9da31efb1965f7"},
	{"tcp6", "[2001:db8::1]:33445", true,
		"20457691dc9f94234fe3db092bd388611bff08e080b21afb3159611743211742",
		"8a 20010db8000000000000000000000001 82a5 20457691dc9f94234fe3db092bd388611bff08e080b21afb3159611743211742"},
}

func goldenNode(tb testing.TB, i int) (wire.Node, []byte) {
	tb.Helper()
	g := nodeGoldens[i]
	return wire.Node{PK: pkOf(tb, g.pk), Addr: netip.MustParseAddrPort(g.addr), TCP: g.tcp}, unhex(tb, g.packed)
}

func TestNodeGolden(t *testing.T) {
	for i, g := range nodeGoldens {
		t.Run(g.name, func(t *testing.T) {
			n, packed := goldenNode(t, i)
			got, err := wire.AppendNode(nil, n)
			if err != nil {
				t.Fatalf("AppendNode: %v", err)
			}
			if !bytes.Equal(got, packed) {
				t.Fatalf("AppendNode = %x, want %x", got, packed)
			}
			if n.PackedSize() != len(packed) {
				t.Errorf("PackedSize() = %d, want %d", n.PackedSize(), len(packed))
			}
			back, size, err := wire.ParseNode(packed)
			if err != nil || back != n || size != len(packed) {
				t.Fatalf("ParseNode = %v, %d, %v; want %v, %d", back, size, err, n, len(packed))
			}
		})
	}
}

func TestAppendNodeAppends(t *testing.T) {
	n, packed := goldenNode(t, 0)
	prefix := []byte("prefix")
	got, err := wire.AppendNode(append([]byte(nil), prefix...), n)
	if err != nil {
		t.Fatalf("AppendNode: %v", err)
	}
	if want := append(append([]byte(nil), prefix...), packed...); !bytes.Equal(got, want) {
		t.Fatalf("AppendNode(prefix) = %x, want %x", got, want)
	}
}

func TestAppendNodeIPv4Mapped(t *testing.T) {
	pk := pkOf(t, nodeGoldens[0].pk)
	for _, tcp := range []bool{false, true} {
		n := wire.Node{PK: pk, Addr: netip.MustParseAddrPort("[::ffff:127.0.0.1]:33445"), TCP: tcp}
		got, err := wire.AppendNode(nil, n)
		if err != nil {
			t.Fatalf("AppendNode: %v", err)
		}
		want := unhex(t, nodeGoldens[0].packed)
		if tcp {
			want[0] = wire.FamilyTCP4
		}
		if !bytes.Equal(got, want) {
			t.Errorf("IPv4-mapped (tcp=%v) packed as %x, want IPv4 form %x", tcp, got, want)
		}
		if n.PackedSize() != wire.PackedNode4Size {
			t.Errorf("IPv4-mapped PackedSize() = %d, want %d", n.PackedSize(), wire.PackedNode4Size)
		}
	}

	// A family-10 node carrying an IPv4-mapped address parses as IPv4,
	// as c-toxcore normalises received mapped addresses (tox-protocol.md §2).
	packed := unhex(t, "0a 00000000000000000000ffff7f000001 82a5"+nodeGoldens[0].pk)
	n, size, err := wire.ParseNode(packed)
	if err != nil || size != wire.PackedNode6Size {
		t.Fatalf("ParseNode(mapped) = %v, %d, %v", n, size, err)
	}
	if want := netip.MustParseAddrPort("127.0.0.1:33445"); n.Addr != want || n.TCP {
		t.Errorf("ParseNode(mapped) = %v, want %v over UDP", n, want)
	}
}

func TestAppendNodeInvalid(t *testing.T) {
	for _, n := range []wire.Node{{}, {Addr: netip.AddrPortFrom(netip.Addr{}, 33445), TCP: true}} {
		prefix := []byte{1, 2, 3}
		got, err := wire.AppendNode(prefix, n)
		if !errors.Is(err, wire.ErrMalformed) {
			t.Errorf("AppendNode(%v) error = %v, want ErrMalformed", n, err)
		}
		if !bytes.Equal(got, prefix) {
			t.Errorf("AppendNode(%v) on error returned %x, want the input unchanged", n, got)
		}
	}
	good, _ := goldenNode(t, 0)
	got, err := wire.AppendNodes(nil, []wire.Node{good, {}, good})
	if !errors.Is(err, wire.ErrMalformed) {
		t.Errorf("AppendNodes with a bad node: error = %v, want ErrMalformed", err)
	}
	if len(got) != wire.PackedNode4Size {
		t.Errorf("AppendNodes stopped after %d bytes, want %d (the first node)", len(got), wire.PackedNode4Size)
	}
}

func TestParseNodeBadFamily(t *testing.T) {
	_, packed := goldenNode(t, 1)
	for _, fam := range []byte{0, 1, 3, 4, 6, 9, 11, 12, 13, 14, 128, 129, 131, 137, 139, 255} {
		b := append([]byte{fam}, packed[1:]...)
		if _, _, err := wire.ParseNode(b); !errors.Is(err, wire.ErrMalformed) {
			t.Errorf("family %d: error = %v, want ErrMalformed", fam, err)
		}
	}
}

func TestParseNodeTruncated(t *testing.T) {
	for i, g := range nodeGoldens {
		_, packed := goldenNode(t, i)
		for n := 0; n < len(packed); n++ {
			if _, _, err := wire.ParseNode(packed[:n]); !errors.Is(err, wire.ErrShort) {
				t.Errorf("%s truncated to %d bytes: error = %v, want ErrShort", g.name, n, err)
			}
		}
		// Trailing bytes are left for the caller.
		node, size, err := wire.ParseNode(append(packed, 0xee, 0xff))
		if err != nil || size != len(packed) {
			t.Errorf("%s with trailing bytes: %v, %d, %v", g.name, node, size, err)
		}
	}
}

func TestParseNodeCopies(t *testing.T) {
	want, packed := goldenNode(t, 3)
	n, _, err := wire.ParseNode(packed)
	if err != nil {
		t.Fatal(err)
	}
	for i := range packed {
		packed[i] = 0
	}
	if n != want {
		t.Fatalf("ParseNode result changed with its input: %v, want %v", n, want)
	}
}

func allGoldenNodes(t testing.TB) ([]wire.Node, []byte) {
	var nodes []wire.Node
	var packed []byte
	for i := range nodeGoldens {
		n, p := goldenNode(t, i)
		nodes = append(nodes, n)
		packed = append(packed, p...)
	}
	return nodes, packed
}

func TestParseNodes(t *testing.T) {
	nodes, packed := allGoldenNodes(t)
	got, err := wire.AppendNodes(nil, nodes)
	if err != nil || !bytes.Equal(got, packed) {
		t.Fatalf("AppendNodes = %x, %v; want %x", got, err, packed)
	}
	for _, max := range []int{0, -1, len(nodes), len(nodes) + 1, 100} {
		back, err := wire.ParseNodes(packed, max)
		if err != nil {
			t.Fatalf("ParseNodes(max %d): %v", max, err)
		}
		if len(back) != len(nodes) {
			t.Fatalf("ParseNodes(max %d) gave %d nodes, want %d", max, len(back), len(nodes))
		}
		for i := range back {
			if back[i] != nodes[i] {
				t.Errorf("ParseNodes(max %d)[%d] = %v, want %v", max, i, back[i], nodes[i])
			}
		}
	}
	for _, max := range []int{1, len(nodes) - 1} {
		if _, err := wire.ParseNodes(packed, max); !errors.Is(err, wire.ErrLong) {
			t.Errorf("ParseNodes(%d nodes, max %d) error = %v, want ErrLong", len(nodes), max, err)
		}
	}
	if got, err := wire.ParseNodes(nil, 4); err != nil || len(got) != 0 {
		t.Errorf("ParseNodes(empty) = %v, %v; want no nodes and no error", got, err)
	}
	if _, err := wire.ParseNodes(packed[:len(packed)-1], 0); !errors.Is(err, wire.ErrShort) {
		t.Errorf("ParseNodes(last node truncated) error = %v, want ErrShort", err)
	}
	if _, err := wire.ParseNodes(append(packed, 0x07), 0); !errors.Is(err, wire.ErrMalformed) {
		t.Errorf("ParseNodes(trailing garbage) error = %v, want ErrMalformed", err)
	}
}

func TestNodeString(t *testing.T) {
	n, _ := goldenNode(t, 0)
	if got, want := n.String(), "B42136DC/udp/127.0.0.1:33445"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	n, _ = goldenNode(t, 3)
	if got, want := n.String(), "20457691/tcp/[2001:db8::1]:33445"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}
