package viewmodel

import (
	"strconv"
	"testing"
	"time"

	"parley/app/account"
	"parley/app/store"
	"parley/app/viewmodel/vmtest"
	"parley/net/key"
	"parley/net/tox"
)

// historyVM starts a view model over a history of n messages with friend
// pk ("message i", and "needle i" for every i divisible by 10) and a few
// with another friend, the chat with pk open. The friend is online.
func historyVM(t *testing.T, n int) (*VM, *vmtest.Core, *Queue, key.PublicKey, []store.Message) {
	t.Helper()
	acct, err := account.Create(t.TempDir(), "alice", "")
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(acct.HistoryPath())
	if err != nil {
		t.Fatal(err)
	}
	pk, other := key.PublicKey{1}, key.PublicKey{2}
	t0 := time.UnixMilli(1_700_000_000_000)
	var ms []store.Message
	for i := range n {
		text := "message " + strconv.Itoa(i)
		if i%10 == 0 {
			text = "needle " + strconv.Itoa(i)
		}
		ms = append(ms, store.Message{Friend: pk, Text: text, Time: t0.Add(time.Duration(i) * time.Second), State: store.Received})
		if i%50 == 0 {
			ms = append(ms, store.Message{Friend: other, Text: "needle elsewhere", Time: t0, State: store.Received})
		}
	}
	stored, err := st.AddBatch(ms)
	if err != nil {
		t.Fatal(err)
	}
	var mine []store.Message
	for _, m := range stored {
		if m.Friend == pk {
			mine = append(mine, m)
		}
	}
	prof := acct.Profile()
	core := vmtest.New(prof.Address(), pk, other)
	q := NewQueue()
	vm := New(core, acct, st, Options{Do: q.Do})
	var errs []error
	vm.OnError = func(err error) { errs = append(errs, err) }
	vm.Start()
	t.Cleanup(func() {
		vm.Close()
		if len(errs) > 0 {
			t.Errorf("errors reported: %v", errs)
		}
	})
	core.Emit(tox.FriendEvent{Event: tox.FriendOnline{Friend: pk}})
	if !q.RunUntil(func() bool { f, _ := vm.Friend(pk); return f.Online }, 5*time.Second) {
		t.Fatal("friend not online")
	}
	vm.OpenChat(pk)
	return vm, core, q, pk, mine
}

// search runs vm.Search and waits for its hits.
func search(t *testing.T, vm *VM, q *Queue, query string) []store.Hit {
	t.Helper()
	var hits []store.Hit
	done := false
	vm.Search(query, func(h []store.Hit) { hits, done = h, true })
	if !q.RunUntil(func() bool { return done }, 5*time.Second) {
		t.Fatalf("search %q: no answer", query)
	}
	return hits
}

// checkRun fails unless msgs are consecutive messages of all, in order.
func checkRun(t *testing.T, msgs, all []store.Message) {
	t.Helper()
	if len(msgs) == 0 {
		t.Fatal("no messages loaded")
	}
	start := -1
	for i, m := range all {
		if m.ID == msgs[0].ID {
			start = i
		}
	}
	if start < 0 || start+len(msgs) > len(all) {
		t.Fatalf("loaded %d..%d is not in the history", msgs[0].ID, msgs[len(msgs)-1].ID)
	}
	for i, m := range msgs {
		if m.ID != all[start+i].ID || m.Text != all[start+i].Text {
			t.Fatalf("loaded[%d] = %d %q, want %d %q", i, m.ID, m.Text, all[start+i].ID, all[start+i].Text)
		}
	}
}

func TestSearchOpenChat(t *testing.T) {
	vm, _, q, pk, _ := historyVM(t, 300)
	hits := search(t, vm, q, "NEEDLE")
	if len(hits) != 30 {
		t.Fatalf("%d hits, want 30 (the open chat's only)", len(hits))
	}
	for i, h := range hits {
		if h.Friend != pk || h.Text != "needle "+strconv.Itoa(290-10*i) || h.Snippet == "" {
			t.Fatalf("hit %d = %+v", i, h)
		}
	}
	if hits := search(t, vm, q, "needle 12"); len(hits) != 1 || hits[0].Text != "needle 120" {
		t.Fatalf("needle 12: %+v", hits)
	}
	if hits := search(t, vm, q, "haystack"); hits != nil {
		t.Fatalf("haystack: %+v", hits)
	}
	if hits := search(t, vm, q, `" OR *`); hits != nil {
		t.Fatalf("operators: %+v", hits)
	}

	// Only the last of quick searches is sure to be answered, and the last
	// answer is the last query's.
	var last []store.Hit
	answers := 0
	for _, qu := range []string{"n", "ne", "nee", "needle 29"} {
		vm.Search(qu, func(h []store.Hit) { last = h; answers++ })
	}
	if !q.RunUntil(func() bool { return len(last) == 1 && last[0].Text == "needle 290" }, 5*time.Second) {
		t.Fatalf("last answer = %+v", last)
	}
	q.Run()
	if answers < 1 || answers > 4 || len(last) != 1 {
		t.Fatalf("%d answers, last %+v", answers, last)
	}

	// A search answered after another chat opened gives nothing.
	got := []store.Hit{{}}
	vm.Search("needle", func(h []store.Hit) { got = h })
	vm.OpenChat(key.PublicKey{2})
	if !q.RunUntil(func() bool { return got == nil }, 5*time.Second) {
		t.Fatalf("hits of the old chat delivered: %d", len(got))
	}
	if _, msgs, _ := vm.Chat(); len(msgs) != 6 {
		t.Fatalf("other chat: %d messages", len(msgs))
	}
}

func TestJumpTo(t *testing.T) {
	vm, core, q, pk, all := historyVM(t, 300)
	_, msgs, _ := vm.Chat()
	if len(msgs) != PageSize || vm.HasNewer() || !vm.HasOlder() {
		t.Fatalf("opened with %d, newer %v older %v", len(msgs), vm.HasNewer(), vm.HasOlder())
	}
	changes := 0
	vm.OnChange = func(c Change) {
		if c&ChangedChat != 0 {
			changes++
		}
	}

	// A loaded message: nothing to load.
	if !vm.JumpTo(all[280].ID) || changes != 0 {
		t.Fatalf("jump to a loaded message reloaded (%d changes)", changes)
	}
	// Another friend's message, or none: no jump.
	if vm.JumpTo(1<<40) || vm.JumpTo(all[0].ID+1) { // all[0].ID+1 is the other friend's
		t.Fatal("jumped to a message of no open chat")
	}

	// An old message: the page around it.
	hit := all[120]
	if !vm.JumpTo(hit.ID) || changes != 1 {
		t.Fatalf("JumpTo(%d) failed (%d changes)", hit.ID, changes)
	}
	_, msgs, _ = vm.Chat()
	checkRun(t, msgs, all)
	if len(msgs) != PageSize+1 || msgs[PageSize/2].ID != hit.ID || !vm.HasNewer() || !vm.HasOlder() {
		t.Fatalf("around: %d messages, middle %q, newer %v older %v", len(msgs), msgs[PageSize/2].Text, vm.HasNewer(), vm.HasOlder())
	}

	// A message received meanwhile waits for LoadNewer.
	core.Emit(tox.FriendEvent{Event: tox.MessageReceived{Friend: pk, Text: "live"}})
	if !q.RunUntil(func() bool { f, _ := vm.Friend(pk); return f.Last.Text == "live" }, 5*time.Second) {
		t.Fatal("not received")
	}
	if _, m, _ := vm.Chat(); m[len(m)-1].Text == "live" {
		t.Fatal("a live message appended to an old page")
	}
	if f, _ := vm.Friend(pk); f.Unread != 0 {
		t.Fatalf("unread %d in the open chat", f.Unread)
	}

	// Older and newer pages load around it, without gaps or doubles.
	vm.LoadOlder()
	for range 10 {
		vm.LoadNewer()
	}
	if vm.HasNewer() {
		t.Fatal("LoadNewer did not reach the newest message")
	}
	_, msgs, _ = vm.Chat()
	if msgs[len(msgs)-1].Text != "live" {
		t.Fatalf("newest loaded %q, want live", msgs[len(msgs)-1].Text)
	}
	checkRun(t, msgs[:len(msgs)-1], all)
	if msgs[0].ID != all[120-PageSize/2-PageSize].ID {
		t.Fatalf("oldest loaded %q", msgs[0].Text)
	}
	// Live again: the next message is appended once.
	core.Emit(tox.FriendEvent{Event: tox.MessageReceived{Friend: pk, Text: "live 2"}})
	if !q.RunUntil(func() bool { _, m, _ := vm.Chat(); return m[len(m)-1].Text == "live 2" }, 5*time.Second) {
		t.Fatal("live message not appended at the newest")
	}

	// Sending while reading an old page goes back to the newest.
	if !vm.JumpTo(all[10].ID) || !vm.HasNewer() || vm.HasOlder() {
		t.Fatalf("jump to an early message: newer %v older %v", vm.HasNewer(), vm.HasOlder())
	}
	vm.Send("sent from the past")
	if !q.RunUntil(func() bool { _, m, _ := vm.Chat(); return m[len(m)-1].Text == "sent from the past" }, 5*time.Second) {
		t.Fatal("sent message not shown")
	}
	_, msgs, _ = vm.Chat()
	if vm.HasNewer() || len(msgs) != PageSize || msgs[len(msgs)-2].Text != "live 2" {
		t.Fatalf("after sending: %d messages, newer %v", len(msgs), vm.HasNewer())
	}
}

// TestShowNewOnce: a message loaded by a page read before its own update
// arrived is not shown twice.
func TestShowNewOnce(t *testing.T) {
	vm, _, q, pk, _ := historyVM(t, 10)
	q.Run()
	_, msgs, _ := vm.Chat()
	last := msgs[len(msgs)-1]
	vm.showNew(last)
	vm.showNew(store.Message{ID: last.ID + 100, Friend: key.PublicKey{9}})
	if _, m, _ := vm.Chat(); len(m) != len(msgs) {
		t.Fatalf("%d messages after showing a loaded one and another friend's, want %d", len(m), len(msgs))
	}
	vm.showNew(store.Message{ID: last.ID + 100, Friend: pk, Text: "new"})
	if _, m, _ := vm.Chat(); len(m) != len(msgs)+1 {
		t.Fatalf("%d messages, want %d", len(m), len(msgs)+1)
	}
}
