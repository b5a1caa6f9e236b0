package friend

import (
	"fmt"
	"time"
)

// handleMessenger handles a Messenger packet (m_handle_packet,
// tox-protocol.md §7). Before the friend is online only ONLINE counts.
// Like c-toxcore, a malformed packet changes nothing; unlike it, the drop
// is reported (a wrapped net/wire sentinel).
func (m *Manager) handleMessenger(now time.Time, f *friend, data []byte) error {
	if f.state != StateOnline {
		if data[0] != IDOnline {
			return fmt.Errorf("%w: packet id %d", ErrNotOnline, data[0])
		}
		if _, err := ParseOnlinePacket(data); err != nil {
			return err
		}
		m.goOnline(now, f)
		return nil
	}
	switch data[0] {
	case IDOnline:
		_, err := ParseOnlinePacket(data) // a repeat: both sides send one
		return err
	case IDOffline:
		if _, err := ParseOfflinePacket(data); err != nil {
			return err
		}
		f.sawOffline = true
		m.goOffline(now, f)
	case IDNickname:
		p, err := ParseNicknamePacket(data)
		if err != nil {
			return err
		}
		if p.Name != f.name {
			f.name = p.Name
			m.emit(NameChanged{Friend: f.pk, Name: p.Name})
		}
	case IDStatusMessage:
		p, err := ParseStatusMessagePacket(data)
		if err != nil {
			return err
		}
		if p.Message != f.statusMsg {
			f.statusMsg = p.Message
			m.emit(StatusMessageChanged{Friend: f.pk, Message: p.Message})
		}
	case IDUserStatus:
		p, err := ParseUserStatusPacket(data)
		if err != nil {
			return err
		}
		if p.Status != f.userStatus {
			f.userStatus = p.Status
			m.emit(UserStatusChanged{Friend: f.pk, Status: p.Status})
		}
	case IDTyping:
		p, err := ParseTypingPacket(data)
		if err != nil {
			return err
		}
		m.setPeerTyping(f, p.Typing)
	case IDMessage, IDAction:
		p, err := ParseMessagePacket(data)
		if err != nil {
			return err
		}
		m.emit(MessageReceived{Friend: f.pk, Kind: p.Kind, Text: p.Text})
	default:
		return fmt.Errorf("%w: packet id %d", ErrUnhandled, data[0])
	}
	return nil
}

func (m *Manager) setPeerTyping(f *friend, typing bool) {
	if typing != f.peerTyping {
		f.peerTyping = typing
		m.emit(TypingChanged{Friend: f.pk, Typing: typing})
	}
}

// goOnline: the friend's ONLINE arrived. We answer with ONLINE unless ours
// already went out on this link (and the friend has not sent OFFLINE
// since), then owe it our name, status message, user status and typing
// (c-toxcore resets its *_sent flags and sends them in do_friends).
func (m *Manager) goOnline(now time.Time, f *friend) {
	f.state = StateOnline
	f.reqMsg, f.reqNospam = nil, [NospamSize]byte{} // the request did its job
	f.nameSent, f.statusMsgSent, f.userStatusSent, f.typingSent = false, false, false, false
	m.emit(FriendOnline{Friend: f.pk})
	if !f.onlineSent || f.sawOffline {
		f.sawOffline = false
		m.sendOnline(now, f)
	}
	m.flush(now, f)
}

// goOffline: an online friend is offline again (Messenger's
// FRIEND_CONFIRMED). Receipts still owed are lost, as are files in
// c-toxcore; a friend that was typing no longer is.
func (m *Manager) goOffline(_ time.Time, f *friend) {
	if f.state != StateOnline {
		return
	}
	f.state = StateConfirmed
	m.emit(FriendOffline{Friend: f.pk})
	if len(f.receipts) > 0 {
		ids := make([]MessageID, len(f.receipts))
		for i, r := range f.receipts {
			ids[i] = r.id
		}
		f.receipts = nil
		m.emit(ReceiptsLost{Friend: f.pk, IDs: ids})
	}
	m.setPeerTyping(f, false)
}

func (f *friend) owesInfo() bool {
	return !f.nameSent || !f.statusMsgSent || !f.userStatusSent || !f.typingSent
}

// flush sends what an online friend is owed of our name, status message,
// user status and typing, in c-toxcore's order; what the link refuses is
// retried by Tick.
func (m *Manager) flush(now time.Time, f *friend) {
	if f.state != StateOnline || f.link == nil {
		return
	}
	if !f.nameSent {
		_, err := m.send(now, f, &NicknamePacket{Name: m.self.name})
		f.nameSent = err == nil
	}
	if !f.statusMsgSent {
		_, err := m.send(now, f, &StatusMessagePacket{Message: m.self.statusMsg})
		f.statusMsgSent = err == nil
	}
	if !f.userStatusSent {
		_, err := m.send(now, f, &UserStatusPacket{Status: m.self.status})
		f.userStatusSent = err == nil
	}
	if !f.typingSent {
		_, err := m.send(now, f, &TypingPacket{Typing: f.typing})
		f.typingSent = err == nil
	}
}
