package store

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"parley/net/key"
)

// Full-text search. messages_fts is an FTS5 index over messages.text with
// messages as its external content (the text is stored once), kept in sync
// by triggers: a row inserted, deleted, or whose text changes is indexed
// again; a change of state alone does not touch the index. The unicode61
// tokenizer with remove_diacritics 2 folds case and diacritics, so "cafe"
// finds "Café" and "CAFÉ". Every word of a query is a prefix (search.go
// matchQuery); prefix indexes of 1 to 3 characters keep the short prefixes
// of a query being typed as quick as whole words (about 1 ms instead of
// 20+ ms for "t" in 100,000 messages) for about a third more disk.
var ftsSchema = []string{
	`CREATE VIRTUAL TABLE IF NOT EXISTS messages_fts USING fts5(text,
		content='messages', content_rowid='id', prefix='1 2 3',
		tokenize='unicode61 remove_diacritics 2')`,
	`CREATE TRIGGER IF NOT EXISTS messages_fts_insert AFTER INSERT ON messages BEGIN
		INSERT INTO messages_fts(rowid, text) VALUES (new.id, new.text);
	END`,
	`CREATE TRIGGER IF NOT EXISTS messages_fts_delete AFTER DELETE ON messages BEGIN
		INSERT INTO messages_fts(messages_fts, rowid, text) VALUES ('delete', old.id, old.text);
	END`,
	`CREATE TRIGGER IF NOT EXISTS messages_fts_update AFTER UPDATE OF text ON messages BEGIN
		INSERT INTO messages_fts(messages_fts, rowid, text) VALUES ('delete', old.id, old.text);
		INSERT INTO messages_fts(rowid, text) VALUES (new.id, new.text);
	END`,
	// Index the history written before the index existed.
	`INSERT INTO messages_fts(messages_fts) VALUES ('rebuild')`,
}

// Snippet marks: a Hit's Snippet wraps every matched word in MarkStart and
// MarkEnd (control characters, which typed text does not hold).
const (
	MarkStart = "\x02"
	MarkEnd   = "\x03"
)

// snippetTokens is about how many words a snippet shows around the match.
const snippetTokens = 12

// Hit is one search result: the message and a short excerpt of its text
// around the matched words, which are marked with MarkStart and MarkEnd;
// "…" stands for text left out.
type Hit struct {
	Message
	Snippet string
}

// Search finds the messages with friend (the zero key: with everyone)
// whose text holds every word of query, each as a word or the start of
// one, in any case and with or without diacritics; newest first, at most
// limit (limit <= 0: all). Query is plain user text: quotes, operators
// and punctuation in it are searched for as text, never parsed, so no
// input is a syntax error. A query with no words finds nothing.
func (s *Store) Search(friend key.PublicKey, query string, limit int) ([]Hit, error) {
	match := matchQuery(query)
	if match == "" {
		return nil, nil
	}
	if limit <= 0 {
		limit = -1 // SQLite: no limit
	}
	who := ""
	if friend != (key.PublicKey{}) {
		who = friend.String()
	}
	// The index is walked newest first (FTS5 serves ORDER BY rowid DESC
	// itself), so LIMIT stops the walk early and a common word costs no
	// more than a rare one.
	rows, err := s.db.Query(`SELECT m.id, m.friend, m.outgoing, m.kind, m.text, m.time, m.state,
			snippet(messages_fts, 0, ?, ?, '…', ?)
		FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid
		WHERE messages_fts MATCH ? AND (? = '' OR m.friend = ?)
		ORDER BY messages_fts.rowid DESC LIMIT ?`,
		MarkStart, MarkEnd, snippetTokens, match, who, who, limit)
	if err != nil {
		return nil, fmt.Errorf("store: search: %w", err)
	}
	defer rows.Close()
	var out []Hit
	for rows.Next() {
		var h Hit
		if err := scanMessage(rows, &h.Message, &h.Snippet); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: search: %w", err)
	}
	return out, nil
}

// matchQuery turns user text into an FTS5 query: every whitespace-
// separated word becomes a quoted prefix phrase ("word"*, quotes inside
// doubled), all of them required. Words without a letter or digit are left
// out: the tokenizer would make them empty phrases.
func matchQuery(query string) string {
	var b strings.Builder
	for _, w := range strings.Fields(query) {
		if !strings.ContainsFunc(w, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }) {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteByte('"')
		b.WriteString(strings.ReplaceAll(w, `"`, `""`))
		b.WriteString(`"*`)
	}
	return b.String()
}

// Around returns message id of friend's chat with up to before older and
// up to after newer messages, oldest first: the page a search hit opens
// on. It returns ErrNotFound when friend has no message id.
func (s *Store) Around(friend key.PublicKey, id int64, before, after int) ([]Message, error) {
	tx, err := s.db.Begin()
	if err != nil {
		return nil, fmt.Errorf("store: around: %w", err)
	}
	defer tx.Rollback() // read only
	who := friend.String()
	var hit Message
	row := tx.QueryRow(`SELECT id, friend, outgoing, kind, text, time, state FROM messages
		WHERE id=? AND friend=?`, id, who)
	if err := scanMessage(row, &hit); errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	} else if err != nil {
		return nil, fmt.Errorf("store: around: %w", err)
	}
	rows, err := tx.Query(`SELECT id, friend, outgoing, kind, text, time, state FROM messages
		WHERE friend=? AND id<? ORDER BY id DESC LIMIT ?`, who, id, before)
	if err != nil {
		return nil, fmt.Errorf("store: around: %w", err)
	}
	older, err := scan(rows)
	if err != nil {
		return nil, err
	}
	newer, err := pageAfter(tx, who, id, after)
	if err != nil {
		return nil, err
	}
	out := make([]Message, 0, len(older)+1+len(newer))
	for i := len(older) - 1; i >= 0; i-- {
		out = append(out, older[i])
	}
	out = append(out, hit)
	return append(out, newer...), nil
}

// PageAfter returns up to limit messages with friend newer than after (an
// ID), oldest first: the lazy loading of a chat opened on an old message,
// towards the newest.
func (s *Store) PageAfter(friend key.PublicKey, after int64, limit int) ([]Message, error) {
	return pageAfter(s.db, friend.String(), after, limit)
}

func pageAfter(q interface {
	Query(string, ...any) (*sql.Rows, error)
}, friend string, after int64, limit int) ([]Message, error) {
	rows, err := q.Query(`SELECT id, friend, outgoing, kind, text, time, state FROM messages
		WHERE friend=? AND id>? ORDER BY id LIMIT ?`, friend, after, limit)
	if err != nil {
		return nil, fmt.Errorf("store: page after: %w", err)
	}
	return scan(rows)
}
