package viewmodel

import (
	"time"

	"parley/app/store"
	"parley/net/friend"
	"parley/net/key"
	"parley/net/tox"
)

// eventLoop is the one goroutine that reads the core's events. What must
// survive a crash goes to the store before the UI sees it.
func (vm *VM) eventLoop(events <-chan tox.Event) {
	defer vm.wg.Done()
	for {
		select {
		case <-vm.ctx.Done():
			return
		case ev, ok := <-events:
			if !ok {
				return
			}
			vm.handle(ev)
		}
	}
}

func (vm *VM) handle(ev tox.Event) {
	switch ev := ev.(type) {
	case tox.SelfConnection:
		if ev.Onion {
			vm.work.post(vm.saveNodes)
		}
		vm.do(func() {
			vm.net.DHT, vm.net.Online = ev.DHT, ev.Onion
			vm.changed(ChangedNetwork)
		})
	case tox.FriendConnection:
		vm.do(func() {
			if f := vm.friends[ev.Friend]; f != nil {
				f.Link, f.Relayed = "", false
				if ev.Connected {
					f.Link, f.Relayed = ev.Addr, ev.Relayed
				}
				vm.changed(ChangedFriends)
			}
		})
	case tox.FriendEvent:
		vm.handleFriend(ev.Event)
	}
}

func (vm *VM) handleFriend(ev friend.Event) {
	switch ev := ev.(type) {
	case tox.FriendRequest:
		vm.do(func() {
			r := Request{From: ev.From, Message: ev.Message}
			vm.addRequest(r)
			vm.changed(ChangedRequests)
			vm.notifyRequest(r)
		})
	case tox.FriendOnline:
		vm.updateFriend(ev.Friend, func(f *Friend) { f.Online, f.Pending = true, false })
		vm.work.post(func() { vm.flushOutbox(ev.Friend) })
		vm.work.post(vm.saveFriends)
	case tox.FriendOffline:
		vm.updateFriend(ev.Friend, func(f *Friend) { f.Online, f.Typing = false, false })
	case tox.NameChanged:
		vm.updateFriend(ev.Friend, func(f *Friend) { f.Name = ev.Name })
		vm.work.post(vm.saveFriends)
	case tox.StatusMessageChanged:
		vm.updateFriend(ev.Friend, func(f *Friend) { f.StatusMessage = ev.Message })
		vm.work.post(vm.saveFriends)
	case tox.UserStatusChanged:
		vm.updateFriend(ev.Friend, func(f *Friend) { f.UserStatus = ev.Status })
	case tox.TypingChanged:
		vm.updateFriend(ev.Friend, func(f *Friend) { f.Typing = ev.Typing })
	case tox.MessageReceived:
		vm.received(ev)
	case tox.Receipt:
		vm.receipt(ev.ID)
	case tox.ReceiptsLost:
		vm.receiptsLost(ev.IDs)
	}
}

func (vm *VM) updateFriend(pk key.PublicKey, fn func(*Friend)) {
	vm.do(func() {
		f := vm.friends[pk]
		if f == nil {
			f = &Friend{PK: pk}
			vm.friends[pk] = f
		}
		fn(f)
		vm.changed(ChangedFriends | ChangedChat)
	})
}

// received stores an incoming message, then shows it.
func (vm *VM) received(ev tox.MessageReceived) {
	m, err := vm.store.Add(store.Message{Friend: ev.Friend, Action: ev.Kind == tox.MessageAction,
		Text: ev.Text, Time: vm.now(), State: store.Received})
	if err != nil {
		vm.fail(err)
		return
	}
	vm.do(func() {
		f := vm.friends[ev.Friend]
		if f == nil {
			return
		}
		f.Last, f.Activity, f.Typing = m, m.Time, false
		if vm.chatOpen && vm.chatPK == ev.Friend {
			vm.showNew(m)
			vm.markRead(ev.Friend, m.ID)
		} else {
			vm.countUnread(f, m)
		}
		vm.changed(ChangedFriends | ChangedChat)
		vm.notifyMessage(f)
	})
}

// receipt marks a sent part delivered; the message is delivered when all
// its parts are.
func (vm *VM) receipt(id tox.MessageID) {
	vm.mu.Lock()
	defer vm.mu.Unlock()
	row, ok := vm.parts[id]
	if !ok {
		return
	}
	delete(vm.parts, id)
	vm.remaining[row]--
	if vm.remaining[row] > 0 {
		return
	}
	delete(vm.remaining, row)
	vm.setState(row, store.Delivered)
}

// receiptsLost puts messages whose receipts will never come back into the
// outbox; they are sent again when the friend is next online.
func (vm *VM) receiptsLost(ids []tox.MessageID) {
	vm.mu.Lock()
	defer vm.mu.Unlock()
	for _, id := range ids {
		row, ok := vm.parts[id]
		if !ok {
			continue
		}
		delete(vm.parts, id)
		if _, ok := vm.remaining[row]; ok {
			delete(vm.remaining, row)
			vm.setState(row, store.Queued)
		}
	}
}

// setState stores and shows a message's new state. Callers hold mu, which
// keeps the states of one message in order.
func (vm *VM) setState(row int64, st store.State) {
	if err := vm.store.SetState(row, st); err != nil {
		vm.fail(err)
		return
	}
	vm.do(func() {
		for i := range vm.chat {
			if vm.chat[i].ID == row {
				vm.chat[i].State = st
			}
		}
		for _, f := range vm.friends {
			if f.Last.ID == row {
				f.Last.State = st
			}
		}
		vm.changed(ChangedChat | ChangedFriends)
	})
}

// statsLoop polls the node count for the status bar until online.
func (vm *VM) statsLoop() {
	defer vm.wg.Done()
	t := time.NewTicker(vm.statsEvery)
	defer t.Stop()
	for {
		s, err := vm.core.Stats(vm.ctx)
		if err == nil {
			vm.do(func() {
				n := Network{Online: s.Connected.Onion, DHT: s.Connected.DHT, Nodes: s.GoodNodes}
				if n != vm.net {
					vm.net = n
					vm.changed(ChangedNetwork)
				}
			})
		}
		select {
		case <-vm.ctx.Done():
			return
		case <-t.C:
		}
	}
}
