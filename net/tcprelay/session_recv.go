package tcprelay

import (
	"crypto/rand"
	"fmt"

	"parley/net/wire"
)

var defaultRand = rand.Reader

// Receive opens one frame body (the bytes after its length), handles the
// packet, and returns the event it produces (nil for none) and a packet to
// send back (a Pong, or nil). An error means the connection must be
// closed, as c-toxcore's client closes it: a frame that does not open, a
// packet under 2 bytes or malformed, a pong with id 0, a notification for
// an id under 16, or a packet only clients send (ErrProtocol).
func (s *Session) Receive(sealed []byte) (Event, Packet, error) {
	if s.recv == nil {
		return nil, nil, ErrNotEstablished
	}
	plain, err := s.recv.OpenFrame(s.inBuf[:0], sealed)
	if err != nil {
		return nil, nil, err
	}
	s.inBuf = plain
	if len(plain) < MinPlainSize {
		return nil, nil, fmt.Errorf("%w: %w (plain packet of %d bytes)", ErrProtocol, wire.ErrShort, len(plain))
	}
	ev, reply, err := s.handle(plain)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %w", ErrProtocol, err)
	}
	return ev, reply, nil
}

func (s *Session) handle(b []byte) (Event, Packet, error) {
	switch PacketID(b[0]) {
	case IDRoutingResponse:
		m, err := ParseRoutingResponse(b)
		if err != nil {
			return nil, nil, err
		}
		return s.routed(m), nil, nil
	case IDConnectNotification:
		m, err := ParseConnectNotification(b)
		if err != nil {
			return nil, nil, err
		}
		return s.setOnline(m.ConnID, true), nil, nil
	case IDDisconnectNotification:
		m, err := ParseDisconnectNotification(b)
		if err != nil {
			return nil, nil, err
		}
		return s.setOnline(m.ConnID, false), nil, nil
	case IDPing:
		m, err := ParsePing(b)
		if err != nil {
			return nil, nil, err
		}
		if m.ID == 0 { // c-toxcore does not answer it either
			s.ignored++
			return nil, nil, nil
		}
		s.answered++
		return nil, &Pong{ID: m.ID}, nil
	case IDPong:
		m, err := ParsePong(b)
		if err != nil {
			return nil, nil, err
		}
		if m.ID == s.pingID {
			s.pingID = 0
		} else {
			s.ignored++
		}
		return nil, nil, nil
	case IDOOBRecv:
		m, err := ParseOOBRecv(b)
		if err != nil {
			return nil, nil, err
		}
		return OOBReceived(m), nil, nil
	case IDOnionResponse:
		m, err := ParseOnionResponse(b)
		if err != nil {
			return nil, nil, err
		}
		return OnionReceived(m), nil, nil
	case IDForwarding:
		s.ignored++
		return nil, nil, nil
	}
	if !ConnID(b[0]).Valid() {
		return nil, nil, fmt.Errorf("%w (%v is not for clients)", wire.ErrKind, PacketID(b[0]))
	}
	m, err := ParseData(b)
	if err != nil {
		return nil, nil, err
	}
	sl := s.conns[m.ConnID]
	if sl.state == slotFree {
		s.ignored++ // we dropped the id; the relay may still have had data queued
		return nil, nil, nil
	}
	return Received{ConnID: m.ConnID, PK: sl.pk, Data: m.Payload}, nil, nil
}

// routed records a routing response. As c-toxcore, a response for an id
// we already hold for another key is ignored; for the same key it is
// reported again (a repeated request gets the existing id).
func (s *Session) routed(m RoutingResponse) Event {
	if !m.ConnID.Valid() {
		return RouteRefused{PK: m.PK}
	}
	sl := &s.conns[m.ConnID]
	switch {
	case sl.state == slotFree:
		*sl = slot{state: slotOffline, pk: m.PK}
	case sl.pk != m.PK:
		s.ignored++
		return nil
	}
	return Routed{ConnID: m.ConnID, PK: m.PK}
}

// setOnline applies a connect or disconnect notification: only offline →
// online and online → offline change anything.
func (s *Session) setOnline(id ConnID, online bool) Event {
	sl := &s.conns[id]
	switch {
	case online && sl.state == slotOffline:
		sl.state = slotOnline
		return PeerOnline{ConnID: id, PK: sl.pk}
	case !online && sl.state == slotOnline:
		sl.state = slotOffline
		return PeerOffline{ConnID: id, PK: sl.pk}
	}
	s.ignored++
	return nil
}
