package store

import (
	"path/filepath"
	"testing"
	"time"

	"parley/net/key"
)

func TestStoreRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "h.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"journal_mode": "wal", "synchronous": "2"} {
		if got, err := s.Pragma(name); err != nil || got != want {
			t.Errorf("PRAGMA %s = %q, %v; want %q", name, got, err, want)
		}
	}
	a, b := key.PublicKey{1}, key.PublicKey{2}
	now := time.UnixMilli(1_700_000_000_000)
	var ids []int64
	for i := range 5 {
		m, err := s.Add(Message{Friend: a, Outgoing: i%2 == 0, Text: string(rune('a' + i)), Time: now.Add(time.Duration(i) * time.Second), State: Queued})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, m.ID)
	}
	if _, err := s.Add(Message{Friend: b, Action: true, Text: "waves", Time: now, State: Received}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetState(ids[0], Delivered); err != nil {
		t.Fatal(err)
	}
	if err := s.SetState(999, Sent); err != ErrNotFound {
		t.Errorf("SetState(999) = %v, want ErrNotFound", err)
	}
	s.Close()

	s, err = Open(path) // history survives reopening
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	page, err := s.Page(a, 0, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(page) != 3 || page[0].Text != "c" || page[2].Text != "e" {
		t.Fatalf("newest page = %+v, want c d e", page)
	}
	older, err := s.Page(a, page[0].ID, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(older) != 2 || older[0].Text != "a" || older[0].State != Delivered || !older[0].Outgoing {
		t.Fatalf("older page = %+v", older)
	}
	if !older[0].Time.Equal(now) {
		t.Errorf("time = %v, want %v", older[0].Time, now)
	}
	q, err := s.Queued(a)
	if err != nil || len(q) != 2 || q[0].Text != "c" {
		t.Fatalf("Queued = %+v, %v; want c and e", q, err)
	}
	latest, err := s.Latest()
	if err != nil {
		t.Fatal(err)
	}
	if latest[a].Text != "e" || latest[b].Text != "waves" || !latest[b].Action {
		t.Errorf("Latest = %+v", latest)
	}
}
