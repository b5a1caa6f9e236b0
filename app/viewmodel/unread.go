package viewmodel

import (
	"parley/app/store"
	"parley/net/key"
)

// Unread counts survive a restart through the store's read marks
// (store.MarkRead): a received message stays unread until its chat is
// opened, and the counts are read back at start (load).

// UnreadTotal is the number of unread messages of all friends: the tray's
// count. UI goroutine only.
func (vm *VM) UnreadTotal() int {
	n := 0
	for _, f := range vm.friends {
		n += f.Unread
	}
	return n
}

// markRead records, off the UI goroutine, that the user has seen pk's
// messages up to id. UI goroutine.
func (vm *VM) markRead(pk key.PublicKey, id int64) {
	if id <= 0 {
		return
	}
	do := func() { vm.fail(vm.store.MarkRead(pk, id)) }
	if vm.work == nil { // not started: nothing else writes yet
		do()
		return
	}
	vm.work.post(do)
}

// countUnread adds a received message to f's unread count. Before the
// stored counts are loaded it only remembers the message: load adds those
// the store did not count yet. UI goroutine.
func (vm *VM) countUnread(f *Friend, m store.Message) {
	if !vm.unreadLoaded {
		vm.unreadEarly = append(vm.unreadEarly, m)
		return
	}
	f.Unread++
}

// loadUnread sets the counts read from the store (counted up to message
// upTo), plus messages that came meanwhile. UI goroutine.
func (vm *VM) loadUnread(counts map[key.PublicKey]int, upTo int64) {
	for pk, n := range counts {
		if f := vm.friends[pk]; f != nil && !(vm.chatOpen && vm.chatPK == pk) {
			f.Unread = n
		}
	}
	for _, m := range vm.unreadEarly {
		if f := vm.friends[m.Friend]; f != nil && m.ID > upTo && !(vm.chatOpen && vm.chatPK == m.Friend) {
			f.Unread++
		}
	}
	vm.unreadEarly, vm.unreadLoaded = nil, true
}
