package tcprelay

import (
	"encoding/binary"
	"fmt"

	"parley/net/crypto"
	"parley/net/key"
	"parley/net/wire"
)

// Frame is one frame as it travels on the stream after the handshake:
// length(2, BE) | sealed, where sealed is MAC | ciphertext of one plain
// packet (tox-protocol.md §9). Opening it is Cipher's job.
type Frame struct {
	Sealed []byte
}

// AppendBinary appends the length and the sealed bytes. The sealed part
// must be MinFrameSize..MaxFrameSize bytes.
func (m *Frame) AppendBinary(b []byte) ([]byte, error) {
	if err := checkFrameLen(len(m.Sealed)); err != nil {
		return b, err
	}
	b = binary.BigEndian.AppendUint16(b, uint16(len(m.Sealed)))
	return append(b, m.Sealed...), nil
}

// ParseFrame parses b holding exactly one frame; Sealed is a copy.
func ParseFrame(b []byte) (Frame, error) {
	n, err := ParseFrameHeader(b)
	if err != nil {
		return Frame{}, err
	}
	if err := checkSize("frame", b, FrameHeaderSize+n); err != nil {
		return Frame{}, err
	}
	return Frame{Sealed: append([]byte(nil), b[FrameHeaderSize:]...)}, nil
}

// ParseFrameHeader reads the length at the start of b and checks it: the
// stream reader calls it on the first two bytes to learn how many follow.
func ParseFrameHeader(b []byte) (int, error) {
	if len(b) < FrameHeaderSize {
		return 0, fmt.Errorf("tcprelay: frame header: %w (%d bytes)", wire.ErrShort, len(b))
	}
	n := int(binary.BigEndian.Uint16(b))
	return n, checkFrameLen(n)
}

func checkFrameLen(n int) error {
	switch {
	case n < MinFrameSize:
		return fmt.Errorf("tcprelay: frame: %w (sealed length %d < %d)", wire.ErrShort, n, MinFrameSize)
	case n > MaxFrameSize:
		return fmt.Errorf("tcprelay: frame: %w (sealed length %d > %d)", wire.ErrLong, n, MaxFrameSize)
	}
	return nil
}

// Cipher seals or opens the frames of one direction: secretbox with the
// session key and a nonce that starts at the sender's base nonce and is
// incremented after every frame (tox-protocol.md §9). A connection has two,
// one per direction. Not safe for concurrent use.
type Cipher struct {
	key   crypto.SharedKey
	nonce key.Nonce
}

// NewCipher returns a Cipher for session key k starting at nonce base.
func NewCipher(k crypto.SharedKey, base key.Nonce) *Cipher {
	return &Cipher{key: k, nonce: base}
}

// Nonce returns the nonce the next frame will use.
func (c *Cipher) Nonce() key.Nonce { return c.nonce }

// SealFrame appends one complete frame (length | sealed plain) to dst and
// moves to the next nonce. plain must be at most MaxPlainSize bytes.
func (c *Cipher) SealFrame(dst, plain []byte) ([]byte, error) {
	if len(plain) > MaxPlainSize {
		return dst, fmt.Errorf("tcprelay: seal: %w (%d plain bytes > %d)", wire.ErrLong, len(plain), MaxPlainSize)
	}
	dst = binary.BigEndian.AppendUint16(dst, uint16(len(plain)+crypto.Overhead))
	dst = crypto.SealShared(dst, plain, &c.nonce, &c.key)
	c.nonce.Increment()
	return dst, nil
}

// OpenFrame opens a frame body (the bytes after the length) and appends
// the plain packet to dst. The nonce moves on only when the frame opens;
// a frame that does not open is fatal for the connection anyway.
func (c *Cipher) OpenFrame(dst, sealed []byte) ([]byte, error) {
	if err := checkFrameLen(len(sealed)); err != nil {
		return dst, err
	}
	out, err := crypto.OpenShared(dst, sealed, &c.nonce, &c.key)
	if err != nil {
		return dst, fmt.Errorf("tcprelay: frame: %w", wire.ErrDecrypt)
	}
	c.nonce.Increment()
	return out, nil
}
