// Package store owns the chat history: one SQLite database per profile
// (<profile>.db next to <profile>.tox), written through modernc.org/sqlite,
// a pure-Go driver, so neither the app nor its tests need cgo.
//
// The database runs in WAL mode with synchronous=FULL: Add returns only
// after the row is on disk, and the view model shows a message only after
// Add returned, so a kill -9 never loses a message the user has seen.
//
// Schema (version 3, in PRAGMA user_version):
//
//	messages(id INTEGER PRIMARY KEY, friend TEXT hex public key,
//	         outgoing INTEGER 0/1, kind INTEGER (tox.MessageKind),
//	         text TEXT, time INTEGER Unix ms, state INTEGER (State))
//	index messages_friend(friend, id)
//	reads(friend TEXT PRIMARY KEY, last INTEGER: the newest message id
//	      the user has seen; received messages after it are unread)
//	messages_fts: FTS5 index of messages.text (external content, kept in
//	      sync by triggers; unicode61 tokenizer, diacritics removed)
//
// Version 1 had no reads table; Open migrates it, marking the existing
// history read. Version 2 had no full-text index; Open builds it from the
// existing history (search.go).
//
// A Store is safe for concurrent use (database/sql serialises writers).
package store
