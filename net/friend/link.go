package friend

import (
	"time"

	"parley/net/key"
)

// Link is one established encrypted connection to a friend (c-toxcore's
// net_crypto connection in state ESTABLISHED, tox-protocol.md §6).
// net/session's *Conn satisfies it.
//
// The Manager reuses the data slice after a call returns, so a Link copies
// what it keeps; and a Link must not call back into the Manager from these
// methods (the node loop hands deliveries and acks over afterwards).
type Link interface {
	// SendLossless queues data (data[0] is the packet id, 16..191) for
	// in-order, exactly-once delivery and returns its packet number; the
	// caller reports that number to Manager.HandleAcked once the peer has
	// it. An error means the packet was not queued.
	SendLossless(now time.Time, data []byte) (packetNumber uint32, err error)
	// SendLossy sends data (data[0] in 192..254) once, unreliably.
	SendLossy(now time.Time, data []byte) error
}

// RequestSender delivers friend requests to friends we have no connection
// to, as onion data of type 32: 32 | nospam | message (tox-protocol.md §5.4,
// §8). net/onion's *Onion satisfies it. An error means nothing was sent
// (for instance the friend has not been found yet); the Manager retries on
// the next Tick.
type RequestSender interface {
	SendFriendRequest(now time.Time, to key.PublicKey, nospam key.Nospam, msg []byte) error
}
