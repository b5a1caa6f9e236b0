package friend

// AlivePacket is friend_connection's keep-alive (id 16, one byte), sent
// every PingInterval (tox-protocol.md §7).
type AlivePacket struct{}

// AppendBinary appends the 1-byte packet.
func (*AlivePacket) AppendBinary(b []byte) ([]byte, error) { return append(b, IDAlive), nil }

// ParseAlivePacket parses an ALIVE packet: exactly the id byte.
func ParseAlivePacket(b []byte) (AlivePacket, error) {
	return AlivePacket{}, parseEmpty(b, IDAlive, "alive")
}

// OnlinePacket is Messenger's ONLINE (id 24, one byte): sent when a
// connection comes up; the friend is online once the peer's arrives (§7).
type OnlinePacket struct{}

// AppendBinary appends the 1-byte packet.
func (*OnlinePacket) AppendBinary(b []byte) ([]byte, error) { return append(b, IDOnline), nil }

// ParseOnlinePacket parses an ONLINE packet: exactly the id byte, as
// c-toxcore's m_handle_packet demands (len == 1).
func ParseOnlinePacket(b []byte) (OnlinePacket, error) {
	return OnlinePacket{}, parseEmpty(b, IDOnline, "online")
}

// OfflinePacket is Messenger's OFFLINE (id 25, one byte): the peer is going
// away (c-toxcore sends it when it deletes the friend).
type OfflinePacket struct{}

// AppendBinary appends the 1-byte packet.
func (*OfflinePacket) AppendBinary(b []byte) ([]byte, error) { return append(b, IDOffline), nil }

// ParseOfflinePacket parses an OFFLINE packet: exactly the id byte.
func ParseOfflinePacket(b []byte) (OfflinePacket, error) {
	return OfflinePacket{}, parseEmpty(b, IDOffline, "offline")
}
