package profile

import (
	"encoding/binary"

	"parley/net/wire"
)

// DHT section framing (c-toxcore DHT.c dht_save, tox-protocol.md §12.1).
const (
	dhtCookie      = 0x0159000d // first u32 LE of the section
	dhtSubCookie   = 0x11ce     // high half of a subsection's type word
	dhtTypeNodes   = 4          // subsection of packed nodes
	dhtPrefixBytes = 4
)

// appendDHT appends the DHT section data: the cookie and one NODES
// subsection, as libtoxcore writes it (also when there are no nodes).
func appendDHT(b []byte, nodes []wire.Node) ([]byte, error) {
	packed, err := appendUDPNodes(nil, TypeDHT, nodes)
	if err != nil {
		return b, err
	}
	b = binary.LittleEndian.AppendUint32(b, dhtCookie)
	b = appendHeader(b, dhtSubCookie, dhtTypeNodes, len(packed))
	return append(b, packed...), nil
}

// parseDHT decodes the DHT section data: the nodes of every NODES
// subsection. Like libtoxcore, it treats the section as a hint: when the
// data does not decode it returns no nodes, and the caller keeps the bytes.
func parseDHT(data []byte) []wire.Node {
	if len(data) < dhtPrefixBytes || binary.LittleEndian.Uint32(data) != dhtCookie {
		return nil
	}
	var out []wire.Node
	for rest := data[dhtPrefixBytes:]; len(rest) > 0; {
		if len(rest) < headerSize {
			return nil
		}
		length := binary.LittleEndian.Uint32(rest)
		word := binary.LittleEndian.Uint32(rest[4:])
		if word>>16 != dhtSubCookie || uint64(length) > uint64(len(rest)-headerSize) {
			return nil
		}
		sub := rest[headerSize : headerSize+int(length)]
		rest = rest[headerSize+int(length):]
		if word&0xffff != dhtTypeNodes {
			continue // libtoxcore skips subsections it does not know
		}
		nodes := parseNodes(sub, false)
		if nodes == nil && len(sub) > 0 {
			return nil
		}
		out = append(out, nodes...)
	}
	return out
}

// parseNodes decodes a list of packed nodes, or returns nil if it does not
// decode. TCP families are refused unless tcp: libtoxcore accepts them only
// in TCP_RELAY (DHT.c unpack_nodes with tcp_enabled).
func parseNodes(b []byte, tcp bool) []wire.Node {
	nodes, err := wire.ParseNodes(b, 0)
	if err != nil {
		return nil
	}
	if !tcp {
		for _, n := range nodes {
			if n.TCP {
				return nil
			}
		}
	}
	return nodes
}

// appendUDPNodes appends packed nodes for the DHT and PATH_NODE sections,
// which libtoxcore reads only when no node is a TCP one.
func appendUDPNodes(b []byte, t SectionType, nodes []wire.Node) ([]byte, error) {
	for _, n := range nodes {
		if n.TCP {
			return b, invalid(t, "node %v is a TCP node; libtoxcore would drop the whole list", n)
		}
	}
	return appendNodes(b, t, nodes)
}

// appendNodes appends packed nodes, any family.
func appendNodes(b []byte, t SectionType, nodes []wire.Node) ([]byte, error) {
	b, err := wire.AppendNodes(b, nodes)
	if err != nil {
		return b, invalid(t, "%v", err)
	}
	return b, nil
}
