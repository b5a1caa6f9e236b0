package store

import (
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"parley/net/key"
)

func TestAddBatch(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "h.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	p, err := key.NewPair(nil)
	if err != nil {
		t.Fatal(err)
	}
	ms := make([]Message, 120)
	for i := range ms {
		ms[i] = Message{Friend: p.Public, Text: "m" + strconv.Itoa(i), Time: time.UnixMilli(int64(i)), State: Received, Action: i == 7}
	}
	got, err := s.AddBatch(ms)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 120 || got[0].ID == 0 || got[119].ID <= got[0].ID {
		t.Fatalf("ids %d..%d", got[0].ID, got[len(got)-1].ID)
	}
	page, err := s.Page(p.Public, 0, 50)
	if err != nil {
		t.Fatal(err)
	}
	if len(page) != 50 || page[49].Text != "m119" || page[0].Text != "m70" {
		t.Fatalf("page = %q .. %q", page[0].Text, page[len(page)-1].Text)
	}
	old, err := s.Page(p.Public, got[8].ID, 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(old) != 5 || !old[4].Action || old[4].Text != "m7" {
		t.Fatalf("older page = %+v", old)
	}
}
