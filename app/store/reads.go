package store

import (
	"database/sql"
	"fmt"

	"parley/net/key"
)

// schemaVersion is the PRAGMA user_version of a current database.
const schemaVersion = 3

// migrations are the steps from each older version: the statements of
// migrations[i] bring a database of version i+1 to version i+2 (a new
// database, version 0, takes them all).
var migrations = [][]string{
	// 1 → 2: a reads table, with every existing message counted as read:
	// history from before the upgrade must not turn into a wall of unread
	// badges.
	{
		`CREATE TABLE IF NOT EXISTS reads (friend TEXT PRIMARY KEY, last INTEGER NOT NULL)`,
		`INSERT OR IGNORE INTO reads(friend, last) SELECT friend, MAX(id) FROM messages GROUP BY friend`,
	},
	// 2 → 3: the full-text index of the history (search.go), built from
	// the existing messages.
	ftsSchema,
}

// migrate brings a database of an older version up to schemaVersion, in
// one transaction.
func migrate(db *sql.DB) error {
	var v int
	if err := db.QueryRow(`PRAGMA user_version`).Scan(&v); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if v >= schemaVersion {
		return nil
	}
	tx, err := db.Begin()
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	var stmts []string
	for _, step := range migrations[max(v, 1)-1:] {
		stmts = append(stmts, step...)
	}
	stmts = append(stmts, fmt.Sprintf(`PRAGMA user_version = %d`, schemaVersion))
	for _, s := range stmts {
		if _, err := tx.Exec(s); err != nil {
			return fmt.Errorf("migrate: %w", rollback(tx.Rollback, err))
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// MarkRead records that the user has seen friend's messages up to the
// message id upTo. The mark never moves back.
func (s *Store) MarkRead(friend key.PublicKey, upTo int64) error {
	_, err := s.db.Exec(`INSERT INTO reads(friend, last) VALUES(?, ?)
		ON CONFLICT(friend) DO UPDATE SET last = MAX(last, excluded.last)`, friend.String(), upTo)
	if err != nil {
		return fmt.Errorf("store: mark read: %w", err)
	}
	return nil
}

// Unread returns, for every friend with any, how many received messages
// came after the friend's read mark: the unread badges at start. upTo is
// the newest message id counted (0 for an empty history), so that a caller
// can count messages added meanwhile on top without counting one twice.
func (s *Store) Unread() (counts map[key.PublicKey]int, upTo int64, err error) {
	tx, err := s.db.Begin()
	if err != nil {
		return nil, 0, fmt.Errorf("store: unread: %w", err)
	}
	defer tx.Rollback() // read only
	if err := tx.QueryRow(`SELECT COALESCE(MAX(id), 0) FROM messages`).Scan(&upTo); err != nil {
		return nil, 0, fmt.Errorf("store: unread: %w", err)
	}
	counts, err = unreadUpTo(tx, upTo)
	return counts, upTo, err
}

func unreadUpTo(tx *sql.Tx, upTo int64) (map[key.PublicKey]int, error) {
	rows, err := tx.Query(`SELECT m.friend, COUNT(*) FROM messages m
		LEFT JOIN reads r ON r.friend = m.friend
		WHERE m.outgoing = 0 AND m.id <= ? AND m.id > COALESCE(r.last, 0)
		GROUP BY m.friend`, upTo)
	if err != nil {
		return nil, fmt.Errorf("store: unread: %w", err)
	}
	defer rows.Close()
	out := make(map[key.PublicKey]int)
	for rows.Next() {
		var (
			friend string
			n      int
		)
		if err := rows.Scan(&friend, &n); err != nil {
			return nil, fmt.Errorf("store: unread: %w", err)
		}
		pk, err := key.ParsePublicKey(friend)
		if err != nil {
			return nil, fmt.Errorf("store: unread: %w", err)
		}
		out[pk] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: unread: %w", err)
	}
	return out, nil
}
