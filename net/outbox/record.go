package outbox

import (
	"encoding/binary"
	"fmt"
	"time"
	"unicode/utf8"

	"parley/net/friend"
	"parley/net/key"
	"parley/net/wire"
)

// ID names one queued message; IDs grow and are never reused in a file.
type ID uint64

// MsgID is the random 16-byte id a message carries on the wire in
// Parley's message id hint, the same across resends and restarts.
type MsgID [16]byte

// RecordType is the first byte of a record's payload.
type RecordType uint8

// Record types (see the package doc).
const (
	RecEnqueue RecordType = 1
	RecAcked   RecordType = 2
	RecSeen    RecordType = 3
	RecNextID  RecordType = 4
)

// MaxTextLength bounds a queued message (it is split into parts of at most
// friend.MaxMessageLength bytes when sent).
const MaxTextLength = 1 << 20

// Body sizes without the text.
const (
	enqueueSize = 1 + 8 + key.Size + 1 + 16 + 8
	ackedSize   = 1 + 8 + 2
	seenSize    = 1 + key.Size + 16 + 2
	nextIDSize  = 1 + 8
)

// Record is one entry of the log. Which fields count depends on Type.
type Record struct {
	Type   RecordType
	ID     ID                 // Enqueue, Acked; NextID: the next id
	Friend key.PublicKey      // Enqueue, Seen
	Kind   friend.MessageKind // Enqueue
	MsgID  MsgID              // Enqueue, Seen
	Time   time.Time          // Enqueue (stored in Unix nanoseconds)
	Text   string             // Enqueue
	Part   uint16             // Acked, Seen
}

// AppendBinary appends the record's payload to b.
func (r *Record) AppendBinary(b []byte) ([]byte, error) {
	b = append(b, byte(r.Type))
	switch r.Type {
	case RecEnqueue:
		if len(r.Text) == 0 || len(r.Text) > MaxTextLength {
			return nil, fmt.Errorf("%w: text of %d bytes", wire.ErrMalformed, len(r.Text))
		}
		b = binary.BigEndian.AppendUint64(b, uint64(r.ID))
		b = append(b, r.Friend[:]...)
		b = append(b, byte(r.Kind))
		b = append(b, r.MsgID[:]...)
		b = binary.BigEndian.AppendUint64(b, uint64(r.Time.UnixNano()))
		b = append(b, r.Text...)
	case RecAcked:
		b = binary.BigEndian.AppendUint64(b, uint64(r.ID))
		b = binary.BigEndian.AppendUint16(b, r.Part)
	case RecSeen:
		b = append(b, r.Friend[:]...)
		b = append(b, r.MsgID[:]...)
		b = binary.BigEndian.AppendUint16(b, r.Part)
	case RecNextID:
		b = binary.BigEndian.AppendUint64(b, uint64(r.ID))
	default:
		return nil, fmt.Errorf("%w: record type %d", wire.ErrKind, r.Type)
	}
	return b, nil
}

// ParseRecord parses one record payload.
func ParseRecord(b []byte) (Record, error) {
	if len(b) < 1 {
		return Record{}, fmt.Errorf("%w: empty record", wire.ErrShort)
	}
	r := Record{Type: RecordType(b[0])}
	exact := func(n int) error {
		if len(b) < n {
			return fmt.Errorf("%w: record type %d of %d bytes, want %d", wire.ErrShort, r.Type, len(b), n)
		}
		if len(b) > n {
			return fmt.Errorf("%w: record type %d of %d bytes, want %d", wire.ErrLong, r.Type, len(b), n)
		}
		return nil
	}
	switch r.Type {
	case RecEnqueue:
		if len(b) < enqueueSize+1 {
			return Record{}, fmt.Errorf("%w: enqueue record of %d bytes", wire.ErrShort, len(b))
		}
		if len(b) > enqueueSize+MaxTextLength {
			return Record{}, fmt.Errorf("%w: enqueue record of %d bytes", wire.ErrLong, len(b))
		}
		p := b[1:]
		r.ID = ID(binary.BigEndian.Uint64(p))
		copy(r.Friend[:], p[8:])
		r.Kind = friend.MessageKind(p[8+key.Size])
		copy(r.MsgID[:], p[9+key.Size:])
		r.Time = time.Unix(0, int64(binary.BigEndian.Uint64(p[25+key.Size:])))
		r.Text = string(p[33+key.Size:])
		if !r.Kind.Valid() {
			return Record{}, fmt.Errorf("%w: message kind %d", wire.ErrMalformed, r.Kind)
		}
		if !utf8.ValidString(r.Text) {
			return Record{}, fmt.Errorf("%w: text is not UTF-8", wire.ErrMalformed)
		}
	case RecAcked:
		if err := exact(ackedSize); err != nil {
			return Record{}, err
		}
		r.ID = ID(binary.BigEndian.Uint64(b[1:]))
		r.Part = binary.BigEndian.Uint16(b[9:])
	case RecSeen:
		if err := exact(seenSize); err != nil {
			return Record{}, err
		}
		copy(r.Friend[:], b[1:])
		copy(r.MsgID[:], b[1+key.Size:])
		r.Part = binary.BigEndian.Uint16(b[1+key.Size+16:])
	case RecNextID:
		if err := exact(nextIDSize); err != nil {
			return Record{}, err
		}
		r.ID = ID(binary.BigEndian.Uint64(b[1:]))
	default:
		return Record{}, fmt.Errorf("%w: record type %d", wire.ErrKind, r.Type)
	}
	return r, nil
}
