package viewmodel

import (
	"testing"
	"time"

	"parley/app/account"
	"parley/app/store"
	"parley/app/viewmodel/vmtest"
	"parley/net/key"
)

// startVM starts a view model over acct's history and a fake core with
// friend pk, and waits until its first load is over.
func startVM(t *testing.T, acct *account.Account, pk key.PublicKey) (*VM, *vmtest.Core, *Queue) {
	t.Helper()
	st, err := store.Open(acct.HistoryPath())
	if err != nil {
		t.Fatal(err)
	}
	prof := acct.Profile()
	core := vmtest.New(prof.Address(), pk)
	q := NewQueue()
	vm := New(core, acct, st, Options{Do: q.Do})
	vm.Start()
	loaded := false
	vm.NewNospam(func(error) { loaded = true }) // a job after the load
	if !q.RunUntil(func() bool { return loaded }, 5*time.Second) {
		t.Fatal("the view model did not load")
	}
	return vm, core, q
}

// TestUnreadSurvivesRestart: messages received with the chat closed stay
// unread across a restart; opening the chat clears them for good, and a
// message read in the open chat is not unread after a restart.
func TestUnreadSurvivesRestart(t *testing.T) {
	acct, err := account.Create(t.TempDir(), "alice", "")
	if err != nil {
		t.Fatal(err)
	}
	pair, err := key.NewPair(nil)
	if err != nil {
		t.Fatal(err)
	}
	pk := pair.Public
	unread := func(vm *VM) int { f, _ := vm.Friend(pk); return f.Unread }

	vm, core, q := startVM(t, acct, pk)
	for _, text := range []string{"one", "two", "three"} {
		core.Emit(message(pk, text))
		if !q.RunUntil(func() bool { f, _ := vm.Friend(pk); return f.Last.Text == text }, 5*time.Second) {
			t.Fatalf("%q not received", text)
		}
	}
	if n, tot := unread(vm), vm.UnreadTotal(); n != 3 || tot != 3 {
		t.Fatalf("unread = %d, total %d; want 3", n, tot)
	}
	if err := vm.Close(); err != nil {
		t.Fatal(err)
	}

	vm, core, q = startVM(t, acct, pk)
	if n := unread(vm); n != 3 {
		t.Fatalf("after restart unread = %d, want 3", n)
	}
	vm.OpenChat(pk)
	if n := unread(vm); n != 0 {
		t.Fatalf("open chat unread = %d", n)
	}
	core.Emit(message(pk, "seen in the open chat"))
	if !q.RunUntil(func() bool { _, msgs, _ := vm.Chat(); return len(msgs) == 4 }, 5*time.Second) {
		t.Fatal("message not shown in the open chat")
	}
	// The read mark is written off the UI goroutine; Close drops jobs not
	// yet run, so wait for it.
	if !q.RunUntil(func() bool { c, _, err := vm.store.Unread(); return err == nil && len(c) == 0 }, 5*time.Second) {
		t.Fatal("read mark not stored")
	}
	if err := vm.Close(); err != nil {
		t.Fatal(err)
	}

	vm, core, q = startVM(t, acct, pk)
	defer vm.Close()
	if n := unread(vm); n != 0 {
		t.Fatalf("after reading and restart unread = %d, want 0", n)
	}
	core.Emit(message(pk, "new"))
	if !q.RunUntil(func() bool { return unread(vm) == 1 }, 5*time.Second) {
		t.Fatalf("unread = %d after a new message, want 1", unread(vm))
	}
}
