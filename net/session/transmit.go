package session

import (
	"fmt"
	"net/netip"
	"time"

	"parley/net/crypto"
	"parley/net/key"
)

// SendLossless queues id+payload (data[0] in 16..191, at most MaxDataSize
// bytes) and sends it at once. It returns the packet number that OnAcked
// will report when the peer has it. Like c-toxcore's write_cryptpacket it
// refuses before StateEstablished (ErrNotEstablished); it fails with
// ErrQueueFull when RingSize packets are unacknowledged. It never waits
// for the congestion window: flow-controlled senders check SendWindow.
func (c *Conn) SendLossless(now time.Time, data []byte) (uint32, error) {
	if err := c.sendable(data, LosslessFirst, LosslessLast); err != nil {
		return 0, err
	}
	s := &c.send
	if s.span() >= RingSize {
		return 0, c.wrap(ErrQueueFull)
	}
	n := s.end
	s.reserve(s.span() + 1)
	sl := s.at(n)
	*sl = sendSlot{data: append([]byte(nil), data...), sentAt: now}
	s.end++
	c.stats.LosslessOut++
	c.sendData(now, n, sl.data)
	return n, nil
}

// SendLossy sends id+payload (data[0] in 192..254) once, unreliably.
func (c *Conn) SendLossy(now time.Time, data []byte) error {
	if err := c.sendable(data, LossyFirst, LossyLast); err != nil {
		return err
	}
	c.sendData(now, c.send.end, data)
	return nil
}

func (c *Conn) sendable(data []byte, first, last byte) error {
	switch {
	case c.state == StateClosed:
		return c.wrap(ErrClosed)
	case c.state != StateEstablished:
		return c.wrap(ErrNotEstablished)
	case len(data) == 0 || len(data) > MaxDataSize:
		return c.wrap(fmt.Errorf("%w: %d bytes", ErrTooLarge, len(data)))
	case data[0] < first || data[0] > last:
		return c.wrap(fmt.Errorf("%w: %d not in %d..%d", ErrPacketID, data[0], first, last))
	}
	return nil
}

// Kill closes the connection, sending a kill packet if it is established
// (c-toxcore's crypto_kill). OnState reports StateClosed with ErrClosed.
func (c *Conn) Kill(now time.Time) { c.close(now, ErrClosed, true) }

// close ends the connection for reason.
func (c *Conn) close(now time.Time, reason error, sendKill bool) {
	if c.state == StateClosed {
		return
	}
	if sendKill && c.state == StateEstablished {
		c.sendData(now, c.send.end, []byte{IDKill})
	}
	m := c.m
	if m.conns[c.peer] == c {
		delete(m.conns, c.peer)
	}
	for _, a := range [2]netip.AddrPort{c.addr4, c.addr6} {
		if a.IsValid() && m.byAddr[a] == c {
			delete(m.byAddr, a)
		}
	}
	c.err = reason
	c.send.release()
	c.recv.release()
	c.temp = nil
	c.session.Secret, c.shared, c.cookieKey = key.SecretKey{}, crypto.SharedKey{}, crypto.SharedKey{}
	m.logf("session %v: closed: %v", c.peer.Short(), reason)
	c.setState(StateClosed)
}

// sendData seals and sends one data packet (§6.4) numbered n, carrying
// our buffer_start, and moves the send nonce on.
func (c *Conn) sendData(now time.Time, n uint32, data []byte) {
	m := c.m
	p := DataPlain{BufferStart: c.recv.start, PacketNumber: n, Data: data}
	plain, err := p.AppendBinary(m.plainOut[:0])
	if err != nil {
		m.logf("session %v: data packet: %v", c.peer.Short(), err)
		return
	}
	low := uint16(c.sendNonce[key.NonceSize-2])<<8 | uint16(c.sendNonce[key.NonceSize-1])
	pkt := AppendDataHeader(make([]byte, 0, 3+len(plain)+crypto.Overhead), low)
	pkt = crypto.SealShared(pkt, plain, &c.sendNonce, &c.shared)
	c.sendNonce.Increment()
	c.ackPending = false
	c.stats.PacketsOut++
	if c.direct(now) {
		dst, _ := c.dst(now)
		m.cfg.Send(dst, pkt)
		return
	}
	// No direct address alive: the relays carry it, and a known address
	// gets a copy in case UDP works again (c-toxcore's send_packet_to).
	if dst, ok := c.dst(now); ok {
		m.cfg.Send(dst, append([]byte(nil), pkt...))
	}
	c.sendTCP(pkt)
}

// sendRequest sends a request packet (§6.4): our buffer_start (the ack),
// the missing numbers of our receive ring, and as packet number our send
// buffer_end (which tells the peer how far to look for losses).
func (c *Conn) sendRequest(now time.Time) {
	r := &c.recv
	span := min(r.span(), c.m.window)
	req := Request{Missing: c.m.missing[:0], Covered: span}
	for off := uint32(0); off < span && len(req.Missing) < MaxRequestBytes; off++ {
		if r.at(r.start+off).data == nil {
			req.Missing = append(req.Missing, off)
		}
	}
	if n := len(req.Missing); n == MaxRequestBytes {
		req.Covered = req.Missing[n-1] + 1
	}
	c.m.missing = req.Missing
	var buf [MaxDataSize]byte
	data, err := req.AppendBinary(buf[:0])
	if err != nil {
		c.m.logf("session %v: request: %v", c.peer.Short(), err)
		return
	}
	c.lastRequest = now
	c.stats.RequestsOut++
	c.sendData(now, c.send.end, data)
}

// flushResends sends the packets the peer asked for, as tokens allow.
func (c *Conn) flushResends(now time.Time) {
	s := &c.send
	n := s.start
	for ; n != s.end && c.flow.resendsDue > 0; n++ {
		sl := s.at(n)
		if !sl.marked {
			continue
		}
		if !c.flow.take(now) {
			return
		}
		sl.marked = false
		c.flow.resendsDue--
		sl.sentAt, sl.resent = now, true
		c.stats.Resent++
		c.sendData(now, n, sl.data)
		if c.state == StateClosed {
			return
		}
	}
	if n == s.end && c.flow.resendsDue != 0 {
		// Cannot happen; never let a stale count keep the timer hot.
		c.m.logf("session %v: %d resends counted but none marked", c.peer.Short(), c.flow.resendsDue)
		c.flow.resendsDue = 0
	}
}

// tick runs the connection's timers.
func (c *Conn) tick(now time.Time) {
	switch c.state {
	case StateCookieRequesting, StateHandshakeSent, StateNotConfirmed:
		if c.temp != nil && c.hasPath() && !now.Before(c.tempAt.Add(SendInterval)) {
			if c.tempSends >= MaxTempSends {
				c.close(now, ErrTimeout, false)
				return
			}
			c.sendTemp(now)
		}
	}
	if c.state != StateNotConfirmed && c.state != StateEstablished {
		return
	}
	if t := c.m.cfg.IdleTimeout; t > 0 && c.state == StateEstablished && now.Sub(c.lastRecv) >= t {
		c.close(now, ErrTimeout, true)
		return
	}
	if !now.Before(c.nextRequestAt()) {
		c.sendRequest(now)
	}
	c.flushResends(now)
}

// nextRequestAt is when the next request packet is due: every
// SendInterval (the keep-alive, as c-toxcore); AckDelay after lossless
// data arrived unless another packet carried the ack; every holeInterval
// while our receive ring has holes; and, while our own packets are
// unacknowledged, every 2·RTT (within holeInterval..SendInterval) so the
// peer learns our buffer_end and reports lost tails.
func (c *Conn) nextRequestAt() time.Time {
	t := c.lastRequest.Add(SendInterval)
	if c.ackPending && c.ackDue.Before(t) {
		t = c.ackDue
	}
	if c.recv.span() > 0 {
		t = minTime(t, c.lastRequest.Add(holeInterval))
	}
	if c.send.span() > 0 {
		probe := min(max(2*c.flow.srtt, holeInterval), SendInterval)
		t = minTime(t, c.lastRequest.Add(probe))
	}
	return t
}

// deadline is when tick next has work (zero: nothing scheduled).
func (c *Conn) deadline() time.Time {
	var t time.Time
	switch c.state {
	case StateCookieRequesting, StateHandshakeSent:
		if c.temp != nil && c.hasPath() {
			t = c.tempAt.Add(SendInterval)
		}
		return t
	case StateNotConfirmed:
		t = c.nextRequestAt()
		if c.temp != nil && c.hasPath() {
			t = minTime(t, c.tempAt.Add(SendInterval))
		}
		return t
	case StateEstablished:
		t = c.nextRequestAt()
		if c.flow.resendsDue > 0 {
			t = minTime(t, c.flow.tokenAt())
		}
		if d := c.m.cfg.IdleTimeout; d > 0 {
			t = minTime(t, c.lastRecv.Add(d))
		}
		return t
	}
	return t
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}
