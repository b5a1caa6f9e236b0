package tox

import (
	"encoding/binary"
	"fmt"

	"parley/net/wire"
)

// BOOTSTRAP_INFO (tox-protocol.md §2; c-toxcore other/bootstrap_node_packets.c):
// a request is exactly 78 bytes starting 0xf0 (the rest is padding that
// makes it no amplifier); the reply is 0xf0 | version u32 BE | MOTD (at
// most 256 bytes). tox-bootstrapd answers it; so does `parley node`.
const (
	BootstrapInfoRequestSize = 78
	MaxMOTD                  = 256
	// Version is what Parley reports as its node version: 4 (Parley) then
	// 0.1.0 as three digits each, in the style of tox-bootstrapd's
	// 1000002018 (1 = c-toxcore, 0.2.18).
	Version uint32 = 4000000100
)

// IsBootstrapInfoRequest reports whether pkt is a BOOTSTRAP_INFO request.
func IsBootstrapInfoRequest(pkt []byte) bool {
	return len(pkt) == BootstrapInfoRequestSize && wire.Kind(pkt[0]) == wire.KindBootstrapInfo
}

// AppendBootstrapInfo appends the reply carrying version and motd.
func AppendBootstrapInfo(b []byte, version uint32, motd string) ([]byte, error) {
	if len(motd) > MaxMOTD {
		return b, fmt.Errorf("%w: MOTD of %d bytes, at most %d", wire.ErrLong, len(motd), MaxMOTD)
	}
	b = append(b, byte(wire.KindBootstrapInfo))
	b = binary.BigEndian.AppendUint32(b, version)
	return append(b, motd...), nil
}

// ParseBootstrapInfo parses a reply.
func ParseBootstrapInfo(b []byte) (version uint32, motd string, err error) {
	if len(b) < 5 {
		return 0, "", fmt.Errorf("%w: bootstrap info of %d bytes", wire.ErrShort, len(b))
	}
	if wire.Kind(b[0]) != wire.KindBootstrapInfo {
		return 0, "", fmt.Errorf("%w: %v", wire.ErrKind, wire.Kind(b[0]))
	}
	if len(b)-5 > MaxMOTD {
		return 0, "", fmt.Errorf("%w: MOTD of %d bytes", wire.ErrLong, len(b)-5)
	}
	return binary.BigEndian.Uint32(b[1:5]), string(b[5:]), nil
}
