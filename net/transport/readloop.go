package transport

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"time"

	"parley/net/wire"
)

// readLoop is the Transport's only goroutine. It exits when the socket is
// closed, or after maxReadFailures consecutive read errors.
func (t *Transport) readLoop() {
	defer close(t.done)
	// One buffer, reused for every datagram: handlers may not keep pkt.
	// One byte more than the largest legal packet, so that a longer datagram
	// (truncated by the kernel to len(buf)) is recognised and dropped.
	buf := make([]byte, wire.MaxUDPPacketSize+1)
	failures := 0
	for {
		n, src, err := t.conn.ReadFromUDPAddrPort(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			t.stats.readErrors.Add(1)
			failures++
			if failures == 1 {
				t.logf("transport: read error (will retry): %v", err)
			}
			if failures >= maxReadFailures {
				t.loopErr = fmt.Errorf("%w: %d consecutive errors, last: %w", ErrReadFailed, failures, err)
				t.logf("transport: giving up: %v", t.loopErr)
				return
			}
			if !t.pause() {
				return
			}
			continue
		}
		failures = 0
		t.receive(src, buf[:n])
	}
}

// pause waits retryDelay between failed reads; it reports false if the
// Transport is closed meanwhile.
func (t *Transport) pause() bool {
	if t.retryDelay <= 0 {
		return true
	}
	timer := time.NewTimer(t.retryDelay)
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-t.closing:
		return false
	}
}

// receive checks one datagram and dispatches it on its first byte.
func (t *Transport) receive(src netip.AddrPort, pkt []byte) {
	c := &t.stats
	c.received.Add(1)
	c.receivedBytes.Add(uint64(len(pkt)))
	switch {
	case len(pkt) == 0:
		c.drops[DropEmpty].Add(1)
		return
	case len(pkt) > wire.MaxUDPPacketSize:
		c.drops[DropOversize].Add(1)
		return
	}
	kind := pkt[0]
	c.byKind[kind].Add(1)
	h := t.table[kind]
	if h == nil {
		c.drops[DropUnknownKind].Add(1)
		return
	}
	c.dispatched.Add(1)
	// A dual-stack socket reports IPv4 peers as ::ffff:a.b.c.d; handlers,
	// node lists and friend tables all want the 4-byte form.
	if src.Addr().Is4In6() {
		src = netip.AddrPortFrom(src.Addr().Unmap(), src.Port())
	}
	h(src, pkt)
}
