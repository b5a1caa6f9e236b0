package outbox

import (
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"

	"parley/net/atomicfile"
	"parley/net/friend"
	"parley/net/key"
)

// Compaction thresholds: the log is rewritten when it holds at least
// CompactMinRecords records and at most a quarter of them are live.
const DefaultCompactMinRecords = 1024

const fileMode fs.FileMode = 0o600

// Options tune an Outbox. Zero values are the defaults.
type Options struct {
	Rand              io.Reader // message ids; nil: crypto/rand
	SeenPerFriend     int       // 0: DefaultSeenPerFriend
	CompactMinRecords int       // 0: DefaultCompactMinRecords
}

// OpenInfo says what Open found.
type OpenInfo struct {
	Records int  // records replayed
	Skipped int  // damaged frames skipped
	Cut     int  // bytes of torn or damaged tail cut off
	Created bool // the file did not exist
}

// Outbox is a Queue kept in a file. Every change is appended and fsynced
// before the method returns. It is not safe for concurrent use: one
// goroutine (the node loop) owns it.
type Outbox struct {
	path    string
	opt     Options
	f       *os.File
	q       *Queue
	records int // records in the file
	info    OpenInfo
	buf     []byte
}

// Open opens (or creates) the outbox file at path and replays it.
func Open(path string, opt Options) (*Outbox, error) {
	if opt.Rand == nil {
		opt.Rand = rand.Reader
	}
	if opt.CompactMinRecords <= 0 {
		opt.CompactMinRecords = DefaultCompactMinRecords
	}
	o := &Outbox{path: path, opt: opt, q: NewQueue(opt.SeenPerFriend)}
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		// Created atomically, so a crash never leaves a file without magic.
		if err := atomicfile.WriteFile(path, []byte(Magic), fileMode); err != nil {
			return nil, fmt.Errorf("outbox: %w", err)
		}
		data = []byte(Magic)
		o.info.Created = true
	case err != nil:
		return nil, fmt.Errorf("outbox: %w", err)
	}
	if err := checkMagic(data); err != nil {
		return nil, fmt.Errorf("outbox %s: %w", path, err)
	}
	s := ScanFrames(data[len(Magic):])
	for _, r := range s.Records {
		o.q.Apply(r)
	}
	o.records = len(s.Records)
	o.info.Records, o.info.Skipped = len(s.Records), s.Skipped
	end := int64(len(Magic) + s.Good)
	o.info.Cut = len(data) - int(end)
	f, err := os.OpenFile(path, os.O_RDWR, fileMode)
	if err != nil {
		return nil, fmt.Errorf("outbox: %w", err)
	}
	if o.info.Cut > 0 {
		// Cut the tail so that new frames follow the last good one.
		if err := f.Truncate(end); err != nil {
			f.Close()
			return nil, fmt.Errorf("outbox: cutting the torn tail of %s: %w", path, err)
		}
		if err := f.Sync(); err != nil {
			f.Close()
			return nil, fmt.Errorf("outbox: %w", err)
		}
	}
	if _, err := f.Seek(end, io.SeekStart); err != nil {
		f.Close()
		return nil, fmt.Errorf("outbox: %w", err)
	}
	o.f = f
	return o, nil
}

// Info says what Open found in the file.
func (o *Outbox) Info() OpenInfo { return o.info }

// Path returns the file's path.
func (o *Outbox) Path() string { return o.path }

// Close closes the file.
func (o *Outbox) Close() error {
	if o.f == nil {
		return nil
	}
	err := o.f.Close()
	o.f = nil
	return err
}

// write appends records as one write and fsyncs; then applies them.
func (o *Outbox) write(recs ...Record) error {
	if o.f == nil {
		return fmt.Errorf("outbox: %s is closed", o.path)
	}
	b := o.buf[:0]
	for i := range recs {
		var err error
		if b, err = AppendFrame(b, &recs[i]); err != nil {
			return fmt.Errorf("outbox: %w", err)
		}
	}
	o.buf = b[:0]
	if _, err := o.f.Write(b); err != nil {
		return fmt.Errorf("outbox: appending to %s: %w", o.path, err)
	}
	if err := o.f.Sync(); err != nil {
		return fmt.Errorf("outbox: syncing %s: %w", o.path, err)
	}
	for _, r := range recs {
		o.q.Apply(r)
	}
	o.records += len(recs)
	return nil
}

// Enqueue stores a message to pk and returns its id once the record is on
// disk (fsynced).
func (o *Outbox) Enqueue(now time.Time, pk key.PublicKey, kind friend.MessageKind, text string) (ID, error) {
	// The message id is 8 random bytes and the outbox id: unique in this
	// file even if the randomness repeats (a seeded test source), and
	// unlikely to collide with another sender's.
	var mid MsgID
	if _, err := io.ReadFull(o.opt.Rand, mid[:8]); err != nil {
		return 0, fmt.Errorf("outbox: message id: %w", err)
	}
	r, err := o.q.NewEnqueue(now, pk, kind, text, mid)
	if err != nil {
		return 0, err
	}
	binary.BigEndian.PutUint64(r.MsgID[8:], uint64(r.ID))
	if err := o.write(r); err != nil {
		return 0, err
	}
	return r.ID, nil
}

// Pending returns the parts to send to pk now, in order.
func (o *Outbox) Pending(pk key.PublicKey) []Part { return o.q.Pending(pk) }

// MarkSent records that a part went out as friend-layer message sid.
func (o *Outbox) MarkSent(id ID, part uint16, sid friend.MessageID) error {
	return o.q.MarkSent(id, part, sid)
}

// Receipt records the receipt of friend-layer message sid. It returns the
// message's entry and true if sid was an outbox part (the entry's State
// tells whether the whole message is now delivered).
func (o *Outbox) Receipt(sid friend.MessageID) (Entry, bool, error) {
	r, ok := o.q.Receipt(sid)
	if !ok {
		return Entry{}, false, nil
	}
	if err := o.write(r); err != nil {
		return Entry{}, true, err
	}
	e, _ := o.q.Entry(r.ID)
	return e, true, o.maybeCompact()
}

// LinkLost makes every unreceipted part sent to pk pending again.
func (o *Outbox) LinkLost(pk key.PublicKey) { o.q.LinkLost(pk) }

// List returns pk's messages in order (every friend's when pk is zero).
func (o *Outbox) List(pk key.PublicKey) []Entry { return o.q.List(pk) }

// Seen reports whether pk's part (msgID, part) was delivered already.
func (o *Outbox) Seen(pk key.PublicKey, msgID MsgID, part uint16) bool {
	return o.q.Seen(pk, msgID, part)
}

// MarkSeen stores that pk's part (msgID, part) was delivered.
func (o *Outbox) MarkSeen(pk key.PublicKey, msgID MsgID, part uint16) error {
	if o.q.Seen(pk, msgID, part) {
		return nil
	}
	if err := o.write(Record{Type: RecSeen, Friend: pk, MsgID: msgID, Part: part}); err != nil {
		return err
	}
	return o.maybeCompact()
}

func (o *Outbox) maybeCompact() error {
	if o.records < o.opt.CompactMinRecords {
		return nil
	}
	live := o.q.Live()
	if len(live)*4 > o.records {
		return nil
	}
	return o.compact(live)
}

// Compact rewrites the file with the live records only, atomically.
func (o *Outbox) Compact() error { return o.compact(o.q.Live()) }

func (o *Outbox) compact(live []Record) error {
	b := []byte(Magic)
	for i := range live {
		var err error
		if b, err = AppendFrame(b, &live[i]); err != nil {
			return fmt.Errorf("outbox: %w", err)
		}
	}
	if err := atomicfile.WriteFile(o.path, b, fileMode); err != nil {
		return fmt.Errorf("outbox: compacting: %w", err)
	}
	f, err := os.OpenFile(o.path, os.O_RDWR, fileMode)
	if err != nil {
		return fmt.Errorf("outbox: reopening after compaction: %w", err)
	}
	if _, err := f.Seek(0, io.SeekEnd); err != nil {
		f.Close()
		return fmt.Errorf("outbox: %w", err)
	}
	o.f.Close()
	o.f = f
	o.records = len(live)
	o.q.Compacted()
	return nil
}
