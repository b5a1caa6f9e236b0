package friend

// NicknamePacket carries the sender's name (id 48): at most MaxNameLength
// bytes, not NUL-terminated, possibly empty (tox-protocol.md §7). The bytes
// are not checked for UTF-8 here (c-toxcore passes them through).
type NicknamePacket struct {
	Name string
}

// AppendBinary appends the packet.
func (p *NicknamePacket) AppendBinary(b []byte) ([]byte, error) {
	if err := checkText(len(p.Name), 0, MaxNameLength, "name"); err != nil {
		return b, err
	}
	return append(append(b, IDNickname), p.Name...), nil
}

// ParseNicknamePacket parses a NICKNAME packet.
func ParseNicknamePacket(b []byte) (NicknamePacket, error) {
	if err := checkID(b, IDNickname, "nickname"); err != nil {
		return NicknamePacket{}, err
	}
	if err := checkText(len(b)-1, 0, MaxNameLength, "name"); err != nil {
		return NicknamePacket{}, err
	}
	return NicknamePacket{Name: string(b[1:])}, nil
}

// StatusMessagePacket carries the sender's status message (id 49): at most
// MaxStatusMessageLength bytes, possibly empty (§7).
type StatusMessagePacket struct {
	Message string
}

// AppendBinary appends the packet.
func (p *StatusMessagePacket) AppendBinary(b []byte) ([]byte, error) {
	if err := checkText(len(p.Message), 0, MaxStatusMessageLength, "status message"); err != nil {
		return b, err
	}
	return append(append(b, IDStatusMessage), p.Message...), nil
}

// ParseStatusMessagePacket parses a STATUSMESSAGE packet.
func ParseStatusMessagePacket(b []byte) (StatusMessagePacket, error) {
	if err := checkID(b, IDStatusMessage, "status-message"); err != nil {
		return StatusMessagePacket{}, err
	}
	if err := checkText(len(b)-1, 0, MaxStatusMessageLength, "status message"); err != nil {
		return StatusMessagePacket{}, err
	}
	return StatusMessagePacket{Message: string(b[1:])}, nil
}
