package profile

import (
	"encoding/binary"

	"parley/net/key"
)

// FriendStatus is a saved friend's state (c-toxcore Messenger.h; online
// friends are saved as confirmed).
type FriendStatus uint8

// Friend states.
const (
	// FriendAdded: we asked to be friends; the request is not out yet.
	FriendAdded FriendStatus = 1
	// FriendRequested: the request went out; no answer yet.
	FriendRequested FriendStatus = 2
	// FriendConfirmed: a friend (added without request, or who accepted).
	FriendConfirmed FriendStatus = 3
)

// UserStatus is the away/busy state (tox.h Tox_User_Status).
type UserStatus uint8

// User states.
const (
	StatusNone UserStatus = 0
	StatusAway UserStatus = 1
	StatusBusy UserStatus = 2
)

// Limits of the friend record and the self sections (tox-protocol.md §1,
// §12.1).
const (
	// MaxRequestLength is the request message field of a saved friend.
	// c-toxcore refuses, when loading, a request longer than 1016 bytes
	// (TOX_MAX_FRIEND_REQUEST_LENGTH) and drops that friend.
	MaxRequestLength       = 1024
	MaxNameLength          = 128  // TOX_MAX_NAME_LENGTH
	MaxStatusMessageLength = 1007 // TOX_MAX_STATUS_MESSAGE_LENGTH
)

// Friend is one saved friend. Which fields libtoxcore fills depends on the
// status: the request message and nospam while the request is pending
// (Added, Requested); name, status message, user status and last seen once
// confirmed. Parley writes every field as it is. libtoxcore re-sends a
// pending request when it loads the profile, and drops the friend if the
// request message is empty or longer than 1016 bytes.
type Friend struct {
	Status         FriendStatus
	PublicKey      key.PublicKey // the friend's long-term key
	RequestMessage string        // the friend request we send
	RequestNospam  key.Nospam    // the nospam of the address we send it to
	Name           string
	StatusMessage  string
	UserStatus     UserStatus
	LastSeen       uint64 // Unix seconds the friend was last online; 0 never
}

// Address returns the address a pending friend request goes to.
func (f *Friend) Address() key.ToxID {
	return key.ToxID{PublicKey: f.PublicKey, Nospam: f.RequestNospam}
}

// Friend record layout: 2216 bytes, multi-byte numbers big-endian, the
// nospam raw (c-toxcore Messenger.c struct Saved_Friend, tox-protocol.md
// §12.1). Each offset is the previous one plus the previous field's size.
const (
	frStatus       = 0                                        // u8
	frPK           = frStatus + 1                             // 32
	frRequest      = frPK + key.Size                          // 1024
	frRequestLen   = frRequest + MaxRequestLength + 1         // u16 BE, after 1 pad byte
	frName         = frRequestLen + 2                         // 128
	frNameLen      = frName + MaxNameLength                   // u16 BE
	frStatusMsg    = frNameLen + 2                            // 1007
	frStatusMsgLen = frStatusMsg + MaxStatusMessageLength + 1 // u16 BE, after 1 pad byte
	frUserStatus   = frStatusMsgLen + 2                       // u8
	frNospam       = frUserStatus + 1 + 3                     // 4 raw bytes, after 3 pad bytes
	frLastSeen     = frNospam + 4                             // u64 BE
)

// FriendRecordSize is the size of one saved friend: 2216 bytes.
const FriendRecordSize = frLastSeen + 8

// appendFriend appends f as one record; padding and unused bytes are zero.
func appendFriend(b []byte, f *Friend) ([]byte, error) {
	switch {
	case len(f.RequestMessage) > MaxRequestLength:
		return b, invalid(TypeFriends, "friend %s: request message of %d bytes, at most %d", f.PublicKey.Short(), len(f.RequestMessage), MaxRequestLength)
	case len(f.Name) > MaxNameLength:
		return b, invalid(TypeFriends, "friend %s: name of %d bytes, at most %d", f.PublicKey.Short(), len(f.Name), MaxNameLength)
	case len(f.StatusMessage) > MaxStatusMessageLength:
		return b, invalid(TypeFriends, "friend %s: status message of %d bytes, at most %d", f.PublicKey.Short(), len(f.StatusMessage), MaxStatusMessageLength)
	case f.Status < FriendAdded || f.Status > FriendConfirmed:
		return b, invalid(TypeFriends, "friend %s: status %d", f.PublicKey.Short(), f.Status)
	}
	var r [FriendRecordSize]byte
	r[frStatus] = byte(f.Status)
	copy(r[frPK:], f.PublicKey[:])
	copy(r[frRequest:], f.RequestMessage)
	binary.BigEndian.PutUint16(r[frRequestLen:], uint16(len(f.RequestMessage)))
	copy(r[frName:], f.Name)
	binary.BigEndian.PutUint16(r[frNameLen:], uint16(len(f.Name)))
	copy(r[frStatusMsg:], f.StatusMessage)
	binary.BigEndian.PutUint16(r[frStatusMsgLen:], uint16(len(f.StatusMessage)))
	r[frUserStatus] = byte(f.UserStatus)
	copy(r[frNospam:], f.RequestNospam[:])
	binary.BigEndian.PutUint64(r[frLastSeen:], f.LastSeen)
	return append(b, r[:]...), nil
}

// parseFriend decodes one record; r is exactly FriendRecordSize bytes at
// offset off of the file. Padding and the bytes after each text are not
// checked: libtoxcore ignores them too.
func parseFriend(r []byte, off int) (Friend, error) {
	f := Friend{Status: FriendStatus(r[frStatus])}
	if f.Status < FriendAdded || f.Status > FriendConfirmed {
		return Friend{}, corrupt(TypeFriends, off+frStatus, "friend status %d, want 1, 2 or 3", f.Status)
	}
	copy(f.PublicKey[:], r[frPK:])
	text := func(field, lenField, max int, what string) (string, error) {
		n := int(binary.BigEndian.Uint16(r[lenField:]))
		if n > max {
			return "", corrupt(TypeFriends, off+lenField, "friend %s: %s length %d, at most %d", f.PublicKey.Short(), what, n, max)
		}
		return string(r[field : field+n]), nil
	}
	var err error
	if f.RequestMessage, err = text(frRequest, frRequestLen, MaxRequestLength, "request message"); err != nil {
		return Friend{}, err
	}
	if f.Name, err = text(frName, frNameLen, MaxNameLength, "name"); err != nil {
		return Friend{}, err
	}
	if f.StatusMessage, err = text(frStatusMsg, frStatusMsgLen, MaxStatusMessageLength, "status message"); err != nil {
		return Friend{}, err
	}
	f.UserStatus = UserStatus(r[frUserStatus])
	copy(f.RequestNospam[:], r[frNospam:])
	f.LastSeen = binary.BigEndian.Uint64(r[frLastSeen:])
	return f, nil
}

// appendFriends appends the FRIENDS section data.
func appendFriends(b []byte, fs []Friend) ([]byte, error) {
	var err error
	for i := range fs {
		if b, err = appendFriend(b, &fs[i]); err != nil {
			return b, err
		}
	}
	return b, nil
}

// parseFriends decodes the FRIENDS section data found at offset off.
func parseFriends(data []byte, off int) ([]Friend, error) {
	if len(data)%FriendRecordSize != 0 {
		return nil, corrupt(TypeFriends, off, "%d bytes is not a whole number of %d-byte friend records", len(data), FriendRecordSize)
	}
	var out []Friend
	for i := 0; i < len(data); i += FriendRecordSize {
		f, err := parseFriend(data[i:i+FriendRecordSize], off+i)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}
