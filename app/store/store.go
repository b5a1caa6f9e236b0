package store

import (
	"database/sql"
	"errors"
	"fmt"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"parley/net/key"
)

// State is where a message is in its life.
type State uint8

// Message states. Outgoing messages go Queued → Sent → Delivered (a Receipt
// came back); a lost receipt puts a message back to Queued. Incoming
// messages are Received.
const (
	Queued State = iota
	Sent
	Delivered
	Received
)

// String names the state as the chat shows it.
func (s State) String() string {
	switch s {
	case Queued:
		return "queued"
	case Sent:
		return "sent"
	case Delivered:
		return "delivered"
	case Received:
		return "received"
	}
	return fmt.Sprintf("state-%d", uint8(s))
}

// Message is one row of the history.
type Message struct {
	ID       int64 // assigned by Add
	Friend   key.PublicKey
	Outgoing bool
	Action   bool // a /me action
	Text     string
	Time     time.Time
	State    State
}

// ErrNotFound is returned for a message id the store does not hold.
var ErrNotFound = errors.New("store: no such message")

// Store is an open history database.
type Store struct {
	db *sql.DB
}

const schema = `
CREATE TABLE IF NOT EXISTS messages (
	id INTEGER PRIMARY KEY,
	friend TEXT NOT NULL,
	outgoing INTEGER NOT NULL,
	kind INTEGER NOT NULL,
	text TEXT NOT NULL,
	time INTEGER NOT NULL,
	state INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS messages_friend ON messages(friend, id);
`

// Open opens (creating if needed) the history database at path.
func Open(path string) (*Store, error) {
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=busy_timeout(5000)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("store %s: %w", path, err)
	}
	db.SetMaxOpenConns(1) // one writer; reads are short
	if _, err := db.Exec(schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("store %s: %w", path, err)
	}
	if err := migrate(db); err != nil {
		db.Close()
		return nil, fmt.Errorf("store %s: %w", path, err)
	}
	return &Store{db: db}, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// Pragma returns the value of a PRAGMA (for tests and diagnostics).
func (s *Store) Pragma(name string) (string, error) {
	var v string
	err := s.db.QueryRow("PRAGMA " + name).Scan(&v)
	return v, err
}

// Add stores m durably and returns it with its ID set.
func (s *Store) Add(m Message) (Message, error) {
	kind := 0
	if m.Action {
		kind = 1
	}
	res, err := s.db.Exec(`INSERT INTO messages(friend, outgoing, kind, text, time, state) VALUES(?,?,?,?,?,?)`,
		m.Friend.String(), boolInt(m.Outgoing), kind, m.Text, m.Time.UnixMilli(), int(m.State))
	if err != nil {
		return m, fmt.Errorf("store: add: %w", err)
	}
	if m.ID, err = res.LastInsertId(); err != nil {
		return m, fmt.Errorf("store: add: %w", err)
	}
	return m, nil
}

// SetState changes the state of message id.
func (s *Store) SetState(id int64, st State) error {
	res, err := s.db.Exec(`UPDATE messages SET state=? WHERE id=?`, int(st), id)
	if err != nil {
		return fmt.Errorf("store: set state: %w", err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return ErrNotFound
	}
	return nil
}

// Page returns up to limit messages with friend older than before (an ID;
// 0 means the newest), oldest first: the lazy loading of a chat.
func (s *Store) Page(friend key.PublicKey, before int64, limit int) ([]Message, error) {
	if before <= 0 {
		before = 1<<63 - 1
	}
	rows, err := s.db.Query(`SELECT id, friend, outgoing, kind, text, time, state FROM messages
		WHERE friend=? AND id<? ORDER BY id DESC LIMIT ?`, friend.String(), before, limit)
	if err != nil {
		return nil, fmt.Errorf("store: page: %w", err)
	}
	out, err := scan(rows)
	if err != nil {
		return nil, err
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, nil
}

// Queued returns friend's outgoing messages still waiting to be sent,
// oldest first: the outbox.
func (s *Store) Queued(friend key.PublicKey) ([]Message, error) {
	rows, err := s.db.Query(`SELECT id, friend, outgoing, kind, text, time, state FROM messages
		WHERE friend=? AND outgoing=1 AND state=? ORDER BY id`, friend.String(), int(Queued))
	if err != nil {
		return nil, fmt.Errorf("store: queued: %w", err)
	}
	return scan(rows)
}

// Latest returns the newest message of every friend that has one: the
// previews and activity order of the friend list.
func (s *Store) Latest() (map[key.PublicKey]Message, error) {
	rows, err := s.db.Query(`SELECT id, friend, outgoing, kind, text, time, state FROM messages
		WHERE id IN (SELECT MAX(id) FROM messages GROUP BY friend)`)
	if err != nil {
		return nil, fmt.Errorf("store: latest: %w", err)
	}
	ms, err := scan(rows)
	if err != nil {
		return nil, err
	}
	out := make(map[key.PublicKey]Message, len(ms))
	for _, m := range ms {
		out[m.Friend] = m
	}
	return out, nil
}

func scan(rows *sql.Rows) ([]Message, error) {
	defer rows.Close()
	var out []Message
	for rows.Next() {
		var m Message
		if err := scanMessage(rows, &m); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: scan: %w", err)
	}
	return out, nil
}

// scanMessage reads the columns id, friend, outgoing, kind, text, time,
// state into m, then any extra columns into extra.
func scanMessage(row interface{ Scan(...any) error }, m *Message, extra ...any) error {
	var (
		friend                string
		outgoing, kind, state int
		ms                    int64
	)
	dest := append([]any{&m.ID, &friend, &outgoing, &kind, &m.Text, &ms, &state}, extra...)
	if err := row.Scan(dest...); err != nil {
		return fmt.Errorf("store: scan: %w", err)
	}
	pk, err := key.ParsePublicKey(friend)
	if err != nil {
		return fmt.Errorf("store: message %d: %w", m.ID, err)
	}
	m.Friend, m.Outgoing, m.Action = pk, outgoing == 1, kind == 1
	m.Time, m.State = time.UnixMilli(ms), State(state)
	return nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
