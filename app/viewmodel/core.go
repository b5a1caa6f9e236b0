package viewmodel

import (
	"context"

	"parley/net/key"
	"parley/net/tox"
	"parley/net/wire"
)

// Core is what the view model needs of a Tox node; *tox.Node implements
// it, and tests use a fake (app/viewmodel/vmtest).
type Core interface {
	ToxID(ctx context.Context) (key.ToxID, error)
	SetNospam(ctx context.Context, ns key.Nospam) error
	AddFriend(ctx context.Context, id key.ToxID, msg string) error
	Accept(ctx context.Context, pk key.PublicKey) error
	Decline(ctx context.Context, pk key.PublicKey) error
	SendMessage(ctx context.Context, pk key.PublicKey, kind tox.MessageKind, text string) ([]tox.MessageID, error)
	SetName(ctx context.Context, name string) error
	SetStatusMessage(ctx context.Context, msg string) error
	SetUserStatus(ctx context.Context, s tox.UserStatus) error
	SetTyping(ctx context.Context, pk key.PublicKey, typing bool) error
	Friends(ctx context.Context) ([]tox.FriendInfo, error)
	PendingRequests(ctx context.Context) ([]tox.FriendRequest, error)
	Stats(ctx context.Context) (tox.Stats, error)
	Subscribe() (<-chan tox.Event, func())
	Close() error
}

var _ Core = (*tox.Node)(nil)

// NodeLister is implemented by cores that can list their good DHT nodes
// (*tox.Node); the view model saves them to the node cache.
type NodeLister interface {
	Nodes(ctx context.Context) ([]wire.Node, error)
}

var _ NodeLister = (*tox.Node)(nil)
