// Package friend owns Parley's friends: the friend list, friend requests
// with nospam (tox-protocol.md §8), friend connections (c-toxcore's
// friend_connection: ONLINE handshake, ALIVE keep-alive, timeout, relay
// sharing; §7) and the Messenger packets (name, status message, user
// status, typing, messages and actions, delivery receipts; §7).
//
// # Shape
//
// Manager is a sans-IO state machine. It starts no goroutine, reads no
// clock and touches no socket: every method that needs the time takes
// `now`, packets to a friend leave through that friend's Link (an
// established net_crypto connection from net/session), and friend
// requests to unconnected friends through a RequestSender (net/onion).
// What happens is reported as typed events drained with Manager.Events.
// A Manager is not safe for concurrent use; the node loop calls:
//
//   - LinkUp / LinkDown when a friend's connection is established / gone;
//   - HandleLossless, HandleLossy and HandleAcked for what a connection
//     delivers and acknowledges;
//   - HandleFriendRequest for onion friend requests (type 32);
//   - Tick at NextDeadline (and about once a second);
//   - the commands: AddFriend, Accept, Decline, RemoveFriend, SendMessage,
//     SetName, SetStatusMessage, SetUserStatus, SetTyping, SetNospam.
//
// # Byte layout
//
// Every packet is a lossless net_crypto packet: id(1) | payload.
//
//	16 ALIVE          (empty)                               every 8 s; 32 s of silence = dead
//	17 SHARE_RELAYS   packed node × 0..3                    TCP relays, on connect and every 120 s
//	18 FRIEND_REQUEST nospam(4) | message(1..1016)          a request over a connection
//	24 ONLINE         (empty)                               both sides, when the connection is up
//	25 OFFLINE        (empty)
//	48 NICKNAME       name(0..128)                          not NUL-terminated
//	49 STATUSMESSAGE  message(0..1007)
//	50 USERSTATUS     status(1): 0 none, 1 away, 2 busy
//	51 TYPING         typing(1): 0 or 1 (non-zero read as 1)
//	64 MESSAGE        text(1..1372)                         UTF-8
//	65 ACTION         text(1..1372)                         UTF-8, "/me"
//
// Packed nodes are net/wire's: family(1) | IP(4 or 16) | port(2, BE) |
// pk(32). Over the onion a friend request is 32 | nospam(4) | message
// (§5.4), encoded by net/onion.
//
// # Life cycle of a friend
//
// A friend is Added when we add it by Tox ID; its request goes out (by
// onion, or as packet 18 if a connection is up) and it becomes Requested;
// if it does not come online within 5 s the request is resent, then after
// 10 s, 20 s, and so on. An accepted request or a friend added without
// request is Confirmed. When a connection comes up both sides send ONLINE;
// a friend is Online only once its ONLINE arrives, and only then are the
// other Messenger packets accepted. On going online each side sends its
// name, status message, user status and typing state, and again whenever
// they change. ALIVE goes out every 8 s; a connection that received
// nothing for 32 s is reported dead (ConnectionDead) and the friend is
// offline until a new connection comes up.
//
// Receipts: each message part's MessageID is tied to the packet number
// the Link returned, and Receipt fires when HandleAcked reports that
// number (§7 "Read receipts are implicit"). Parts still unacknowledged
// when the connection goes are reported in ReceiptsLost.
//
// Text: what we send must be valid UTF-8 (ErrInvalidUTF8); what we
// receive is passed through byte for byte, as c-toxcore does.
package friend
