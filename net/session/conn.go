package session

import (
	"fmt"
	"net/netip"
	"time"

	"parley/net/crypto"
	"parley/net/key"
)

// Conn is one net_crypto connection to a peer's long-term key. It belongs
// to its Manager and shares its owner goroutine: it is not safe for
// concurrent use. Once closed it stays a dead handle (State is
// StateClosed, Err says why, sends fail with ErrClosed); a new connection
// to the same peer is a new Conn.
type Conn struct {
	m        *Manager
	peer     key.PublicKey // long-term
	peerDHT  key.PublicKey
	state    State
	err      error
	userData any

	// Addresses: one per IP family, as c-toxcore keeps (§6.4 timers).
	addr4, addr6   netip.AddrPort
	heard4, heard6 time.Time
	heardTCP       time.Time // last authenticated packet through a relay

	// Establishment (§6.1–§6.3).
	echoID      uint64
	cookieKey   crypto.SharedKey // DHT shared key of our cookie request
	session     key.Pair         // fresh for this connection
	peerSession key.PublicKey
	peerBase    key.Nonce
	shared      crypto.SharedKey // beforenm(peer session pk, our session sk)
	sendNonce   key.Nonce
	recvN       recvNonces
	temp        []byte // cookie request or handshake being resent
	tempAt      time.Time
	tempSends   int

	// Data (§6.4).
	send        ring[sendSlot]
	recv        ring[recvSlot]
	flow        flow
	lastRequest time.Time
	lastRecv    time.Time
	resumedAt   time.Time // when the peer was last heard after a silence (receive.go)
	ackPending  bool
	ackDue      time.Time

	stats ConnStats
}

func (m *Manager) newConn(peer, peerDHT key.PublicKey) (*Conn, error) {
	c := &Conn{m: m, peer: peer, peerDHT: peerDHT, flow: newFlow()}
	var err error
	if c.session, err = key.NewPair(m.rand); err != nil {
		return nil, fmt.Errorf("%w: session key: %v", ErrRandom, err)
	}
	if c.sendNonce, err = key.RandomNonce(m.rand); err != nil {
		return nil, fmt.Errorf("%w: base nonce: %v", ErrRandom, err)
	}
	return c, nil
}

// Peer returns the peer's long-term public key.
func (c *Conn) Peer() key.PublicKey { return c.peer }

// PeerDHT returns the peer's DHT public key.
func (c *Conn) PeerDHT() key.PublicKey { return c.peerDHT }

// State returns the connection's state.
func (c *Conn) State() State { return c.state }

// Err returns why the connection closed (ErrClosed, ErrKilledByPeer,
// ErrTimeout, ErrReplaced), or nil while it is open.
func (c *Conn) Err() error { return c.err }

// SetUserData attaches a value for the layer above (its friend number...).
func (c *Conn) SetUserData(v any) { c.userData = v }

// UserData returns the value given to SetUserData.
func (c *Conn) UserData() any { return c.userData }

// Addr returns the address data packets go to now (false if none).
func (c *Conn) Addr(now time.Time) (netip.AddrPort, bool) { return c.dst(now) }

// Stats returns the connection's counters and flow state.
func (c *Conn) Stats() ConnStats {
	s := c.stats
	s.RTT, s.MinRTT = c.flow.srtt, c.flow.minRTT
	s.Window = int(c.flow.cwnd)
	s.InFlight, s.RecvBuffered = c.send.span(), c.recv.span()
	return s
}

// Acked reports whether the peer's buffer_start has passed packet number
// n, i.e. it received n and everything before (c-toxcore's
// cryptpacket_received).
func (c *Conn) Acked(n uint32) bool { return int32(n-c.send.start) < 0 }

// SendWindow is how many more lossless packets flow-controlled traffic
// (file data) may send now: the congestion window minus the packets in
// flight, within the free ring slots (c-toxcore's
// crypto_num_free_sendqueue_slots). Leave MinSlotsFree for messages.
func (c *Conn) SendWindow() int {
	if c.state != StateEstablished {
		return 0
	}
	inFlight := int(c.send.span())
	return max(0, min(int(c.flow.cwnd)-inFlight, RingSize-inFlight))
}

// SetAddr gives the connection an address for addr's IP family (from the
// DHT, the onion or a LAN announcement), replacing the previous one of
// that family. Invalid addresses are ignored.
func (c *Conn) SetAddr(now time.Time, addr netip.AddrPort) {
	addr = normalize(addr)
	if c.state == StateClosed || !addr.IsValid() || addr.Port() == 0 {
		return
	}
	slot := &c.addr6
	if addr.Addr().Is4() {
		slot = &c.addr4
	}
	if *slot == addr {
		return
	}
	if old := *slot; old.IsValid() && c.m.byAddr[old] == c {
		delete(c.m.byAddr, old)
	}
	if other := c.m.byAddr[addr]; other != nil && other != c {
		other.dropAddr(addr)
	}
	*slot = addr
	c.m.byAddr[addr] = c
	if c.temp != nil && c.tempSends == 0 {
		c.sendTemp(now) // the cookie request was waiting for an address
	}
}

// dropAddr forgets addr (another connection claimed it).
func (c *Conn) dropAddr(addr netip.AddrPort) {
	if c.addr4 == addr {
		c.addr4, c.heard4 = netip.AddrPort{}, time.Time{}
	}
	if c.addr6 == addr {
		c.addr6, c.heard6 = netip.AddrPort{}, time.Time{}
	}
}

// heard notes an authenticated packet from src.
func (c *Conn) heard(now time.Time, src netip.AddrPort) {
	if !c.lastRecv.IsZero() && now.Sub(c.lastRecv) > maxSilence {
		c.resumedAt = now
	}
	c.lastRecv = now
	switch src {
	case c.addr4:
		c.heard4 = now
	case c.addr6:
		c.heard6 = now
	}
}

func (c *Conn) hasAddr() bool { return c.addr4.IsValid() || c.addr6.IsValid() }

// dst picks where data packets go, as c-toxcore's
// return_ip_port_connection: addresses heard from within DirectTimeout
// first, and among equals a LAN IPv4, then IPv6, then IPv4.
func (c *Conn) dst(now time.Time) (netip.AddrPort, bool) {
	alive4 := c.addr4.IsValid() && now.Sub(c.heard4) < DirectTimeout
	alive6 := c.addr6.IsValid() && now.Sub(c.heard6) < DirectTimeout
	lan4 := c.addr4.IsValid() && isLAN(c.addr4.Addr())
	switch {
	case alive4 && lan4:
		return c.addr4, true
	case alive6:
		return c.addr6, true
	case alive4:
		return c.addr4, true
	case lan4:
		return c.addr4, true
	case c.addr6.IsValid():
		return c.addr6, true
	case c.addr4.IsValid():
		return c.addr4, true
	}
	return netip.AddrPort{}, false
}

func isLAN(a netip.Addr) bool {
	return a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast()
}

// wrap gives a drop reason the peer's key for context.
func (c *Conn) wrap(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("session %v: %w", c.peer.Short(), err)
}

// setState moves to s and tells the layer above.
func (c *Conn) setState(s State) {
	if c.state == s {
		return
	}
	c.state = s
	if c.m.cfg.OnState != nil {
		c.m.cfg.OnState(c, s)
	}
}
