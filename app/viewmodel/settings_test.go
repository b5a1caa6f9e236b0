package viewmodel

import (
	"net/netip"
	"testing"
	"time"

	"parley/app/account"
	"parley/app/settings"
	"parley/app/store"
	"parley/app/viewmodel/vmtest"
	"parley/net/key"
	"parley/net/nodes"
	"parley/net/tox"
	"parley/net/wire"
)

// fakeVM is a view model over a fake core, with a friend pk online and its
// chat open.
func fakeVM(t *testing.T, o Options) (*VM, *vmtest.Core, *Queue, key.PublicKey) {
	t.Helper()
	acct, err := account.Create(t.TempDir(), "alice", "")
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(acct.HistoryPath())
	if err != nil {
		t.Fatal(err)
	}
	pair, err := key.NewPair(nil)
	if err != nil {
		t.Fatal(err)
	}
	prof := acct.Profile()
	core := vmtest.New(prof.Address(), pair.Public)
	q := NewQueue()
	o.Do = q.Do
	vm := New(core, acct, st, o)
	vm.Start()
	t.Cleanup(func() { vm.Close() })
	core.Emit(tox.FriendEvent{Event: tox.FriendOnline{Friend: pair.Public}})
	if !q.RunUntil(func() bool { f, _ := vm.Friend(pair.Public); return f.Online }, 5*time.Second) {
		t.Fatal("friend not online")
	}
	vm.OpenChat(pair.Public)
	return vm, core, q, pair.Public
}

func TestTypingNotificationsOff(t *testing.T) {
	off := settings.Privacy{TypingNotifications: false, Receipts: true}
	vm, core, q, pk := fakeVM(t, Options{Privacy: &off})
	vm.SetTyping(true)
	vm.Send("x") // a job after any typing job: the worker has run both when it is sent
	q.RunUntil(func() bool { return len(core.Sent()) == 1 }, 5*time.Second)
	if core.Typing(pk) {
		t.Fatal("typing sent with typing notifications off")
	}

	// Turned on: typing goes out; turned off again: "stopped" goes out.
	vm.SetPrivacy(settings.Privacy{TypingNotifications: true, Receipts: true})
	vm.SetTyping(true)
	if !q.RunUntil(func() bool { return core.Typing(pk) }, 5*time.Second) {
		t.Fatal("typing not sent with typing notifications on")
	}
	vm.SetPrivacy(off)
	if !q.RunUntil(func() bool { return !core.Typing(pk) }, 5*time.Second) {
		t.Fatal("turning typing notifications off did not tell the friend we stopped")
	}
	if vm.Privacy() != off {
		t.Errorf("Privacy = %+v", vm.Privacy())
	}
}

func TestNewNospam(t *testing.T) {
	vm, _, q, _ := fakeVM(t, Options{})
	old := vm.Self().ID
	var got error = errPending
	vm.NewNospam(func(err error) { got = err })
	if !q.RunUntil(func() bool { return got != errPending }, 5*time.Second) || got != nil {
		t.Fatalf("NewNospam: %v", got)
	}
	id := vm.Self().ID
	if id.PublicKey != old.PublicKey || id.Nospam == old.Nospam {
		t.Fatalf("ID %s after nospam change of %s", id, old)
	}
	if p := vm.acct.Profile(); p.Nospam != id.Nospam {
		t.Errorf("profile nospam %x, shown %x", p.Nospam, id.Nospam)
	}
	re, err := account.Open(vm.acct.Dir, vm.acct.Name, "")
	if err != nil {
		t.Fatal(err)
	}
	if p := re.Profile(); p.Address() != id {
		t.Errorf("saved profile ID = %v, want %s", p.Address(), id)
	}
}

func TestNodeCacheSavedOnlineAndOnClose(t *testing.T) {
	vm, core, q, _ := fakeVM(t, Options{})
	pair, err := key.NewPair(nil)
	if err != nil {
		t.Fatal(err)
	}
	good := []wire.Node{{PK: pair.Public, Addr: netip.MustParseAddrPort("192.0.2.7:33445")}}
	core.SetNodes(good)
	cache := nodes.Cache{Path: vm.acct.NodesCachePath()}
	core.Emit(tox.SelfConnection{DHT: true, Onion: true})
	if !q.RunUntil(func() bool { es, _ := cache.Load(); return len(es) == 1 }, 5*time.Second) {
		t.Fatal("node cache not saved when online")
	}
	good = append(good, wire.Node{PK: pair.Public, Addr: netip.MustParseAddrPort("192.0.2.8:33445")})
	core.SetNodes(good)
	vm.Close()
	es, err := cache.Load()
	if err != nil || len(es) != 2 || es[1].IPv4 != "192.0.2.8" || es[1].PK != pair.Public {
		t.Fatalf("cache after Close = %+v, %v", es, err)
	}
}
