package outbox

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"

	"parley/net/wire"
)

// Magic starts every outbox file (version 1).
const Magic = "PRLYOBX\x01"

// frameHeader is length u32 | crc u32.
const frameHeader = 8

// maxFrame bounds a frame's payload: a replayed length above it is garbage.
const maxFrame = enqueueSize + MaxTextLength

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// AppendFrame appends r framed with its length and CRC-32C.
func AppendFrame(b []byte, r *Record) ([]byte, error) {
	start := len(b)
	b = append(b, make([]byte, frameHeader)...)
	b, err := r.AppendBinary(b)
	if err != nil {
		return nil, err
	}
	payload := b[start+frameHeader:]
	binary.BigEndian.PutUint32(b[start:], uint32(len(payload)))
	binary.BigEndian.PutUint32(b[start+4:], crc32.Checksum(payload, castagnoli))
	return b, nil
}

// Scan is what ScanFrames found in a log body.
type Scan struct {
	Records []Record
	// Good is the offset just after the last frame that passed its CRC and
	// parsed: everything after it is a torn or damaged tail.
	Good int
	// Skipped counts whole frames dropped for a CRC or parse error.
	Skipped int
	// Torn is true when the body ended inside a frame.
	Torn bool
}

// ScanFrames reads the frames of b (the file after Magic). It never fails:
// damage shows in Skipped, Torn and Good.
func ScanFrames(b []byte) Scan {
	var s Scan
	off := 0
	for off < len(b) {
		if len(b)-off < frameHeader {
			s.Torn = true
			break
		}
		n := int(binary.BigEndian.Uint32(b[off:]))
		sum := binary.BigEndian.Uint32(b[off+4:])
		if n == 0 || n > maxFrame || n > len(b)-off-frameHeader {
			s.Torn = true // a length we cannot trust: nothing after it can be framed
			break
		}
		payload := b[off+frameHeader : off+frameHeader+n]
		off += frameHeader + n
		if crc32.Checksum(payload, castagnoli) != sum {
			s.Skipped++
			continue
		}
		r, err := ParseRecord(payload)
		if err != nil {
			s.Skipped++
			continue
		}
		s.Records = append(s.Records, r)
		s.Good = off
	}
	return s
}

// checkMagic checks a file's first bytes.
func checkMagic(b []byte) error {
	if len(b) < len(Magic) {
		return fmt.Errorf("%w: outbox file of %d bytes", wire.ErrShort, len(b))
	}
	if string(b[:len(Magic)]) != Magic {
		return fmt.Errorf("%w: not an outbox file", wire.ErrMalformed)
	}
	return nil
}
