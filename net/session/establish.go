package session

import (
	"crypto/sha512"
	"crypto/subtle"
	"encoding/binary"
	"fmt"
	"io"
	"net/netip"
	"time"

	"parley/net/crypto"
	"parley/net/key"
	"parley/net/wire"
)

// cookieRequest builds the 0x18 packet that starts an outgoing connection
// (§6.1) and remembers its echo id and DHT shared key.
func (c *Conn) cookieRequest(now time.Time) ([]byte, error) {
	m := c.m
	var echo [8]byte
	if _, err := io.ReadFull(m.rand, echo[:]); err != nil {
		return nil, fmt.Errorf("%w: echo id: %v", ErrRandom, err)
	}
	c.echoID = binary.BigEndian.Uint64(echo[:])
	c.cookieKey = m.dhtShared(now, c.peerDHT)
	p := CookieRequestPlain{RealPK: m.cfg.Self.Public, EchoID: c.echoID}
	plain, err := p.AppendBinary(m.plainOut[:0])
	if err != nil {
		return nil, err
	}
	req := CookieRequest{DHTPK: m.cfg.DHT.Public}
	if req.Nonce, err = key.RandomNonce(m.rand); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrRandom, err)
	}
	crypto.SealShared(req.Sealed[:0], plain, &req.Nonce, &c.cookieKey)
	return req.AppendBinary(make([]byte, 0, CookieRequestSize))
}

// handleCookieResponse takes the cookie for our request and sends our
// handshake (§6.2, §6.3 flow step 2).
func (c *Conn) handleCookieResponse(now time.Time, pkt []byte) error {
	if c.state != StateCookieRequesting {
		return fmt.Errorf("cookie response in %v: %w", c.state, ErrState)
	}
	resp, err := ParseCookieResponse(pkt)
	if err != nil {
		return err
	}
	plain, err := crypto.OpenShared(c.m.plainIn[:0], resp.Sealed[:], &resp.Nonce, &c.cookieKey)
	if err != nil {
		return fmt.Errorf("cookie response: %w", wire.ErrDecrypt)
	}
	rp, err := ParseCookieResponsePlain(plain)
	if err != nil {
		return err
	}
	if rp.EchoID != c.echoID {
		return ErrEcho
	}
	hs, err := c.handshake(now, &rp.Cookie)
	if err != nil {
		return err
	}
	c.m.stats.CookieResponsesIn++
	c.sampleTemp(now)
	c.setTemp(now, hs)
	c.setState(StateHandshakeSent)
	return nil
}

// handshake builds our 0x1a packet around the peer's cookie (§6.3).
func (c *Conn) handshake(now time.Time, peerCookie *Cookie) ([]byte, error) {
	m := c.m
	hp := HandshakePlain{
		BaseNonce:  c.sendNonce,
		SessionPK:  c.session.Public,
		CookieHash: sha512.Sum512(peerCookie[:]),
	}
	var err error
	if hp.Cookie, err = m.makeCookie(now, c.peer, c.peerDHT); err != nil {
		return nil, err
	}
	plain, err := hp.AppendBinary(m.plainOut[:0])
	if err != nil {
		return nil, err
	}
	hs := Handshake{Cookie: *peerCookie}
	if hs.Nonce, err = key.RandomNonce(m.rand); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrRandom, err)
	}
	crypto.Seal(hs.Sealed[:0], plain, &hs.Nonce, &c.peer, &m.cfg.Self.Secret)
	return hs.AppendBinary(make([]byte, 0, HandshakeSize))
}

// peerHandshake is what a valid handshake tells us.
type peerHandshake struct {
	realPK, dhtPK key.PublicKey
	plain         HandshakePlain
}

// openHandshake checks a handshake as c-toxcore's handle_crypto_handshake
// does: our cookie, not expired; the box from the key inside it; the hash
// of the cookie.
func (m *Manager) openHandshake(now time.Time, pkt []byte) (peerHandshake, error) {
	var ph peerHandshake
	hs, err := ParseHandshake(pkt)
	if err != nil {
		return ph, err
	}
	cc, err := m.openCookie(now, &hs.Cookie)
	if err != nil {
		return ph, fmt.Errorf("session: handshake: %w", err)
	}
	if cc.RealPK == m.cfg.Self.Public {
		return ph, fmt.Errorf("session: handshake from our own key: %w", wire.ErrMalformed)
	}
	plain, err := crypto.Open(m.plainIn[:0], hs.Sealed[:], &hs.Nonce, &cc.RealPK, &m.cfg.Self.Secret)
	if err != nil {
		return ph, fmt.Errorf("session: handshake from %v: %w", cc.RealPK.Short(), wire.ErrDecrypt)
	}
	if ph.plain, err = ParseHandshakePlain(plain); err != nil {
		return ph, err
	}
	sum := sha512.Sum512(hs.Cookie[:])
	if subtle.ConstantTimeCompare(sum[:], ph.plain.CookieHash[:]) != 1 {
		return ph, fmt.Errorf("session: handshake from %v: %w", cc.RealPK.Short(), ErrCookieHash)
	}
	ph.realPK, ph.dhtPK = cc.RealPK, cc.DHTPK
	return ph, nil
}

// handleHandshake routes a valid handshake: to the peer's connection, or
// to a new one if we accept the peer (§6.3 flow step 3, race handling).
func (m *Manager) handleHandshake(now time.Time, src netip.AddrPort, pkt []byte) error {
	return m.handleHandshakeFrom(now, src, pkt, nil)
}

// handleHandshakeFrom is handleHandshake for a packet from src or, through
// a relay, from the client with DHT key *relayed (which the cookie inside
// must name).
func (m *Manager) handleHandshakeFrom(now time.Time, src netip.AddrPort, pkt []byte, relayed *key.PublicKey) error {
	ph, err := m.openHandshake(now, pkt)
	if err != nil {
		return err
	}
	if relayed != nil && ph.dhtPK != *relayed {
		return fmt.Errorf("session: relayed handshake from %v names DHT key %v: %w", relayed.Short(), ph.dhtPK.Short(), wire.ErrMalformed)
	}
	c := m.conns[ph.realPK]
	if c != nil && c.peerDHT != ph.dhtPK {
		// The peer restarted (new DHT key): the old connection is dead.
		m.logf("session %v: new DHT key %v, replacing the connection", ph.realPK.Short(), ph.dhtPK.Short())
		m.stats.Replaced++
		c.close(now, ErrReplaced, true)
		c = nil
	}
	if c != nil {
		return c.wrap(c.handleHandshake(now, src, &ph))
	}
	if m.cfg.Accept == nil || !m.cfg.Accept(ph.realPK) {
		return fmt.Errorf("session %v: %w", ph.realPK.Short(), ErrNotAccepted)
	}
	return m.accept(now, src, &ph)
}

// handleHandshake is a handshake for an existing connection with the same
// DHT key.
func (c *Conn) handleHandshake(now time.Time, src netip.AddrPort, ph *peerHandshake) error {
	switch c.state {
	case StateCookieRequesting:
		// Both initiated: answer with our handshake around its cookie.
		c.setPeerSession(&ph.plain)
		hs, err := c.handshake(now, &ph.plain.Cookie)
		if err != nil {
			return err
		}
		c.setTemp(now, hs)
	case StateHandshakeSent:
		c.sampleTemp(now)
		c.setPeerSession(&ph.plain)
	case StateNotConfirmed:
		if ph.plain.SessionPK != c.peerSession || ph.plain.BaseNonce != c.peerBase {
			c.setPeerSession(&ph.plain) // the peer started its half again
		}
		// Either way it has not seen a data packet from us yet.
		c.SetAddr(now, src)
		c.heard(now, src)
		c.m.stats.HandshakesIn++
		c.sendRequest(now)
		return nil
	default:
		return fmt.Errorf("handshake in %v: %w", c.state, ErrState)
	}
	c.m.stats.HandshakesIn++
	c.SetAddr(now, src)
	c.heard(now, src)
	c.notConfirmed(now)
	return nil
}

// accept starts a connection from a peer's unsolicited handshake.
func (m *Manager) accept(now time.Time, src netip.AddrPort, ph *peerHandshake) error {
	c, err := m.newConn(ph.realPK, ph.dhtPK)
	if err != nil {
		return err
	}
	c.setPeerSession(&ph.plain)
	hs, err := c.handshake(now, &ph.plain.Cookie)
	if err != nil {
		return err
	}
	m.stats.HandshakesIn++
	m.stats.Accepted++
	m.conns[c.peer] = c
	c.SetAddr(now, src)
	c.heard(now, src)
	c.setTemp(now, hs)
	if m.cfg.OnDHTKey != nil {
		m.cfg.OnDHTKey(c, c.peerDHT)
	}
	if c.state == StateClosed {
		return nil
	}
	c.notConfirmed(now)
	return nil
}

// setPeerSession takes the peer's session key and base nonce, and derives
// the session's shared key.
func (c *Conn) setPeerSession(p *HandshakePlain) {
	c.peerSession, c.peerBase = p.SessionPK, p.BaseNonce
	c.recvN.reset(p.BaseNonce)
	c.shared = crypto.Precompute(&c.peerSession, &c.session.Secret)
}

// notConfirmed enters StateNotConfirmed and sends a data packet at once:
// the peer becomes established only when one arrives (§6.3 "Important").
func (c *Conn) notConfirmed(now time.Time) {
	c.setState(StateNotConfirmed)
	if c.state == StateNotConfirmed {
		c.sendRequest(now)
	}
}

// establish enters StateEstablished on the first valid data packet.
func (c *Conn) establish(now time.Time) {
	c.sampleTemp(now) // our handshake to the peer's first data packet
	c.temp = nil
	c.session.Secret = key.SecretKey{} // no later handshake can use it
	c.setState(StateEstablished)
	if c.state == StateEstablished {
		// Our earlier data packets may all have been lost; one more makes
		// the peer established without waiting for the keep-alive.
		c.sendRequest(now)
	}
}

// sampleTemp takes the time since the temp packet went out as an RTT
// sample, unless it went out more than once (ambiguous, as Karn).
func (c *Conn) sampleTemp(now time.Time) {
	if c.tempSends == 1 {
		c.flow.sample(now, now.Sub(c.tempAt))
	}
}

// setTemp makes pkt the packet resent every SendInterval, and sends it.
func (c *Conn) setTemp(now time.Time, pkt []byte) {
	c.temp, c.tempSends, c.tempAt = pkt, 0, time.Time{}
	c.sendTemp(now)
}

// sendTemp sends the temp packet to every address we have (c-toxcore
// picks one; two cost little and find the working family sooner).
// Without a live direct address it also goes through the TCP relays.
func (c *Conn) sendTemp(now time.Time) {
	if c.temp == nil {
		return
	}
	sent := false
	for _, a := range [2]netip.AddrPort{c.addr4, c.addr6} {
		if a.IsValid() {
			c.m.cfg.Send(a, append([]byte(nil), c.temp...))
			sent = true
		}
	}
	if !c.direct(now) && c.sendTCP(append([]byte(nil), c.temp...)) {
		sent = true
	}
	c.tempAt = now // also when no path took it: retried a SendInterval later
	if sent {
		c.tempSends++
	}
}
