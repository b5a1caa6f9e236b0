package tcprelay

import (
	"encoding/binary"
	"fmt"
	"io"
	"time"

	"parley/net/crypto"
	"parley/net/key"
	"parley/net/wire"
)

// slotState is what we know about one connection id, as c-toxcore's
// client keeps it: free, routed but the peer not (yet) connected, or online.
type slotState uint8

const (
	slotFree slotState = iota
	slotOffline
	slotOnline
)

type slot struct {
	state slotState
	pk    key.PublicKey
}

// Session is the state machine of one client connection to a relay: the
// handshake, both frame ciphers, the connection-id table and the pings
// (tox-protocol.md §9). It does no I/O and reads no clock: the caller
// writes Hello, feeds the relay's reply to HandleHandshake and every frame
// body to Receive, calls Tick at NextDeadline, and writes what Seal
// returns, in order. Not safe for concurrent use.
type Session struct {
	self  key.PublicKey
	relay key.PublicKey
	rnd   io.Reader

	hello    []byte
	hsKey    crypto.SharedKey // beforenm(relay pk, our DHT sk)
	temp     key.Pair         // our temporary key pair, wiped after the handshake
	base     key.Nonce        // our base nonce
	send     *Cipher          // nil until the handshake completes
	recv     *Cipher
	conns    [256]slot // indexed by ConnID; 0..15 stay free
	pingID   uint64    // the ping in flight, 0 if none
	pingAt   time.Time // when it was sent
	next     time.Time // when the next ping is due
	inBuf    []byte
	outBuf   []byte
	ignored  uint64
	answered uint64
}

// NewSession starts a connection to the relay with key relay, as the
// client with DHT key pair self. It draws a temporary key pair and two
// nonces from rnd (nil: crypto/rand) and prepares the 128-byte Hello.
func NewSession(self key.Pair, relay key.PublicKey, rnd io.Reader) (*Session, error) {
	s := &Session{self: self.Public, relay: relay, rnd: rnd}
	var err error
	if s.temp, err = key.NewPair(rnd); err != nil {
		return nil, fmt.Errorf("tcprelay: handshake key: %w", err)
	}
	if s.base, err = key.RandomNonce(rnd); err != nil {
		return nil, fmt.Errorf("tcprelay: base nonce: %w", err)
	}
	hs := ClientHandshake{PK: self.Public}
	if hs.Nonce, err = key.RandomNonce(rnd); err != nil {
		return nil, fmt.Errorf("tcprelay: handshake nonce: %w", err)
	}
	s.hsKey = crypto.Precompute(&relay, &self.Secret)
	plain := HandshakePlain{TempPK: s.temp.Public, BaseNonce: s.base}
	pb, err := plain.AppendBinary(make([]byte, 0, HandshakePlainSize))
	if err != nil {
		return nil, err
	}
	copy(hs.Sealed[:], crypto.SealShared(nil, pb, &hs.Nonce, &s.hsKey))
	if s.hello, err = hs.AppendBinary(make([]byte, 0, ClientHandshakeSize)); err != nil {
		return nil, err
	}
	return s, nil
}

// Hello returns the client handshake, the first bytes to write.
func (s *Session) Hello() []byte { return s.hello }

// Relay returns the relay's public key.
func (s *Session) Relay() key.PublicKey { return s.relay }

// Established reports whether the handshake has completed.
func (s *Session) Established() bool { return s.send != nil }

// HandleHandshake takes the relay's 96-byte reply. On success the session
// is established and the first ping is due at once: the relay accepts a
// connection only when a first frame arrives, so call Tick(now) next.
func (s *Session) HandleHandshake(now time.Time, b []byte) error {
	if s.send != nil {
		return fmt.Errorf("tcprelay: second handshake: %w", ErrProtocol)
	}
	hs, err := ParseServerHandshake(b)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrHandshake, err)
	}
	pb, err := crypto.OpenShared(nil, hs.Sealed[:], &hs.Nonce, &s.hsKey)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrHandshake, wire.ErrDecrypt)
	}
	plain, err := ParseHandshakePlain(pb)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrHandshake, err)
	}
	session := crypto.Precompute(&plain.TempPK, &s.temp.Secret)
	s.send = NewCipher(session, s.base)
	s.recv = NewCipher(session, plain.BaseNonce)
	s.temp = key.Pair{}
	s.hsKey = crypto.SharedKey{}
	s.next = now
	return nil
}

// Seal validates a packet we are about to send, appends its frame to dst
// and applies its effect on our state (a DisconnectNotification frees the
// id). Data needs an online id (ErrNotOnline): the relay would drop it,
// or drop us when the id is unknown to it. A disconnect needs an id we
// hold (ErrUnknownConn). Clients send RoutingRequest, Data, OOBSend,
// OnionRequest, DisconnectNotification, Ping and Pong
// (ErrNotClientPacket for the rest).
func (s *Session) Seal(dst []byte, p Packet) ([]byte, error) {
	if s.send == nil {
		return dst, ErrNotEstablished
	}
	var free ConnID
	switch p := p.(type) {
	case *RoutingRequest, *OOBSend, *OnionRequest, *Ping, *Pong:
	case *Data:
		if s.conns[p.ConnID].state != slotOnline {
			return dst, fmt.Errorf("tcprelay: data for connection %d: %w", p.ConnID, ErrNotOnline)
		}
	case *DisconnectNotification:
		if s.conns[p.ConnID].state == slotFree {
			return dst, fmt.Errorf("tcprelay: disconnect of connection %d: %w", p.ConnID, ErrUnknownConn)
		}
		free = p.ConnID
	default:
		return dst, fmt.Errorf("tcprelay: %v: %w", p.PacketID(), ErrNotClientPacket)
	}
	plain, err := p.AppendBinary(s.outBuf[:0])
	if err != nil {
		return dst, err
	}
	s.outBuf = plain
	if dst, err = s.send.SealFrame(dst, plain); err != nil {
		return dst, err
	}
	if free != 0 {
		s.conns[free] = slot{}
	}
	return dst, nil
}

// Tick runs the ping timer: it returns a Ping to send when one is due
// (at once after the handshake, then every PingInterval) and
// ErrPingTimeout when the ping in flight has gone unanswered for
// PingTimeout; the connection is then dead.
func (s *Session) Tick(now time.Time) (Packet, error) {
	if s.send == nil {
		return nil, nil
	}
	var out Packet
	if !now.Before(s.next) {
		id, err := s.newPingID()
		if err != nil {
			return nil, err
		}
		s.pingID, s.pingAt, s.next = id, now, now.Add(PingInterval)
		out = &Ping{ID: id}
	}
	if s.pingID != 0 && !now.Before(s.pingAt.Add(PingTimeout)) {
		return nil, ErrPingTimeout
	}
	return out, nil
}

// NextDeadline returns when Tick next has work; ok is false before the
// handshake.
func (s *Session) NextDeadline() (t time.Time, ok bool) {
	if s.send == nil {
		return time.Time{}, false
	}
	if s.pingID != 0 {
		if to := s.pingAt.Add(PingTimeout); to.Before(s.next) {
			return to, true
		}
	}
	return s.next, true
}

// Answered counts the relay's pings we answered.
func (s *Session) Answered() uint64 { return s.answered }

// Held returns the connection ids we hold (routed, online or not), in
// order.
func (s *Session) Held() []ConnID {
	var ids []ConnID
	for id := int(FirstConnID); id < len(s.conns); id++ {
		if s.conns[id].state != slotFree {
			ids = append(ids, ConnID(id))
		}
	}
	return ids
}

// Ignored counts packets dropped without effect: data for an id we do not
// hold, notifications that do not change an id's state, forwarding (11),
// pings with id 0, pongs for another ping.
func (s *Session) Ignored() uint64 { return s.ignored }

// newPingID draws a non-zero ping id.
func (s *Session) newPingID() (uint64, error) {
	var b [8]byte
	r := s.rnd
	if r == nil {
		r = defaultRand
	}
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return 0, fmt.Errorf("tcprelay: ping id: %w", err)
	}
	id := binary.BigEndian.Uint64(b[:])
	if id == 0 {
		id = 1
	}
	return id, nil
}
