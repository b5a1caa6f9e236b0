package tcprelay

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"sync"
	"time"
)

const (
	// readBuffer is the reader's buffer: many small frames per read call.
	readBuffer = 64 << 10
	// maxBatch frames are written with one writev.
	maxBatch = 32
)

// framePool holds buffers big enough for any frame with its length.
var framePool = sync.Pool{New: func() any {
	b := make([]byte, 0, FrameHeaderSize+MaxFrameSize)
	return &b
}}

func getFrame() *[]byte { p := framePool.Get().(*[]byte); *p = (*p)[:0]; return p }

func putFrame(p *[]byte) { framePool.Put(p) }

// readLoop reads frame bodies and hands them to the loop, in order, and
// finally the error that ended the stream. It exits on that error or when
// the loop stops (quit); the loop then closes conn, which ends a read in
// progress.
func (c *Client) readLoop() {
	defer c.wg.Done()
	br := bufio.NewReaderSize(c.conn, readBuffer)
	var hdr [FrameHeaderSize]byte
	for {
		f := c.readFrame(br, hdr[:])
		select {
		case c.in <- f:
		case <-c.quit:
			if f.body != nil {
				putFrame(f.body)
			}
			return
		}
		if f.err != nil {
			return
		}
	}
}

func (c *Client) readFrame(br *bufio.Reader, hdr []byte) inFrame {
	if _, err := io.ReadFull(br, hdr); err != nil {
		return inFrame{err: fmt.Errorf("%w: %w", ErrRelayClosed, err)}
	}
	n, err := ParseFrameHeader(hdr)
	if err != nil {
		return inFrame{err: fmt.Errorf("%w: %w", ErrProtocol, err)}
	}
	p := getFrame()
	*p = (*p)[:n]
	if _, err := io.ReadFull(br, *p); err != nil {
		putFrame(p)
		return inFrame{err: fmt.Errorf("%w: %w", ErrRelayClosed, err)}
	}
	c.framesIn.Add(1)
	c.bytesIn.Add(uint64(FrameHeaderSize + n))
	return inFrame{body: p}
}

// writeLoop writes sealed frames from the bounded queue, gathering what is
// queued into one writev (at most maxBatch frames and the pacing budget).
// It tells the loop when it has freed room, and exits on a write error
// (reported on wrErr) or when the loop stops.
//
// Pacing: at most c.burst bytes go out per PaceInterval (see
// DefaultMaxBurst for why). On drain (a graceful Close) it writes whatever
// is still queued, paced as ever, then exits; the loop is no longer
// sending, so the queue is final.
func (c *Client) writeLoop() {
	defer c.wg.Done()
	defer close(c.wrDone)
	batch := make([]*[]byte, 0, maxBatch)
	bufs := make(net.Buffers, 0, maxBatch)
	var (
		draining bool
		pending  *[]byte // taken from the queue, over the batch's budget
		start    time.Time
		spent    int
	)
	for {
		batch = batch[:0]
		n := 0
		if pending != nil {
			batch, n, pending = append(batch, pending), len(*pending), nil
		} else if p, ok := c.nextFrame(&draining); ok {
			batch, n = append(batch, p), len(*p)
		} else {
			return
		}
		limit := c.burst
		if c.burst > 0 {
			now := c.clock.Now()
			if start.IsZero() || now.Sub(start) >= PaceInterval {
				start, spent = now, 0
			}
			if spent > 0 && spent+n > c.burst {
				if !c.waitUntil(start.Add(PaceInterval)) {
					return
				}
				start, spent = c.clock.Now(), 0
			}
			limit = c.burst - spent
		}
	gather:
		for len(batch) < maxBatch && (limit <= 0 || n < limit) {
			select {
			case p := <-c.out:
				if limit > 0 && n+len(*p) > limit {
					pending = p
					break gather
				}
				batch = append(batch, p)
				n += len(*p)
			default:
				break gather
			}
		}
		spent += n
		select {
		case c.room <- struct{}{}:
		default:
		}
		bufs = bufs[:0]
		for _, p := range batch {
			bufs = append(bufs, *p)
		}
		wb := bufs // WriteTo consumes its receiver
		_, err := wb.WriteTo(c.conn)
		for i, p := range batch {
			putFrame(p)
			batch[i] = nil
		}
		if err != nil {
			if pending != nil {
				putFrame(pending)
			}
			select {
			case c.wrErr <- fmt.Errorf("%w: %w", ErrRelayClosed, err):
			default:
			}
			return
		}
		c.framesOut.Add(uint64(len(batch)))
		c.bytesOut.Add(uint64(n))
	}
}

// nextFrame waits for the next frame to write. It returns false when the
// writer should exit: the loop stopped, or a drain found the queue empty.
func (c *Client) nextFrame(draining *bool) (*[]byte, bool) {
	for {
		if *draining {
			select {
			case p := <-c.out:
				return p, true
			default:
				return nil, false
			}
		}
		select {
		case p := <-c.out:
			return p, true
		case <-c.drain:
			*draining = true
		case <-c.quit:
			return nil, false
		}
	}
}

// waitUntil waits on the client's clock until t; false if the loop
// stopped first.
func (c *Client) waitUntil(t time.Time) bool {
	d := t.Sub(c.clock.Now())
	if d <= 0 {
		return true
	}
	timer := c.clock.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C():
		return true
	case <-c.quit:
		return false
	}
}
