package key

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// ToxIDSize is the length of a Tox ID in bytes: public key, nospam, checksum.
const ToxIDSize = Size + 4 + 2

// Nospam is the 4 opaque bytes that gate friend requests. A friend
// request's nospam must equal them exactly (tox-protocol.md §1).
type Nospam [4]byte

// Uint32 is the big-endian value of the nospam, as tox_self_get_nospam shows it.
func (n Nospam) Uint32() uint32 { return binary.BigEndian.Uint32(n[:]) }

// ToxID is a friend address: long-term public key, nospam and checksum.
type ToxID struct {
	PublicKey PublicKey
	Nospam    Nospam
}

// Errors a bad Tox ID is reported with; each names what is wrong so the
// user can be told.
var (
	ErrIDLength   = errors.New("a Tox ID is 76 hexadecimal characters")
	ErrIDHex      = errors.New("a Tox ID contains only the characters 0-9 and A-F")
	ErrIDChecksum = errors.New("the Tox ID's checksum does not match: a character was mistyped or left out")
)

// Checksum returns the 2-byte checksum of the first 36 bytes of an ID: the
// XOR of its byte pairs.
func (id ToxID) Checksum() [2]byte {
	var c [2]byte
	b := id.bytes36()
	for i, v := range b {
		c[i%2] ^= v
	}
	return c
}

func (id ToxID) bytes36() [36]byte {
	var b [36]byte
	copy(b[:], id.PublicKey[:])
	copy(b[32:], id.Nospam[:])
	return b
}

// Bytes returns the 38-byte wire form.
func (id ToxID) Bytes() [ToxIDSize]byte {
	var out [ToxIDSize]byte
	b := id.bytes36()
	copy(out[:], b[:])
	c := id.Checksum()
	copy(out[36:], c[:])
	return out
}

// String returns the 76 upper-case hex characters users share.
func (id ToxID) String() string {
	b := id.Bytes()
	return upperHex(b[:])
}

// URI returns the ID as a tox: URI, the form qTox and other clients accept.
func (id ToxID) URI() string { return "tox:" + id.String() }

// ParseToxIDBytes parses the 38-byte wire form and verifies its checksum.
func ParseToxIDBytes(b []byte) (ToxID, error) {
	var id ToxID
	if len(b) != ToxIDSize {
		return id, fmt.Errorf("%w (got %d bytes)", ErrIDLength, len(b))
	}
	copy(id.PublicKey[:], b[:Size])
	copy(id.Nospam[:], b[Size:Size+4])
	c := id.Checksum()
	if c[0] != b[36] || c[1] != b[37] {
		return ToxID{}, ErrIDChecksum
	}
	return id, nil
}

// ParseToxID parses a Tox ID as a user might paste it: 76 hex characters in
// any case, optionally behind "tox:" or "tox://", with surrounding spaces.
// The error says what is wrong: length, a non-hex character, or checksum.
// Lengths count characters, not bytes, so a pasted non-ASCII character in an
// otherwise complete ID is reported as that character, not as a length error.
func ParseToxID(s string) (ToxID, error) {
	s = strings.TrimSpace(s)
	if len(s) >= 4 && strings.EqualFold(s[:4], "tox:") {
		s = strings.TrimPrefix(s[4:], "//")
	}
	if n := utf8.RuneCountInString(s); n != 2*ToxIDSize {
		return ToxID{}, fmt.Errorf("%w (got %d)", ErrIDLength, n)
	}
	for _, r := range s {
		if !isHexDigit(r) {
			return ToxID{}, fmt.Errorf("%w (found %q)", ErrIDHex, r)
		}
	}
	var b [ToxIDSize]byte
	if _, err := hex.Decode(b[:], []byte(s)); err != nil {
		// Unreachable after the loop above; kept so a future change cannot
		// turn a decoding failure into a silently zero ID.
		return ToxID{}, fmt.Errorf("%w: %v", ErrIDHex, err)
	}
	return ParseToxIDBytes(b[:])
}

func isHexDigit(r rune) bool {
	return '0' <= r && r <= '9' || 'a' <= r && r <= 'f' || 'A' <= r && r <= 'F'
}
