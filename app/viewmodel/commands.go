package viewmodel

import (
	"errors"
	"strings"

	"parley/app/store"
	"parley/net/friend"
	"parley/net/key"
	"parley/net/profile"
	"parley/net/tox"
)

// OpenChat shows the chat with pk: its newest page of history (a local
// read, no network) and clears its unread count.
func (vm *VM) OpenChat(pk key.PublicKey) {
	msgs, err := vm.store.Page(pk, 0, PageSize)
	if err != nil {
		vm.fail(err)
	}
	vm.chatPK, vm.chatOpen, vm.chat, vm.older, vm.newer = pk, true, msgs, len(msgs) == PageSize, false
	if f := vm.friends[pk]; f != nil {
		f.Unread = 0
	}
	if len(msgs) > 0 {
		vm.markRead(pk, msgs[len(msgs)-1].ID)
	}
	vm.changed(ChangedChat | ChangedFriends)
}

// LoadOlder prepends the previous page of the open chat.
func (vm *VM) LoadOlder() {
	if !vm.chatOpen || !vm.older {
		return
	}
	var before int64
	if len(vm.chat) > 0 {
		before = vm.chat[0].ID
	}
	msgs, err := vm.store.Page(vm.chatPK, before, PageSize)
	if err != nil {
		vm.fail(err)
		return
	}
	vm.chat = append(msgs, vm.chat...)
	vm.older = len(msgs) == PageSize
	vm.changed(ChangedChat)
}

// Send sends text to the open chat's friend; "/me text" is an action. The
// message is stored as queued before it shows, sent when the friend is
// online (now, or when they next come online), and marked delivered when
// its receipt comes back.
func (vm *VM) Send(text string) {
	text = strings.TrimRight(text, " \t\r\n")
	if !vm.chatOpen || strings.TrimSpace(text) == "" {
		return
	}
	m := store.Message{Friend: vm.chatPK, Outgoing: true, Text: text, Time: vm.now(), State: store.Queued}
	if rest, ok := strings.CutPrefix(text, "/me "); ok && strings.TrimSpace(rest) != "" {
		m.Action, m.Text = true, strings.TrimSpace(rest)
	}
	vm.SetTyping(false)
	vm.work.post(func() {
		m, err := vm.store.Add(m)
		if err != nil {
			vm.fail(err)
			return
		}
		vm.do(func() {
			vm.showNew(m)
			if f := vm.friends[m.Friend]; f != nil {
				f.Last, f.Activity = m, m.Time
			}
			vm.changed(ChangedChat | ChangedFriends)
		})
		vm.trySend(m)
	})
}

// trySend hands a queued message to the core. A friend who is offline
// leaves it queued. Runs on the worker.
func (vm *VM) trySend(m store.Message) {
	kind := tox.MessageNormal
	if m.Action {
		kind = tox.MessageAction
	}
	vm.mu.Lock()
	defer vm.mu.Unlock()
	ids, err := vm.core.SendMessage(vm.ctx, m.Friend, kind, m.Text)
	switch {
	case errors.Is(err, friend.ErrFriendOffline), errors.Is(err, friend.ErrNoLink):
		return // stays queued
	case err != nil:
		vm.fail(err)
		return
	}
	for _, id := range ids {
		vm.parts[id] = m.ID
	}
	vm.remaining[m.ID] = len(ids)
	vm.setState(m.ID, store.Sent)
}

// flushOutbox sends friend's queued messages. Runs on the worker.
func (vm *VM) flushOutbox(pk key.PublicKey) {
	q, err := vm.store.Queued(pk)
	if err != nil {
		vm.fail(err)
		return
	}
	for _, m := range q {
		vm.trySend(m)
	}
}

// SetTyping tells the open chat's friend whether we are typing, once per
// change.
func (vm *VM) SetTyping(typing bool) {
	if !vm.chatOpen || vm.typingTo[vm.chatPK] == typing {
		return
	}
	pk := vm.chatPK
	vm.typingTo[pk] = typing
	if typing && !vm.privacy.TypingNotifications {
		vm.typingTo[pk] = false
		return
	}
	if f := vm.friends[pk]; f == nil || !f.Online {
		return
	}
	vm.work.post(func() {
		err := vm.core.SetTyping(vm.ctx, pk, typing)
		if !errors.Is(err, friend.ErrFriendOffline) && !errors.Is(err, friend.ErrNoLink) {
			vm.fail(err)
		}
	})
}

// MaxRequestMessage is the longest friend request message, in bytes, that
// AddFriend sends (c-toxcore clients drop longer ones).
const MaxRequestMessage = tox.MaxFriendRequestMessage

// ParseID checks a Tox ID or tox: URI typed by the user; its errors wrap
// key.ErrIDLength, key.ErrIDHex or key.ErrIDChecksum.
func ParseID(s string) (key.ToxID, error) {
	return key.ParseToxID(strings.TrimSpace(s))
}

// AddFriend sends a friend request. A bad ID is reported at once (for the
// field); the request itself runs on the worker and done gets its result
// on the UI goroutine.
func (vm *VM) AddFriend(idText, msg string, done func(error)) error {
	id, err := ParseID(idText)
	if err != nil {
		return err
	}
	if strings.TrimSpace(msg) == "" {
		msg = "Hi, this is " + vm.self.Name + ". Let's chat on Tox!"
	}
	vm.work.post(func() {
		err := vm.core.AddFriend(vm.ctx, id, msg)
		if err == nil {
			vm.saveFriends()
		}
		vm.do(func() {
			if err == nil {
				f := vm.friends[id.PublicKey]
				if f == nil {
					f = &Friend{PK: id.PublicKey, Pending: true, Activity: vm.now()}
					vm.friends[id.PublicKey] = f
				}
				vm.changed(ChangedFriends)
			}
			if done != nil {
				done(err)
			}
		})
	})
	return nil
}

// Accept accepts the friend request from pk.
func (vm *VM) Accept(pk key.PublicKey) { vm.answer(pk, true) }

// Decline drops the friend request from pk.
func (vm *VM) Decline(pk key.PublicKey) { vm.answer(pk, false) }

func (vm *VM) answer(pk key.PublicKey, accept bool) {
	vm.work.post(func() {
		var err error
		if accept {
			err = vm.core.Accept(vm.ctx, pk)
		} else {
			err = vm.core.Decline(vm.ctx, pk)
		}
		if err != nil && !errors.Is(err, friend.ErrNoRequest) {
			vm.fail(err)
			return
		}
		if accept {
			vm.saveFriends()
		}
		vm.do(func() {
			for i, r := range vm.requests {
				if r.From == pk {
					vm.requests = append(vm.requests[:i:i], vm.requests[i+1:]...)
					break
				}
			}
			if accept && vm.friends[pk] == nil {
				vm.friends[pk] = &Friend{PK: pk, Activity: vm.now()}
			}
			vm.changed(ChangedRequests | ChangedFriends)
		})
	})
}

// SetName changes our name.
func (vm *VM) SetName(name string) {
	vm.setSelf(func(s *Self) { s.Name = name }, func() error { return vm.core.SetName(vm.ctx, name) },
		func(p *profile.Profile) { p.Name = name })
}

// SetStatusMessage changes our status message.
func (vm *VM) SetStatusMessage(msg string) {
	vm.setSelf(func(s *Self) { s.StatusMessage = msg }, func() error { return vm.core.SetStatusMessage(vm.ctx, msg) },
		func(p *profile.Profile) { p.StatusMessage = msg })
}

// SetUserStatus changes our presence.
func (vm *VM) SetUserStatus(st tox.UserStatus) {
	vm.setSelf(func(s *Self) { s.Status = st }, func() error { return vm.core.SetUserStatus(vm.ctx, st) },
		func(p *profile.Profile) { p.Status = profile.UserStatus(st) })
}

func (vm *VM) setSelf(show func(*Self), apply func() error, save func(*profile.Profile)) {
	old := vm.self
	show(&vm.self)
	vm.changed(ChangedSelf)
	vm.work.post(func() {
		err := apply()
		if err == nil {
			err = vm.acct.Update(save)
		}
		if err != nil {
			vm.fail(err)
			vm.do(func() { vm.self = old; vm.changed(ChangedSelf) })
		}
	})
}

// saveFriends writes the core's friend list into the profile, keeping
// what the profile knew that the core does not (last seen). Runs on the
// worker.
func (vm *VM) saveFriends() {
	infos, err := vm.core.Friends(vm.ctx)
	if err != nil {
		vm.fail(err)
		return
	}
	err = vm.acct.Update(func(p *profile.Profile) {
		old := make(map[key.PublicKey]profile.Friend, len(p.Friends))
		for _, f := range p.Friends {
			old[f.PublicKey] = f
		}
		fs := make([]profile.Friend, 0, len(infos))
		for _, in := range infos {
			f := old[in.PK]
			f.PublicKey = in.PK
			if in.Name != "" {
				f.Name = in.Name
			}
			if in.StatusMessage != "" {
				f.StatusMessage = in.StatusMessage
			}
			f.UserStatus = profile.UserStatus(in.UserStatus)
			switch in.State {
			case friend.StateAdded:
				f.Status = profile.FriendAdded
			case friend.StateRequested:
				f.Status = profile.FriendRequested
			default:
				f.Status = profile.FriendConfirmed
			}
			f.RequestMessage, f.RequestNospam = in.RequestMessage, in.RequestNospam
			fs = append(fs, f)
		}
		p.Friends = fs
	})
	vm.fail(err)
}
