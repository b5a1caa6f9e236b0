package friend

import "errors"

// Errors of commands (AddFriend, SendMessage, the setters...). Each says
// what is wrong so it can be shown to the user.
var (
	ErrNotFriend       = errors.New("friend: not in the friend list")
	ErrFriendOffline   = errors.New("friend: friend is not online")
	ErrEmptyMessage    = errors.New("friend: message is empty")
	ErrInvalidUTF8     = errors.New("friend: text is not valid UTF-8")
	ErrBadKind         = errors.New("friend: unknown message kind")
	ErrTooLong         = errors.New("friend: text is too long")
	ErrBadUserStatus   = errors.New("friend: user status must be none, away or busy")
	ErrNoRequestText   = errors.New("friend: a friend request needs a message")
	ErrRequestTooLong  = errors.New("friend: friend request message is too long")
	ErrOwnKey          = errors.New("friend: that Tox ID is our own")
	ErrInvalidKey      = errors.New("friend: not a valid public key (its last byte is above 127)")
	ErrAlreadyFriend   = errors.New("friend: already a friend")
	ErrAlreadySent     = errors.New("friend: a friend request to that Tox ID is already pending")
	ErrNoRequest       = errors.New("friend: no pending friend request from that key")
	ErrNoLink          = errors.New("friend: no connection to that friend")
	ErrSend            = errors.New("friend: the connection refused the packet")
	ErrNoRequestSender = errors.New("friend: friend is not connected and no onion is configured")
)

// Reasons an incoming packet or friend request is dropped. Handle* return
// them (wrapped), alongside the net/wire sentinels for malformed packets,
// so the caller can count drops by reason with errors.Is.
var (
	// ErrNotOnline: a Messenger packet before the friend's ONLINE.
	ErrNotOnline = errors.New("friend: packet before the friend's ONLINE")
	// ErrUnhandled: a packet id net/friend does not own (files, AV,
	// conferences, custom packets); the caller routes it elsewhere.
	ErrUnhandled = errors.New("friend: packet id not handled here")
	// ErrBadNospam: a friend request whose nospam is not ours.
	ErrBadNospam = errors.New("friend: friend request with a wrong nospam")
	// ErrRepeatedRequest: a friend request from a key that sent one
	// recently, or whose request is still pending.
	ErrRepeatedRequest = errors.New("friend: repeated friend request")
	// ErrRateLimited: a friend request beyond the allowed rate.
	ErrRateLimited = errors.New("friend: friend request rate limit")
)
