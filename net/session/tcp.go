package session

import (
	"fmt"
	"net/netip"
	"time"

	"parley/net/key"
	"parley/net/wire"
)

// TCP relay paths (tox-protocol.md §9). net_crypto packets ride a relay
// unchanged, as routed data or out-of-band packets; the relay knows peers
// by their DHT key, so a packet from a relay is tied to the connection of
// that DHT key, not to an address. A connection sends through the relays
// (Config.SendTCP) whenever no direct UDP address has been heard from
// within DirectTimeout, and UDP alone once one has: direct UDP is
// preferred as soon as it works.

// hasPath reports whether the connection has anywhere to send its cookie
// request or handshake: an address, or the relays.
func (c *Conn) hasPath() bool { return c.hasAddr() || c.m.cfg.SendTCP != nil }

// Direct reports whether a direct UDP address was heard from within
// DirectTimeout: the connection then sends over UDP only.
func (c *Conn) Direct(now time.Time) bool { return c.direct(now) }

func (c *Conn) direct(now time.Time) bool {
	return (c.addr4.IsValid() && now.Sub(c.heard4) < DirectTimeout) ||
		(c.addr6.IsValid() && now.Sub(c.heard6) < DirectTimeout)
}

// sendTCP hands pkt to the relays; it reports whether a path took it.
func (c *Conn) sendTCP(pkt []byte) bool {
	if c.m.cfg.SendTCP == nil {
		return false
	}
	return c.m.cfg.SendTCP(c.peerDHT, pkt)
}

// Relayed reports whether the connection runs through a TCP relay: no
// direct UDP address is alive and the peer was heard through a relay
// within DirectTimeout.
func (c *Conn) Relayed(now time.Time) bool {
	return !c.direct(now) && !c.heardTCP.IsZero() && now.Sub(c.heardTCP) < DirectTimeout
}

// HandleTCPPacket handles one net_crypto packet (0x18..0x1b) that came
// through a TCP relay from the client whose DHT key is from, as routed
// data or out of band. A cookie request is answered through reply (the
// same relay path); cookie responses, handshakes and data go to the
// connection of that DHT key, or start one as HandlePacket does. The
// error says why a packet was dropped.
func (m *Manager) HandleTCPPacket(now time.Time, from key.PublicKey, pkt []byte, reply func(pkt []byte)) error {
	if err := checkRange(len(pkt), 1, MaxPacketSize); err != nil {
		return fmt.Errorf("session: relayed: %w", err)
	}
	var none netip.AddrPort // a relay has no address: nothing is learned from it
	switch wire.Kind(pkt[0]) {
	case wire.KindCookieRequest:
		req, err := ParseCookieRequest(pkt)
		if err != nil {
			return err
		}
		if req.DHTPK != from {
			return fmt.Errorf("session: relayed cookie request from %v names DHT key %v: %w", from.Short(), req.DHTPK.Short(), wire.ErrMalformed)
		}
		resp, err := m.answerCookieRequest(now, pkt)
		if err != nil {
			return err
		}
		reply(resp)
		return nil
	case wire.KindCookieResponse:
		c := m.byPeerDHT(from)
		if c == nil {
			return fmt.Errorf("session: relayed cookie response from %v: %w", from.Short(), ErrUnknownSource)
		}
		return c.wrap(c.handleCookieResponse(now, pkt))
	case wire.KindCryptoHandshake:
		if err := m.handleHandshakeFrom(now, none, pkt, &from); err != nil {
			return err
		}
		if c := m.byPeerDHT(from); c != nil {
			c.heardTCP = now
		}
		return nil
	case wire.KindCryptoData:
		c := m.byPeerDHT(from)
		if c == nil {
			return fmt.Errorf("session: relayed data from %v: %w", from.Short(), ErrUnknownSource)
		}
		if err := c.handleData(now, none, pkt); err != nil {
			return c.wrap(err)
		}
		c.heardTCP = now
		return nil
	}
	return fmt.Errorf("session: relayed: %w: %v", wire.ErrKind, wire.Kind(pkt[0]))
}

// byPeerDHT finds the live connection to the peer with DHT key pk.
func (m *Manager) byPeerDHT(pk key.PublicKey) *Conn {
	for _, c := range m.conns {
		if c.peerDHT == pk && c.state != StateClosed {
			return c
		}
	}
	return nil
}
