package friend

import (
	"time"

	"parley/net/key"
)

// friend is the state of one friend-list entry: c-toxcore's Friend
// (Messenger) and Friend_Conn (friend_connection) in one.
type friend struct {
	pk    key.PublicKey
	state State

	// Outgoing friend request, while state is Added or Requested (§8).
	reqNospam   key.Nospam
	reqMsg      []byte
	reqLastSent time.Time
	reqTimeout  time.Duration

	// The connection (friend_connection), nil while none is up.
	link       Link
	lastRecv   time.Time // anything received: liveness
	lastAlive  time.Time // ALIVE sent
	aliveSent  bool
	lastRelays time.Time // SHARE_RELAYS sent
	relaysSent bool
	onlineSent bool // our ONLINE went out on this link
	sawOffline bool // the friend sent OFFLINE on this link

	// What we still owe the friend after it came online or we changed
	// (Messenger's *_sent flags).
	nameSent, statusMsgSent, userStatusSent, typingSent bool
	typing                                              bool // ours, toward this friend

	// What the friend told us.
	name       string
	statusMsg  string
	userStatus UserStatus
	peerTyping bool

	// Receipts owed for message parts sent on this link, in packet order.
	receipts []receipt
}

type receipt struct {
	pn uint32
	id MessageID
}

func (f *friend) info() FriendInfo {
	return FriendInfo{
		PK:             f.pk,
		State:          f.state,
		Connected:      f.link != nil,
		Name:           f.name,
		StatusMessage:  f.statusMsg,
		UserStatus:     f.userStatus,
		Typing:         f.peerTyping,
		RequestNospam:  f.reqNospam,
		RequestMessage: string(f.reqMsg),
	}
}
