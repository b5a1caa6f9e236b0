package session

import (
	"crypto/rand"
	"fmt"
	"io"
	"net/netip"
	"time"

	"parley/net/crypto"
	"parley/net/key"
	"parley/net/wire"
)

// Manager owns every net_crypto connection of one node: it answers cookie
// requests, demultiplexes 0x19/0x1a/0x1b packets to connections, accepts
// handshakes and runs the timers. It is not safe for concurrent use: one
// owner goroutine calls every method (and receives every callback).
type Manager struct {
	cfg       Config
	rand      io.Reader
	epoch     time.Time
	cookieKey crypto.SharedKey // our random symmetric key for cookies (§6.2)
	dhtKeys   *crypto.SharedKeys
	window    uint32

	conns  map[key.PublicKey]*Conn  // live connections by peer long-term key
	byAddr map[netip.AddrPort]*Conn // and by the addresses they use

	plainIn  [MaxPacketSize]byte // opened packets (never handed out past a callback)
	plainOut [MaxPacketSize]byte // plain text being sealed
	missing  []uint32            // request generation scratch

	stats Stats
}

// dhtKeyCache sizes the Manager's own DHT shared-key cache, used when
// Config.SharedKey is nil.
const (
	dhtKeyCacheSize = 256
	dhtKeyCacheTTL  = 10 * time.Minute
)

// NewManager returns a Manager with a fresh cookie key. It fails only if
// the random source does.
func NewManager(cfg Config, now time.Time) (*Manager, error) {
	m := &Manager{
		cfg:    cfg,
		rand:   cfg.Rand,
		epoch:  now.Add(-time.Hour), // cookie times stay positive if now wobbles
		conns:  make(map[key.PublicKey]*Conn),
		byAddr: make(map[netip.AddrPort]*Conn),
		window: DefaultRecvWindow,
	}
	if m.rand == nil {
		m.rand = rand.Reader
	}
	if m.cfg.Send == nil {
		m.cfg.Send = func(netip.AddrPort, []byte) {}
	}
	if cfg.RecvWindow > 0 {
		m.window = uint32(min(cfg.RecvWindow, RingSize))
	}
	if cfg.SharedKey == nil {
		m.dhtKeys = crypto.NewSharedKeys(cfg.DHT.Secret, dhtKeyCacheSize, dhtKeyCacheTTL)
	}
	if _, err := io.ReadFull(m.rand, m.cookieKey[:]); err != nil {
		return nil, fmt.Errorf("%w: cookie key: %v", ErrRandom, err)
	}
	return m, nil
}

// Stats returns the Manager's counters.
func (m *Manager) Stats() Stats { return m.stats }

// Conn returns the live connection to peer, or nil.
func (m *Manager) Conn(peer key.PublicKey) *Conn { return m.conns[peer] }

// Conns returns the number of live connections.
func (m *Manager) Conns() int { return len(m.conns) }

// HandlePacket handles one UDP packet of kind 0x18, 0x19, 0x1a or 0x1b
// from src. A non-nil error says why it was dropped (wrapping a net/wire
// or session sentinel); no error breaks a connection.
func (m *Manager) HandlePacket(now time.Time, src netip.AddrPort, pkt []byte) error {
	src = normalize(src)
	if err := checkRange(len(pkt), 1, MaxPacketSize); err != nil {
		return fmt.Errorf("session: %w", err)
	}
	switch wire.Kind(pkt[0]) {
	case wire.KindCookieRequest:
		return m.handleCookieRequest(now, src, pkt)
	case wire.KindCookieResponse:
		c := m.byAddr[src]
		if c == nil {
			return fmt.Errorf("session: cookie response from %v: %w", src, ErrUnknownSource)
		}
		return c.wrap(c.handleCookieResponse(now, pkt))
	case wire.KindCryptoHandshake:
		return m.handleHandshake(now, src, pkt)
	case wire.KindCryptoData:
		c := m.byAddr[src]
		if c == nil {
			return fmt.Errorf("session: data from %v: %w", src, ErrUnknownSource)
		}
		return c.wrap(c.handleData(now, src, pkt))
	}
	return fmt.Errorf("session: %w: %v", wire.ErrKind, wire.Kind(pkt[0]))
}

// Tick runs the timers of every connection: cookie request and handshake
// resends and the unestablished timeout, request packets (keep-alive,
// acks, loss reports), resends, and the idle timeout. Call it when
// NextDeadline is reached (or every 50 ms or so).
func (m *Manager) Tick(now time.Time) {
	for _, c := range m.conns {
		c.tick(now)
	}
}

// NextDeadline returns when Tick next has work, or the zero time if no
// connection has a timer running.
func (m *Manager) NextDeadline() time.Time {
	var next time.Time
	for _, c := range m.conns {
		if d := c.deadline(); !d.IsZero() && (next.IsZero() || d.Before(next)) {
			next = d
		}
	}
	return next
}

// Connect starts a connection to peer, whose DHT key is peerDHT, at addr
// (which may be the zero AddrPort when no address is known yet: the
// cookie request waits for SetAddr). If a live connection to peer exists,
// it is returned (and addr added to it).
func (m *Manager) Connect(now time.Time, peer, peerDHT key.PublicKey, addr netip.AddrPort) (*Conn, error) {
	if peer == m.cfg.Self.Public {
		return nil, fmt.Errorf("session: connect to our own key: %w", wire.ErrMalformed)
	}
	if c := m.conns[peer]; c != nil {
		c.SetAddr(now, addr)
		return c, nil
	}
	c, err := m.newConn(peer, peerDHT)
	if err != nil {
		return nil, err
	}
	pkt, err := c.cookieRequest(now)
	if err != nil {
		return nil, err
	}
	c.state = StateCookieRequesting
	m.conns[peer] = c
	c.SetAddr(now, addr)
	c.setTemp(now, pkt)
	return c, nil
}

// SetAddr tells the connection to peer about an address (from the DHT or
// onion), replacing the one of the same IP family. It reports whether a
// live connection exists.
func (m *Manager) SetAddr(now time.Time, peer key.PublicKey, addr netip.AddrPort) bool {
	c := m.conns[peer]
	if c == nil {
		return false
	}
	c.SetAddr(now, addr)
	return true
}

// Close kills every connection (sending kill packets on established ones).
func (m *Manager) Close(now time.Time) {
	for _, c := range m.conns {
		c.Kill(now)
	}
}

// handleCookieRequest answers a cookie request statelessly (§6.1, §6.2).
func (m *Manager) handleCookieRequest(now time.Time, src netip.AddrPort, pkt []byte) error {
	b, err := m.answerCookieRequest(now, pkt)
	if err != nil {
		return fmt.Errorf("session: cookie request from %v: %w", src, err)
	}
	m.cfg.Send(src, b)
	return nil
}

// answerCookieRequest returns the cookie response to a cookie request.
func (m *Manager) answerCookieRequest(now time.Time, pkt []byte) ([]byte, error) {
	req, err := ParseCookieRequest(pkt)
	if err != nil {
		return nil, err
	}
	shared := m.dhtShared(now, req.DHTPK)
	plain, err := crypto.OpenShared(m.plainIn[:0], req.Sealed[:], &req.Nonce, &shared)
	if err != nil {
		return nil, wire.ErrDecrypt
	}
	rp, err := ParseCookieRequestPlain(plain)
	if err != nil {
		return nil, err
	}
	resp := CookieResponsePlain{EchoID: rp.EchoID}
	if resp.Cookie, err = m.makeCookie(now, rp.RealPK, req.DHTPK); err != nil {
		return nil, err
	}
	plain, err = resp.AppendBinary(m.plainOut[:0])
	if err != nil {
		return nil, err
	}
	var out CookieResponse
	if out.Nonce, err = key.RandomNonce(m.rand); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrRandom, err)
	}
	crypto.SealShared(out.Sealed[:0], plain, &out.Nonce, &shared)
	b, err := out.AppendBinary(make([]byte, 0, CookieResponseSize))
	if err != nil {
		return nil, err
	}
	m.stats.CookieRequestsIn++
	return b, nil
}

func (m *Manager) dhtShared(now time.Time, pk key.PublicKey) crypto.SharedKey {
	if m.cfg.SharedKey != nil {
		return m.cfg.SharedKey(now, pk)
	}
	return m.dhtKeys.Get(now, &pk)
}

// stamp is the cookie time of now: nanoseconds since the epoch.
func (m *Manager) stamp(now time.Time) uint64 { return uint64(max(now.Sub(m.epoch), 0)) }

// makeCookie seals a cookie for a requester (§6.2).
func (m *Manager) makeCookie(now time.Time, realPK, dhtPK key.PublicKey) (Cookie, error) {
	var c Cookie
	cc := CookieContents{Time: m.stamp(now), RealPK: realPK, DHTPK: dhtPK}
	var buf [cookieContentsSize]byte
	plain, err := cc.AppendBinary(buf[:0])
	if err != nil {
		return c, err
	}
	n, err := key.RandomNonce(m.rand)
	if err != nil {
		return c, fmt.Errorf("%w: %v", ErrRandom, err)
	}
	copy(c[:], n[:])
	crypto.SealShared(c[key.NonceSize:key.NonceSize], plain, &n, &m.cookieKey)
	return c, nil
}

// openCookie opens one of our cookies and checks its age.
func (m *Manager) openCookie(now time.Time, c *Cookie) (CookieContents, error) {
	var n key.Nonce
	copy(n[:], c[:])
	var buf [cookieContentsSize]byte
	plain, err := crypto.OpenShared(buf[:0], c[key.NonceSize:], &n, &m.cookieKey)
	if err != nil {
		return CookieContents{}, fmt.Errorf("%w: %w", ErrCookie, wire.ErrDecrypt)
	}
	cc, err := ParseCookieContents(plain)
	if err != nil {
		return cc, err
	}
	if age := time.Duration(m.stamp(now) - cc.Time); age < 0 || age > CookieTimeout {
		return cc, fmt.Errorf("%w: %v old", ErrCookie, age)
	}
	return cc, nil
}

func (m *Manager) logf(format string, args ...any) {
	if m.cfg.Logf != nil {
		m.cfg.Logf(format, args...)
	}
}

// normalize unmaps IPv4-mapped IPv6 addresses, as c-toxcore does.
func normalize(a netip.AddrPort) netip.AddrPort {
	return netip.AddrPortFrom(a.Addr().Unmap(), a.Port())
}
