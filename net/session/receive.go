package session

import (
	"fmt"
	"net/netip"
	"time"

	"parley/net/crypto"
	"parley/net/wire"
)

// handleData authenticates and processes one data packet (§6.4). Nothing
// an unauthenticated packet carries touches the connection; an
// authenticated one is used once (replays are refused).
func (c *Conn) handleData(now time.Time, src netip.AddrPort, pkt []byte) error {
	if c.state != StateNotConfirmed && c.state != StateEstablished {
		return fmt.Errorf("data in %v: %w", c.state, ErrState)
	}
	dp, err := ParseDataPacket(pkt)
	if err != nil {
		return err
	}
	nonce, diff := c.recvN.candidate(dp.NonceLow)
	plain, err := crypto.OpenShared(c.m.plainIn[:0], dp.Sealed, &nonce, &c.shared)
	if err != nil {
		c.stats.BadMAC++
		return fmt.Errorf("data packet: %w", wire.ErrDecrypt)
	}
	if !c.recvN.accept(diff) {
		c.stats.Replays++
		return ErrReplay
	}
	c.stats.PacketsIn++
	c.heard(now, src)
	p, err := ParseDataPlain(plain)
	if err != nil {
		return err
	}
	if err := c.takeAck(now, p.BufferStart); err != nil || c.state == StateClosed {
		return err
	}
	id := p.Data[0]
	if id == IDKill {
		c.close(now, ErrKilledByPeer, false)
		return nil
	}
	if c.state == StateNotConfirmed {
		c.establish(now)
		if c.state != StateEstablished {
			return nil
		}
	}
	switch {
	case id == IDRequest:
		req, err := ParseRequest(p.Data)
		if err != nil {
			return err
		}
		c.stats.RequestsIn++
		c.takeRequest(now, p.BufferStart, &req)
		c.setRecvEnd(p.PacketNumber)
	case id >= LosslessFirst && id <= LosslessLast:
		return c.takeLossless(now, p.PacketNumber, p.Data)
	case id >= LossyFirst && id <= LossyLast:
		c.setRecvEnd(p.PacketNumber)
		c.stats.LossyIn++
		if c.m.cfg.OnLossy != nil {
			c.m.cfg.OnLossy(c, p.Data)
		}
	default:
		return fmt.Errorf("%w: %d", ErrPacketID, id)
	}
	return nil
}

// takeAck applies the peer's buffer_start: every packet before it arrived,
// so its slot is freed and OnAcked reports it. An ack behind ours comes
// from a reordered packet and is ignored (c-toxcore would drop the whole
// packet); one past our buffer_end is a protocol error.
func (c *Conn) takeAck(now time.Time, bs uint32) error {
	s := &c.send
	adv := bs - s.start
	if adv == 0 {
		return nil
	}
	if adv > s.span() {
		if int32(adv) < 0 {
			return nil
		}
		return fmt.Errorf("%w: ack %d past our buffer_end %d", ErrWindow, bs, s.end)
	}
	first := s.start
	var newest time.Time
	freed := 0
	for n := first; n != bs; n++ {
		sl := s.at(n)
		freed += c.free(sl, &newest)
		*sl = sendSlot{}
	}
	s.start = bs
	c.flow.ackedTo(bs)
	c.sampled(now, newest, freed)
	s.shrink()
	if c.m.cfg.OnAcked != nil {
		for n := first; n != bs; n++ {
			c.m.cfg.OnAcked(c, n)
			if c.state == StateClosed {
				return nil
			}
		}
	}
	return nil
}

// free releases a slot's packet (it reached the peer) and returns 1 if it
// held one; newest tracks the latest first transmission for an RTT sample.
func (c *Conn) free(sl *sendSlot, newest *time.Time) int {
	if sl.data == nil {
		return 0
	}
	if sl.marked {
		sl.marked = false
		c.flow.resendsDue--
	}
	if !sl.resent && sl.sentAt.After(*newest) {
		*newest = sl.sentAt
	}
	sl.data = nil
	return 1
}

// sampled feeds the flow state with freed packets. newest (the latest
// first transmission among them) gives an RTT sample only if it went out
// after the peer was last heard again after a silence: an older packet
// may have reached the peer long ago and its ack been lost in the outage.
func (c *Conn) sampled(now, newest time.Time, freed int) {
	if !newest.IsZero() && !newest.Before(c.resumedAt) {
		c.flow.sample(now, now.Sub(newest))
	}
	c.flow.acked(freed)
}

// takeRequest applies a request (§6.4) whose list is relative to bs, the
// buffer_start of its packet: named slots are resent if they went out at
// least resendAfter ago; slots passed over unnamed are freed.
func (c *Conn) takeRequest(now time.Time, bs uint32, req *Request) {
	s := &c.send
	lo := s.start - bs // where our ring starts in the request's frame
	if int32(lo) < 0 {
		return // cannot happen after takeAck; be safe
	}
	hi := min(req.Covered, s.end-bs)
	thr := c.flow.resendAfter()
	mi := 0
	for mi < len(req.Missing) && req.Missing[mi] < lo {
		mi++
	}
	var newest time.Time
	freed, lost := 0, false
	for off := lo; off < hi; off++ {
		sl := s.at(bs + off)
		if mi < len(req.Missing) && req.Missing[mi] == off {
			mi++
			if sl.data != nil && !sl.marked && now.Sub(sl.sentAt) >= thr {
				sl.marked = true
				c.flow.resendsDue++
				lost = true
			}
			continue
		}
		freed += c.free(sl, &newest)
	}
	if lost {
		c.flow.lost(s.end)
	}
	c.sampled(now, newest, freed)
	c.flushResends(now)
}

// setRecvEnd applies the packet number of a request or lossy packet: the
// peer's send buffer_end, so every number before it is due (c-toxcore's
// set_buffer_end). It only moves forward, and not past our window.
func (c *Conn) setRecvEnd(n uint32) {
	r := &c.recv
	if n-r.start > RingSize || int32(n-r.end) <= 0 {
		return
	}
	n = r.start + min(n-r.start, c.m.window)
	if int32(n-r.end) <= 0 {
		return
	}
	r.reserve(n - r.start)
	r.end = n
}

// takeLossless stores a lossless packet and delivers what is now in order.
func (c *Conn) takeLossless(now time.Time, n uint32, data []byte) error {
	r := &c.recv
	if !c.ackPending {
		c.ackPending, c.ackDue = true, now.Add(AckDelay)
	}
	off := n - r.start
	if off >= c.m.window {
		if int32(off) < 0 {
			c.stats.Duplicates++
			return fmt.Errorf("%w: %d already delivered", ErrDuplicate, n)
		}
		return fmt.Errorf("%w: %d is %d past buffer_start", ErrWindow, n, off)
	}
	if off < r.span() && r.at(n).data != nil {
		c.stats.Duplicates++
		return fmt.Errorf("%w: %d", ErrDuplicate, n)
	}
	if off != 0 {
		r.reserve(off + 1)
		r.at(n).data = append([]byte(nil), data...)
		if off >= r.span() {
			r.end = n + 1
		}
		return nil
	}
	// In order: deliver straight from the packet, then whatever it freed.
	if r.start == r.end {
		r.end++
	}
	r.start++
	c.deliver(data)
	for c.state != StateClosed && r.start != r.end {
		sl := r.at(r.start)
		if sl.data == nil {
			break
		}
		d := sl.data
		sl.data = nil
		r.start++
		c.deliver(d)
	}
	r.shrink()
	return nil
}

func (c *Conn) deliver(data []byte) {
	c.stats.Delivered++
	if c.m.cfg.OnLossless != nil {
		c.m.cfg.OnLossless(c, data)
	}
}
