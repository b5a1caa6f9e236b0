package store

import (
	"database/sql"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"parley/net/key"
)

// TestUnreadSurvivesReopen: received messages after the read mark are
// unread, outgoing ones never are, and both survive closing the database.
func TestUnreadSurvivesReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "h.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	a, b := key.PublicKey{1}, key.PublicKey{2}
	now := time.UnixMilli(1_700_000_000_000)
	add := func(s *Store, pk key.PublicKey, out bool) Message {
		t.Helper()
		st := Received
		if out {
			st = Queued
		}
		m, err := s.Add(Message{Friend: pk, Outgoing: out, Text: "x", Time: now, State: st})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	add(s, a, false)
	seen := add(s, a, false)
	add(s, a, true)
	add(s, a, false)
	add(s, b, false)
	if err := s.MarkRead(a, seen.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkRead(a, 1); err != nil { // never moves back
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, upTo, err := s.Unread()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[a] != 1 || got[b] != 1 {
		t.Fatalf("Unread = %v, want a:1 b:1", got)
	}
	if upTo != 5 {
		t.Errorf("Unread upTo = %d, want 5", upTo)
	}
	last := add(s, b, false)
	if err := s.MarkRead(b, last.ID); err != nil {
		t.Fatal(err)
	}
	if got, _, err := s.Unread(); err != nil || len(got) != 1 || got[a] != 1 {
		t.Fatalf("Unread = %v, %v; want a:1", got, err)
	}
}

// TestMigrateVersion1: a database written before the reads table opens,
// keeps its history, counts that history as read, and counts what comes
// after.
func TestMigrateVersion1(t *testing.T) {
	a := key.PublicKey{7}
	s, path := openOldSchema(t, "old.db",
		`CREATE TABLE messages (id INTEGER PRIMARY KEY, friend TEXT NOT NULL, outgoing INTEGER NOT NULL,
			kind INTEGER NOT NULL, text TEXT NOT NULL, time INTEGER NOT NULL, state INTEGER NOT NULL)`,
		`CREATE INDEX messages_friend ON messages(friend, id)`,
		`INSERT INTO messages(friend, outgoing, kind, text, time, state) VALUES('`+a.String()+`', 0, 0, 'old 1', 1, 3)`,
		`INSERT INTO messages(friend, outgoing, kind, text, time, state) VALUES('`+a.String()+`', 0, 0, 'old 2', 2, 3)`,
	)
	page, err := s.Page(a, 0, 10)
	if err != nil || len(page) != 2 || page[1].Text != "old 2" {
		t.Fatalf("history after migration = %+v, %v", page, err)
	}
	if got, _, err := s.Unread(); err != nil || len(got) != 0 {
		t.Fatalf("Unread after migration = %v, %v; want none", got, err)
	}
	if _, err := s.Add(Message{Friend: a, Text: "new", Time: time.UnixMilli(3), State: Received}); err != nil {
		t.Fatal(err)
	}
	s.Close()

	s, err = Open(path) // migrating again is a no-op
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got, _, err := s.Unread(); err != nil || got[a] != 1 {
		t.Fatalf("Unread = %v, %v; want a:1", got, err)
	}
}

// openOldSchema writes a database file named name with the statements of
// an older schema, opens it with Open (which migrates it) and checks that
// it is at the current schema version. It returns the store and the path.
func openOldSchema(t *testing.T, name string, stmts ...string) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range stmts {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if v, err := s.Pragma("user_version"); err != nil || v != strconv.Itoa(schemaVersion) {
		t.Fatalf("user_version = %q, %v", v, err)
	}
	return s, path
}
