package profile

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
)

// SectionType is the type of a profile section (tox-protocol.md §12.1,
// c-toxcore state.h).
type SectionType uint16

// Section types c-toxcore 0.2.18 writes.
const (
	TypeNospamKeys    SectionType = 1
	TypeDHT           SectionType = 2
	TypeFriends       SectionType = 3
	TypeName          SectionType = 4
	TypeStatusMessage SectionType = 5
	TypeStatus        SectionType = 6
	TypeTCPRelay      SectionType = 10
	TypePathNode      SectionType = 11
	TypeConferences   SectionType = 20 // kept raw in Profile.Other
	TypeEnd           SectionType = 255
)

var typeNames = map[SectionType]string{
	TypeNospamKeys:    "NOSPAMKEYS",
	TypeDHT:           "DHT",
	TypeFriends:       "FRIENDS",
	TypeName:          "NAME",
	TypeStatusMessage: "STATUSMESSAGE",
	TypeStatus:        "STATUS",
	TypeTCPRelay:      "TCP_RELAY",
	TypePathNode:      "PATH_NODE",
	TypeConferences:   "CONFERENCES",
	TypeEnd:           "END",
}

func (t SectionType) String() string {
	if n, ok := typeNames[t]; ok {
		return n
	}
	return fmt.Sprintf("type %d", uint16(t))
}

// known reports whether Parley decodes sections of type t (END aside).
func (t SectionType) known() bool {
	switch t {
	case TypeNospamKeys, TypeDHT, TypeFriends, TypeName, TypeStatusMessage,
		TypeStatus, TypeTCPRelay, TypePathNode:
		return true
	}
	return false
}

// knownOrder is the order libtoxcore writes the known sections in; a new
// profile uses it.
var knownOrder = []SectionType{
	TypeNospamKeys, TypeDHT, TypeFriends, TypeName, TypeStatusMessage,
	TypeStatus, TypeTCPRelay, TypePathNode,
}

// Framing constants (tox-protocol.md §12.1).
const (
	fileCookie    = 0x15ed1b1f // second u32 of the file header
	sectionCookie = 0x01ce     // high half of a section's type word
	headerSize    = 8          // file header, and also a section header
)

// Section is a section Parley does not interpret, kept byte for byte.
type Section struct {
	Type SectionType
	Data []byte
}

// appendHeader appends a section header: length u32 LE, then the u32 LE
// (cookie << 16) | type.
func appendHeader(b []byte, cookie uint16, t uint16, length int) []byte {
	b = binary.LittleEndian.AppendUint32(b, uint32(length))
	return binary.LittleEndian.AppendUint32(b, uint32(cookie)<<16|uint32(t))
}

// appendSection appends one framed section.
func appendSection(b []byte, t SectionType, data []byte) ([]byte, error) {
	if uint64(len(data)) > math.MaxUint32 {
		return b, invalid(t, "%d bytes do not fit a section", len(data))
	}
	b = appendHeader(b, sectionCookie, uint16(t), len(data))
	return append(b, data...), nil
}

// rawSection is a section as found by walk: its type, the offset of its
// data in the file and the data itself.
type rawSection struct {
	typ  SectionType
	off  int
	data []byte
}

// walk splits a plain profile into its sections, up to END. It returns the
// sections and the offset just after END. It checks the framing only.
func walk(b []byte) ([]rawSection, int, error) {
	var head [headerSize]byte
	binary.LittleEndian.PutUint32(head[4:], fileCookie)
	if len(b) < headerSize {
		if bytes.HasPrefix(head[:], b) {
			return nil, 0, truncated(0, len(b), "%d bytes, a profile has at least %d", len(b), 2*headerSize)
		}
		return nil, 0, fmt.Errorf("%w: no profile header", ErrNotProfile)
	}
	if !bytes.Equal(b[:headerSize], head[:]) {
		return nil, 0, fmt.Errorf("%w: no profile header (%x)", ErrNotProfile, b[:headerSize])
	}
	var out []rawSection
	off := headerSize
	for {
		if len(b)-off < headerSize {
			return nil, 0, truncated(0, off, "the file ends before its END section")
		}
		length := binary.LittleEndian.Uint32(b[off:])
		word := binary.LittleEndian.Uint32(b[off+4:])
		t := SectionType(word & 0xffff)
		if cookie := word >> 16; cookie != sectionCookie {
			return nil, 0, corrupt(t, off, "section header has cookie %#04x, want %#04x", cookie, sectionCookie)
		}
		data := off + headerSize
		if uint64(length) > uint64(len(b)-data) {
			return nil, 0, truncated(t, off, "section of %d bytes, only %d left in the file", length, len(b)-data)
		}
		if t == TypeEnd {
			if length != 0 {
				return nil, 0, corrupt(t, off, "END section has length %d, want 0", length)
			}
			return out, data, nil
		}
		out = append(out, rawSection{typ: t, off: data, data: b[data : data+int(length)]})
		off = data + int(length)
	}
}
