package tcprelay

import (
	"context"
	"fmt"
	"time"
)

// loop owns the Session. It takes frames from the reader, commands from
// the API, and the ping timer; it seals frames into the writer's queue
// only when that queue has room, so it never blocks on the relay, and
// keeps events in a bounded backlog, so it never blocks on the user
// either (reading from the relay pauses instead). Answers to the relay
// (pong) and our pings wait in one slot each when the queue is full and
// go before any command.
func (c *Client) loop(sess *Session) {
	var (
		err     error
		backlog []Event
		pong    Packet // at most one answer waiting, the newest (as c-toxcore)
		ping    Packet
		armed   time.Time
	)
	timer := c.clock.NewTimer(time.Hour)
	defer func() {
		timer.Stop()
		c.stop(err)
	}()

	tick := func() error {
		p, err := sess.Tick(c.clock.Now())
		if p != nil {
			ping = p
		}
		return err
	}
	if err = tick(); err != nil {
		return
	}
	for {
		// Control packets first, while there is room.
		for _, slot := range []*Packet{&pong, &ping} {
			if *slot == nil || !c.hasRoom() {
				continue
			}
			if err = c.seal(sess, *slot); err != nil {
				return
			}
			*slot = nil
		}
		if d, ok := sess.NextDeadline(); ok && !d.Equal(armed) {
			timer.Reset(d.Sub(c.clock.Now()))
			armed = d
		}

		var (
			inC  <-chan inFrame
			cmdC <-chan command
			evC  chan<- Event
			head Event
		)
		if len(backlog) < c.evCap {
			inC = c.in
		}
		if pong == nil && ping == nil && c.hasRoom() {
			cmdC = c.cmds
		}
		if len(backlog) > 0 {
			evC, head = c.events, backlog[0]
		}

		select {
		case f := <-inC:
			if f.err != nil {
				err = f.err
				return
			}
			ev, reply, rerr := sess.Receive(*f.body)
			putFrame(f.body)
			c.ignored.Store(sess.Ignored())
			c.answered.Store(sess.Answered())
			if rerr != nil {
				err = rerr
				return
			}
			if reply != nil {
				pong = reply
			}
			if ev != nil {
				backlog = append(backlog, ev)
			}
		case evC <- head:
			backlog[0] = nil
			backlog = backlog[1:]
		case cmd := <-cmdC:
			cmd.res <- c.seal(sess, cmd.pkt)
		case <-c.room:
		case <-timer.C():
			armed = time.Time{}
			if err = tick(); err != nil {
				return
			}
		case werr := <-c.wrErr:
			err = werr
			return
		case <-c.closing:
			err = ErrClosed
			c.goodbye(sess)
			return
		case <-c.life.Done():
			err = fmt.Errorf("%w: %w", ErrClosed, context.Cause(c.life))
			c.goodbye(sess)
			return
		}
	}
}

// hasRoom reports whether the writer's queue can take a frame now. The
// loop is its only sender, so the answer holds until it sends.
func (c *Client) hasRoom() bool { return len(c.out) < cap(c.out) }

// seal seals p into a frame and queues it; the caller checked hasRoom.
func (c *Client) seal(sess *Session, p Packet) error {
	buf := getFrame()
	b, err := sess.Seal(*buf, p)
	if err != nil {
		putFrame(buf)
		return err
	}
	*buf = b
	c.out <- buf
	return nil
}

// goodbye is the graceful end: a disconnect notification for every id we
// hold (as far as the queue has room), then the writer flushes the queue,
// for at most CloseFlushTimeout.
func (c *Client) goodbye(sess *Session) {
	for _, id := range sess.Held() {
		if !c.hasRoom() {
			break
		}
		if c.seal(sess, &DisconnectNotification{ConnID: id}) != nil {
			break
		}
	}
	close(c.drain)
	t := c.clock.NewTimer(CloseFlushTimeout)
	defer t.Stop()
	select {
	case <-c.wrDone:
	case <-t.C():
	}
}

// stop ends the connection: it makes the reader and writer exit, waits
// for them, then closes Events and Done.
func (c *Client) stop(err error) {
	c.err = err
	close(c.quit)
	c.conn.Close()
	c.wg.Wait()
	close(c.events)
	close(c.done)
}
