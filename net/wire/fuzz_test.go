package wire_test

import (
	"bytes"
	"errors"
	"testing"

	"parley/net/wire"
)

func isWireError(err error) bool {
	return errors.Is(err, wire.ErrShort) || errors.Is(err, wire.ErrMalformed) || errors.Is(err, wire.ErrLong)
}

// isMappedV6 reports whether a packed node is IPv6-family but carries an
// IPv4-mapped address, which ParseNode unmaps and AppendNode writes as IPv4.
func isMappedV6(b []byte) bool {
	return len(b) >= 17 && b[0]&0x7f == wire.FamilyUDP6 &&
		bytes.Equal(b[1:13], []byte{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff})
}

func FuzzParseNode(f *testing.F) {
	for i := range nodeGoldens {
		_, packed := goldenNode(f, i)
		f.Add(packed)
		f.Add(packed[:len(packed)-1])
	}
	f.Add(unhex(f, "0a 00000000000000000000ffff7f000001 82a5"+nodeGoldens[0].pk))
	f.Add([]byte{})
	f.Add([]byte{0x03})
	f.Fuzz(func(t *testing.T, b []byte) {
		n, size, err := wire.ParseNode(b)
		if err != nil {
			if !isWireError(err) {
				t.Fatalf("ParseNode(%x) error %v wraps no wire sentinel", b, err)
			}
			return
		}
		if size != wire.PackedNode4Size && size != wire.PackedNode6Size || size > len(b) {
			t.Fatalf("ParseNode(%x) took %d bytes of %d", b, size, len(b))
		}
		out, err := wire.AppendNode(nil, n)
		if err != nil {
			t.Fatalf("AppendNode(%v) of a parsed node: %v", n, err)
		}
		if len(out) != n.PackedSize() {
			t.Fatalf("AppendNode wrote %d bytes, PackedSize says %d", len(out), n.PackedSize())
		}
		if !isMappedV6(b) && !bytes.Equal(out, b[:size]) {
			t.Fatalf("re-encoding changed the bytes: %x -> %x", b[:size], out)
		}
		n2, size2, err := wire.ParseNode(out)
		if err != nil || n2 != n || size2 != len(out) {
			t.Fatalf("parse -> append -> parse: %v then %v, %d, %v", n, n2, size2, err)
		}
	})
}

func FuzzParseNodes(f *testing.F) {
	_, all := allGoldenNodes(f)
	f.Add(all, uint8(0))
	f.Add(all, uint8(4))
	f.Add(all, uint8(3))
	f.Add(all[:len(all)-5], uint8(0))
	f.Add(append(all, 0x02), uint8(0))
	f.Add([]byte{}, uint8(4))
	f.Fuzz(func(t *testing.T, b []byte, max uint8) {
		nodes, err := wire.ParseNodes(b, int(max))
		if err != nil {
			if !isWireError(err) {
				t.Fatalf("ParseNodes(%x, %d) error %v wraps no wire sentinel", b, max, err)
			}
			if nodes != nil {
				t.Fatalf("ParseNodes returned %d nodes with its error", len(nodes))
			}
			return
		}
		if max > 0 && len(nodes) > int(max) {
			t.Fatalf("ParseNodes(max %d) returned %d nodes", max, len(nodes))
		}
		out, err := wire.AppendNodes(nil, nodes)
		if err != nil {
			t.Fatalf("AppendNodes of parsed nodes: %v", err)
		}
		if len(out) > len(b) {
			t.Fatalf("re-encoding grew %d bytes to %d", len(b), len(out))
		}
		nodes2, err := wire.ParseNodes(out, int(max))
		if err != nil || len(nodes2) != len(nodes) {
			t.Fatalf("parse -> append -> parse: %d nodes then %d, %v", len(nodes), len(nodes2), err)
		}
		for i := range nodes {
			if nodes[i] != nodes2[i] {
				t.Fatalf("node %d: %v then %v", i, nodes[i], nodes2[i])
			}
		}
	})
}
