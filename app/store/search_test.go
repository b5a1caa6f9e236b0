package store

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"parley/net/key"
)

func openTemp(tb testing.TB) *Store {
	tb.Helper()
	s, err := Open(filepath.Join(tb.TempDir(), "h.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// texts are the hits' message texts, in order.
func texts(hs []Hit) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = h.Text
	}
	return out
}

// checkIndex runs FTS5's own check that the index matches the messages.
func checkIndex(t *testing.T, s *Store) {
	t.Helper()
	if _, err := s.db.Exec(`INSERT INTO messages_fts(messages_fts, rank) VALUES ('integrity-check', 1)`); err != nil {
		t.Fatalf("index out of sync: %v", err)
	}
}

func TestSearch(t *testing.T) {
	s := openTemp(t)
	a, b := key.PublicKey{1}, key.PublicKey{2}
	t0 := time.UnixMilli(1_700_000_000_000)
	var ms []Message
	for i, m := range []struct {
		pk   key.PublicKey
		text string
	}{
		{a, "Café crème, s'il vous plaît"},
		{a, "CAFE AU LAIT later?"},
		{b, "the café is closed"},
		{a, `she said "hello" and left`},
		{a, "send me an e-mail"},
		{a, "日本語のテキスト"},
		{a, "nothing to see"},
		{a, "Ünïcödé naïveté"},
	} {
		ms = append(ms, Message{Friend: m.pk, Text: m.text, Time: t0.Add(time.Duration(i) * time.Minute), State: Received})
	}
	if _, err := s.AddBatch(ms); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		friend key.PublicKey
		query  string
		want   []string
	}{
		{a, "cafe", []string{"CAFE AU LAIT later?", "Café crème, s'il vous plaît"}},
		{a, "  CAFÉ  ", []string{"CAFE AU LAIT later?", "Café crème, s'il vous plaît"}},
		{key.PublicKey{}, "café", []string{"the café is closed", "CAFE AU LAIT later?", "Café crème, s'il vous plaît"}},
		{b, "cafe", []string{"the café is closed"}},
		{a, "caf lai", []string{"CAFE AU LAIT later?"}},             // prefixes, all required
		{a, "creme plait", []string{"Café crème, s'il vous plaît"}}, // diacritics both ways
		{a, "unicode naivete", []string{"Ünïcödé naïveté"}},
		{a, `"hello"`, []string{`she said "hello" and left`}},
		{a, "e-mail", []string{"send me an e-mail"}},
		{a, "日本", []string{"日本語のテキスト"}},
		{a, "zebra", nil},
		{a, "cafe zebra", nil},
		{b, "hello", nil},
	} {
		hs, err := s.Search(c.friend, c.query, 10)
		if err != nil {
			t.Errorf("Search(%q): %v", c.query, err)
			continue
		}
		if got := texts(hs); strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("Search(%q) = %q, want %q", c.query, got, c.want)
		}
	}

	hs, err := s.Search(a, "creme", 10)
	if err != nil || len(hs) != 1 {
		t.Fatalf("Search(creme) = %v, %v", hs, err)
	}
	h := hs[0]
	if h.Friend != a || h.ID != 1 || !h.Time.Equal(t0) || h.State != Received {
		t.Errorf("hit message = %+v", h.Message)
	}
	if want := "Café " + MarkStart + "crème" + MarkEnd + ", s'il vous plaît"; h.Snippet != want {
		t.Errorf("snippet = %q, want %q", h.Snippet, want)
	}

	if hs, err := s.Search(key.PublicKey{}, "cafe", 2); err != nil || len(hs) != 2 || hs[0].Friend != b {
		t.Errorf("limit 2: %q, %v", texts(hs), err)
	}
}

// TestSearchAnyInput: no user input is an FTS5 syntax error.
func TestSearchAnyInput(t *testing.T) {
	s := openTemp(t)
	a := key.PublicKey{1}
	if _, err := s.Add(Message{Friend: a, Text: "AND OR NOT near the (star) * col:text ^caret", Time: time.UnixMilli(1)}); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"", "   ", `"`, `""`, `"unterminated`, "AND", "OR", "NOT", "a OR", "NOT x",
		"NEAR(a b)", "near(", "*", "**", "a*", "-x", "+", "col:text", "text:x", "messages_fts:x", "(", ")",
		"^", "^caret", "{a b}", "'", "a'b", "\\", "%", "_", "\x00", "\x02x\x03", "🙂", "a\tb\nc", "''; DROP TABLE messages; --"} {
		if _, err := s.Search(a, q, 10); err != nil {
			t.Errorf("Search(%q): %v", q, err)
		}
	}
	for q, want := range map[string]int{"and or not": 1, "near star": 1, "(star)": 1, "col:text": 1, "^caret": 1, "*": 0, "": 0} {
		if hs, err := s.Search(a, q, 10); err != nil || len(hs) != want {
			t.Errorf("Search(%q) = %d hits, %v; want %d", q, len(hs), err, want)
		}
	}
	if hs, err := s.Search(a, "star", 0); err != nil || len(hs) != 1 {
		t.Errorf("limit 0 (all): %d hits, %v", len(hs), err)
	}
}

// TestSearchIndexFollows: the triggers keep the index in step with edits
// and deletions of rows, and a change of state leaves it alone.
func TestSearchIndexFollows(t *testing.T) {
	s := openTemp(t)
	a := key.PublicKey{1}
	m, err := s.Add(Message{Friend: a, Text: "first draft", Time: time.UnixMilli(1), State: Queued})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetState(m.ID, Delivered); err != nil {
		t.Fatal(err)
	}
	if hs, err := s.Search(a, "draft", 10); err != nil || len(hs) != 1 || hs[0].State != Delivered {
		t.Fatalf("after SetState: %+v, %v", hs, err)
	}
	if _, err := s.db.Exec(`UPDATE messages SET text='final version' WHERE id=?`, m.ID); err != nil {
		t.Fatal(err)
	}
	if hs, err := s.Search(a, "draft", 10); err != nil || len(hs) != 0 {
		t.Fatalf("old text still found: %q, %v", texts(hs), err)
	}
	if hs, err := s.Search(a, "final", 10); err != nil || len(hs) != 1 {
		t.Fatalf("new text not found: %q, %v", texts(hs), err)
	}
	checkIndex(t, s)
	if _, err := s.db.Exec(`DELETE FROM messages WHERE id=?`, m.ID); err != nil {
		t.Fatal(err)
	}
	if hs, err := s.Search(a, "final", 10); err != nil || len(hs) != 0 {
		t.Fatalf("deleted message found: %q, %v", texts(hs), err)
	}
	checkIndex(t, s)
}

// TestMigrateVersion2: a database written before the search index opens
// with its history indexed, and what is added after is indexed too.
func TestMigrateVersion2(t *testing.T) {
	if len(migrations)+1 != schemaVersion {
		t.Fatalf("%d migrations for schema version %d", len(migrations), schemaVersion)
	}
	a := key.PublicKey{7}
	s, path := openOldSchema(t, "v2.db",
		`CREATE TABLE messages (id INTEGER PRIMARY KEY, friend TEXT NOT NULL, outgoing INTEGER NOT NULL,
			kind INTEGER NOT NULL, text TEXT NOT NULL, time INTEGER NOT NULL, state INTEGER NOT NULL)`,
		`CREATE INDEX messages_friend ON messages(friend, id)`,
		`CREATE TABLE reads (friend TEXT PRIMARY KEY, last INTEGER NOT NULL)`,
		`INSERT INTO messages(friend, outgoing, kind, text, time, state) VALUES('`+a.String()+`', 0, 0, 'Grüße aus Köln', 1, 3)`,
		`INSERT INTO messages(friend, outgoing, kind, text, time, state) VALUES('`+a.String()+`', 1, 0, 'see you in koln', 2, 2)`,
		`INSERT INTO reads(friend, last) VALUES('`+a.String()+`', 1)`,
		`PRAGMA user_version = 2`,
	)
	hs, err := s.Search(a, "KÖLN", 10)
	if err != nil || len(hs) != 2 || hs[0].Text != "see you in koln" || !hs[0].Outgoing {
		t.Fatalf("old history not indexed: %+v, %v", hs, err)
	}
	if got, _, err := s.Unread(); err != nil || got[a] != 0 {
		t.Fatalf("read marks changed by the migration: %v, %v", got, err)
	}
	if _, err := s.Add(Message{Friend: a, Text: "back from Köln", Time: time.UnixMilli(3), State: Received}); err != nil {
		t.Fatal(err)
	}
	checkIndex(t, s)
	s.Close()

	s, err = Open(path) // migrating again is a no-op
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if hs, err := s.Search(a, "koln", 10); err != nil || len(hs) != 3 || hs[0].Text != "back from Köln" {
		t.Fatalf("after reopening: %q, %v", texts(hs), err)
	}
	checkIndex(t, s)
}

func TestAroundAndPageAfter(t *testing.T) {
	s := openTemp(t)
	a, b := key.PublicKey{1}, key.PublicKey{2}
	var ms []Message
	for i := range 30 {
		pk := a
		if i%3 == 2 {
			pk = b
		}
		ms = append(ms, Message{Friend: pk, Text: strconv.Itoa(i), Time: time.UnixMilli(int64(i))})
	}
	got, err := s.AddBatch(ms)
	if err != nil {
		t.Fatal(err)
	}
	ids := func(ms []Message) string {
		var out []string
		for _, m := range ms {
			out = append(out, m.Text)
		}
		return strings.Join(out, " ")
	}
	for _, c := range []struct {
		id            int64
		before, after int
		want          string
	}{
		{got[12].ID, 3, 2, "7 9 10 12 13 15"}, // only a's messages
		{got[0].ID, 3, 2, "0 1 3"},
		{got[28].ID, 2, 5, "25 27 28"},
		{got[12].ID, 0, 0, "12"},
	} {
		around, err := s.Around(a, c.id, c.before, c.after)
		if err != nil || ids(around) != c.want {
			t.Errorf("Around(%d, %d, %d) = %q, %v; want %q", c.id, c.before, c.after, ids(around), err, c.want)
		}
	}
	if _, err := s.Around(a, got[2].ID, 5, 5); !errors.Is(err, ErrNotFound) { // b's message
		t.Errorf("Around(another friend's message) = %v, want ErrNotFound", err)
	}
	if _, err := s.Around(a, 999, 5, 5); !errors.Is(err, ErrNotFound) {
		t.Errorf("Around(999) = %v, want ErrNotFound", err)
	}
	if after, err := s.PageAfter(a, got[24].ID, 3); err != nil || ids(after) != "25 27 28" {
		t.Errorf("PageAfter = %q, %v", ids(after), err)
	}
	if after, err := s.PageAfter(a, got[28].ID, 3); err != nil || len(after) != 0 {
		t.Errorf("PageAfter(newest) = %q, %v", ids(after), err)
	}
}

// benchWords is the vocabulary of the benchmark's history.
var benchWords = strings.Fields(`the a to and of you I it is that in we for on are was this with be have
	not at but so can what just like do know get about me will if one all my they there time
	good think going see how now out up when then no yes well really right here want today
	tomorrow tonight dinner lunch coffee café meeting work home train late sorry thanks great
	okay sure maybe weekend movie music book photo call later soon morning evening night`)

// fillBench stores n messages with 4 friends: sentences of 4..15 words of
// benchWords, and the rare word "zanzibar" in one message of 1,000.
func fillBench(b *testing.B, s *Store, n int) []key.PublicKey {
	friends := []key.PublicKey{{1}, {2}, {3}, {4}}
	t0 := time.UnixMilli(1_700_000_000_000)
	seed := uint32(1)
	next := func() int { seed = seed*1664525 + 1013904223; return int(seed >> 8) }
	const chunk = 10000
	for i := 0; i < n; i += chunk {
		ms := make([]Message, min(chunk, n-i))
		for j := range ms {
			k := i + j
			words := make([]string, 4+next()%12)
			for w := range words {
				words[w] = benchWords[next()%len(benchWords)]
			}
			if k%1000 == 500 {
				words[len(words)/2] = "Zanzibar"
			}
			ms[j] = Message{Friend: friends[k%len(friends)], Outgoing: k%2 == 0, Text: strings.Join(words, " "),
				Time: t0.Add(time.Duration(k) * time.Second), State: Received}
		}
		if _, err := s.AddBatch(ms); err != nil {
			b.Fatal(err)
		}
	}
	return friends
}

// BenchmarkSearch100k searches a history of 100,000 messages with 4
// friends, 100 hits at most, and reports the time of one search
// ("search-us"):
//
//	CGO_ENABLED=0 go test -run '^$' -bench Search100k ./app/store/
//
// The history is written once; "build-s" is the time to write it with
// the index kept by the triggers, and "rebuild-s" the time to build the
// index from scratch, as the migration from version 2 does.
func BenchmarkSearch100k(b *testing.B) {
	path := filepath.Join(b.TempDir(), "h.db")
	s, err := Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	t0 := time.Now()
	friends := fillBench(b, s, 100_000)
	build := time.Since(t0)
	t0 = time.Now()
	if _, err := s.db.Exec(`INSERT INTO messages_fts(messages_fts) VALUES ('rebuild')`); err != nil {
		b.Fatal(err)
	}
	rebuild := time.Since(t0)
	var dbMB float64
	if _, err := s.db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		b.Fatal(err)
	}
	if fi, err := os.Stat(path); err == nil {
		dbMB = float64(fi.Size()) / (1 << 20)
	}
	for _, c := range []struct {
		name   string
		friend key.PublicKey
		query  string
	}{
		{"rare", friends[0], "zanzibar"},
		{"common", friends[0], "the"},
		{"two-words", friends[0], "coffee tomorrow"},
		{"prefix", friends[0], "t"},
		{"all-friends", key.PublicKey{}, "cafe"},
		{"no-match", friends[0], "xylophone"},
	} {
		b.Run(c.name, func(b *testing.B) {
			var hits int
			for b.Loop() {
				hs, err := s.Search(c.friend, c.query, 100)
				if err != nil {
					b.Fatal(err)
				}
				hits = len(hs)
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "search-us")
			b.ReportMetric(float64(hits), "hits")
			b.ReportMetric(build.Seconds(), "build-s")
			b.ReportMetric(rebuild.Seconds(), "rebuild-s")
			b.ReportMetric(dbMB, "db-MB")
		})
	}
}
