// Package vmtest holds a fake viewmodel.Core for tests of the view model
// and the UI: an in-memory friend list, recorded commands, and events the
// test injects with Emit.
package vmtest

import (
	"context"
	"slices"
	"sync"

	"parley/net/friend"
	"parley/net/key"
	"parley/net/tox"
	"parley/net/wire"
)

// Sent is one SendMessage call the fake accepted.
type Sent struct {
	To   key.PublicKey
	Kind tox.MessageKind
	Text string
	IDs  []tox.MessageID
}

// Core is a fake core. Safe for concurrent use.
type Core struct {
	mu       sync.Mutex
	id       key.ToxID
	friends  map[key.PublicKey]*tox.FriendInfo
	requests []tox.FriendRequest
	sent     []Sent
	typing   map[key.PublicKey]bool
	name     string
	nextID   tox.MessageID
	stats    tox.Stats
	nodes    []wire.Node
	subs     []chan tox.Event
	closed   bool
}

// New returns a fake core with Tox ID id and the given confirmed friends.
func New(id key.ToxID, friends ...key.PublicKey) *Core {
	c := &Core{id: id, friends: make(map[key.PublicKey]*tox.FriendInfo), typing: make(map[key.PublicKey]bool)}
	for _, pk := range friends {
		c.friends[pk] = &tox.FriendInfo{PK: pk, State: friend.StateConfirmed}
	}
	return c
}

// Emit delivers ev to every subscriber and applies it to the fake's state
// (requests, presence, names).
func (c *Core) Emit(ev tox.Event) {
	c.mu.Lock()
	if fe, ok := ev.(tox.FriendEvent); ok {
		switch e := fe.Event.(type) {
		case tox.FriendRequest:
			c.requests = append(c.requests, e)
		case tox.FriendOnline:
			if f := c.friends[e.Friend]; f != nil {
				f.State = friend.StateOnline
			}
		case tox.FriendOffline:
			if f := c.friends[e.Friend]; f != nil {
				f.State = friend.StateConfirmed
			}
		case tox.NameChanged:
			if f := c.friends[e.Friend]; f != nil {
				f.Name = e.Name
			}
		}
	}
	subs := slices.Clone(c.subs)
	c.mu.Unlock()
	for _, s := range subs {
		s <- ev
	}
}

// Sent returns the messages sent so far.
func (c *Core) Sent() []Sent {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.sent)
}

// SetStats sets what Stats returns.
func (c *Core) SetStats(s tox.Stats) {
	c.mu.Lock()
	c.stats = s
	c.mu.Unlock()
}

// HasFriend reports whether pk is in the fake's friend list.
func (c *Core) HasFriend(pk key.PublicKey) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.friends[pk] != nil
}

func (c *Core) ToxID(context.Context) (key.ToxID, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.id, nil
}

// SetNospam changes the nospam of the fake's Tox ID.
func (c *Core) SetNospam(_ context.Context, ns key.Nospam) error {
	c.mu.Lock()
	c.id.Nospam = ns
	c.mu.Unlock()
	return nil
}

// SetNodes sets what Nodes returns.
func (c *Core) SetNodes(ns []wire.Node) {
	c.mu.Lock()
	c.nodes = slices.Clone(ns)
	c.mu.Unlock()
}

// Nodes returns the nodes set with SetNodes.
func (c *Core) Nodes(context.Context) ([]wire.Node, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.nodes), nil
}

// Typing reports what the fake was last told about typing to pk.
func (c *Core) Typing(pk key.PublicKey) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.typing[pk]
}

func (c *Core) AddFriend(_ context.Context, id key.ToxID, msg string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case id.PublicKey == c.id.PublicKey:
		return friend.ErrOwnKey
	case c.friends[id.PublicKey] != nil:
		return friend.ErrAlreadyFriend
	}
	c.friends[id.PublicKey] = &tox.FriendInfo{PK: id.PublicKey, State: friend.StateAdded, RequestMessage: msg, RequestNospam: id.Nospam}
	return nil
}

func (c *Core) Accept(_ context.Context, pk key.PublicKey) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	i := slices.IndexFunc(c.requests, func(r tox.FriendRequest) bool { return r.From == pk })
	if i < 0 {
		return friend.ErrNoRequest
	}
	c.requests = slices.Delete(c.requests, i, i+1)
	c.friends[pk] = &tox.FriendInfo{PK: pk, State: friend.StateConfirmed}
	return nil
}

func (c *Core) Decline(_ context.Context, pk key.PublicKey) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	i := slices.IndexFunc(c.requests, func(r tox.FriendRequest) bool { return r.From == pk })
	if i < 0 {
		return friend.ErrNoRequest
	}
	c.requests = slices.Delete(c.requests, i, i+1)
	return nil
}

func (c *Core) SendMessage(_ context.Context, pk key.PublicKey, kind tox.MessageKind, text string) ([]tox.MessageID, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f := c.friends[pk]
	switch {
	case f == nil:
		return nil, friend.ErrNotFriend
	case f.State != friend.StateOnline:
		return nil, friend.ErrFriendOffline
	}
	c.nextID++
	ids := []tox.MessageID{c.nextID}
	c.sent = append(c.sent, Sent{To: pk, Kind: kind, Text: text, IDs: ids})
	return ids, nil
}

func (c *Core) SetName(_ context.Context, name string) error {
	c.mu.Lock()
	c.name = name
	c.mu.Unlock()
	return nil
}

func (c *Core) SetStatusMessage(context.Context, string) error      { return nil }
func (c *Core) SetUserStatus(context.Context, tox.UserStatus) error { return nil }
func (c *Core) SetTyping(_ context.Context, pk key.PublicKey, t bool) error {
	c.mu.Lock()
	c.typing[pk] = t
	c.mu.Unlock()
	return nil
}

func (c *Core) Friends(context.Context) ([]tox.FriendInfo, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []tox.FriendInfo
	for _, f := range c.friends {
		out = append(out, *f)
	}
	return out, nil
}

func (c *Core) PendingRequests(context.Context) ([]tox.FriendRequest, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.requests), nil
}

func (c *Core) Stats(context.Context) (tox.Stats, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stats, nil
}

// Subscribe returns a buffered channel of the events emitted from now on.
func (c *Core) Subscribe() (<-chan tox.Event, func()) {
	ch := make(chan tox.Event, 1024)
	c.mu.Lock()
	c.subs = append(c.subs, ch)
	c.mu.Unlock()
	return ch, func() {}
}

// Close marks the fake closed.
func (c *Core) Close() error {
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	return nil
}

// Closed reports whether Close was called.
func (c *Core) Closed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closed
}
