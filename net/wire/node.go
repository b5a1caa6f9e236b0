package wire

import (
	"encoding/binary"
	"fmt"
	"net/netip"

	"parley/net/key"
)

// Family bytes of the packed node format (tox-protocol.md §3.3).
const (
	FamilyUDP4 byte = 2
	FamilyUDP6 byte = 10
	FamilyTCP4 byte = 130
	FamilyTCP6 byte = 138
)

// Packed node sizes.
const (
	PackedNode4Size = 1 + 4 + 2 + key.Size
	PackedNode6Size = 1 + 16 + 2 + key.Size
)

// Node is a DHT node: a DHT public key at an address, reached over UDP or,
// for TCP relays, TCP.
type Node struct {
	PK   key.PublicKey
	Addr netip.AddrPort
	TCP  bool
}

// String formats the node for logs.
func (n Node) String() string {
	proto := "udp"
	if n.TCP {
		proto = "tcp"
	}
	return fmt.Sprintf("%s/%s/%s", n.PK.Short(), proto, n.Addr)
}

// PackedSize returns the bytes AppendNode writes for n.
func (n Node) PackedSize() int {
	if n.Addr.Addr().Unmap().Is4() {
		return PackedNode4Size
	}
	return PackedNode6Size
}

// AppendNode appends n in packed form: family | IP (4 or 16) | port BE | pk.
// IPv4-mapped IPv6 addresses are written as IPv4.
func AppendNode(b []byte, n Node) ([]byte, error) {
	ip := n.Addr.Addr().Unmap()
	if !ip.IsValid() {
		return b, fmt.Errorf("%w: node has no address", ErrMalformed)
	}
	fam := FamilyUDP4
	if ip.Is6() {
		fam = FamilyUDP6
	}
	if n.TCP {
		fam |= 0x80
	}
	b = append(b, fam)
	if ip.Is4() {
		a := ip.As4()
		b = append(b, a[:]...)
	} else {
		a := ip.As16()
		b = append(b, a[:]...)
	}
	b = binary.BigEndian.AppendUint16(b, n.Addr.Port())
	return append(b, n.PK[:]...), nil
}

// AppendNodes appends each node in packed form.
func AppendNodes(b []byte, nodes []Node) ([]byte, error) {
	var err error
	for _, n := range nodes {
		if b, err = AppendNode(b, n); err != nil {
			return b, err
		}
	}
	return b, nil
}

// ParseNode parses one packed node from the front of b and returns it with
// the number of bytes it took.
func ParseNode(b []byte) (Node, int, error) {
	if len(b) < 1 {
		return Node{}, 0, fmt.Errorf("%w: packed node", ErrShort)
	}
	var n Node
	var ipLen int
	switch b[0] {
	case FamilyUDP4, FamilyTCP4:
		ipLen = 4
	case FamilyUDP6, FamilyTCP6:
		ipLen = 16
	default:
		return Node{}, 0, fmt.Errorf("%w: node family %d", ErrMalformed, b[0])
	}
	n.TCP = b[0]&0x80 != 0
	size := 1 + ipLen + 2 + key.Size
	if len(b) < size {
		return Node{}, 0, fmt.Errorf("%w: packed node needs %d bytes, have %d", ErrShort, size, len(b))
	}
	var ip netip.Addr
	if ipLen == 4 {
		ip = netip.AddrFrom4([4]byte(b[1:5]))
	} else {
		ip = netip.AddrFrom16([16]byte(b[1:17])).Unmap()
	}
	port := binary.BigEndian.Uint16(b[1+ipLen:])
	n.Addr = netip.AddrPortFrom(ip, port)
	copy(n.PK[:], b[1+ipLen+2:size])
	return n, size, nil
}

// ParseNodes parses packed nodes until b is used up; at most max nodes
// (max <= 0 means no limit). Trailing bytes that are not a node are an error.
func ParseNodes(b []byte, max int) ([]Node, error) {
	var out []Node
	for len(b) > 0 {
		if max > 0 && len(out) == max {
			return nil, fmt.Errorf("%w: more than %d nodes", ErrLong, max)
		}
		n, size, err := ParseNode(b)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
		b = b[size:]
	}
	return out, nil
}
