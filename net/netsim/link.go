package netsim

import (
	"fmt"
	"net/netip"
	"time"
)

// Link is the behaviour of the path between two addresses in one direction.
// The zero Link is a perfect network: no loss, no delay, no MTU but
// MaxDatagram.
//
// For each packet the network applies, in this order and with draws from
// its seeded generator only for non-zero probabilities: MTU (drop if
// longer), Loss (drop), then schedules the copy after Delay + a uniform
// draw in [0, Jitter], plus ReorderDelay with probability Reorder; then with
// probability Duplicate a second copy is scheduled with its own jitter and
// reorder draws.
type Link struct {
	// Loss is the probability in [0, 1] that a packet is dropped.
	Loss float64
	// Duplicate is the probability in [0, 1] that a surviving packet is
	// delivered twice.
	Duplicate float64
	// Reorder is the probability in [0, 1] that a packet is held back by
	// ReorderDelay, so that packets sent shortly after it overtake it.
	Reorder float64

	// Delay is the fixed one-way latency.
	Delay time.Duration
	// Jitter adds a uniform random delay in [0, Jitter].
	Jitter time.Duration
	// ReorderDelay is the extra delay of a held-back packet; 0 means
	// max(Delay, 1ms).
	ReorderDelay time.Duration

	// MTU is the largest payload the link carries; longer packets are
	// dropped (Stats.MTUDropped). 0 means MaxDatagram.
	MTU int
}

func (l Link) validate() error {
	for _, p := range []float64{l.Loss, l.Duplicate, l.Reorder} {
		if !(p >= 0 && p <= 1) { // also rejects NaN
			return fmt.Errorf("netsim: link probability %v outside [0, 1]", p)
		}
	}
	if l.Delay < 0 || l.Jitter < 0 || l.ReorderDelay < 0 || l.MTU < 0 {
		return fmt.Errorf("netsim: negative link parameter in %+v", l)
	}
	return nil
}

func (l *Link) mtu() int {
	if l.MTU == 0 || l.MTU > MaxDatagram {
		return MaxDatagram
	}
	return l.MTU
}

func (l *Link) reorderDelay() int64 {
	if l.ReorderDelay > 0 {
		return int64(l.ReorderDelay)
	}
	return int64(max(l.Delay, time.Millisecond))
}

// linkKey names one direction between two addresses.
type linkKey struct{ from, to netip.Addr }

// SetDefaultLink sets the behaviour of every pair without its own link.
// It panics if l has a probability outside [0, 1] or a negative field.
func (n *Network) SetDefaultLink(l Link) {
	mustValid(l)
	n.mu.Lock()
	defer n.mu.Unlock()
	n.deflink = l
}

// SetLink sets the behaviour between a and b in both directions. Addresses
// are the ones on the wire: a host behind a NAT is reached, and sends, on
// its NAT's public address (its private address only within its own NAT).
// It panics like SetDefaultLink.
func (n *Network) SetLink(a, b netip.Addr, l Link) {
	n.SetLinkOneWay(a, b, l)
	n.SetLinkOneWay(b, a, l)
}

// SetLinkOneWay sets the behaviour of packets from `from` to `to` only.
// It panics like SetDefaultLink.
func (n *Network) SetLinkOneWay(from, to netip.Addr, l Link) {
	mustValid(l)
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.links == nil {
		n.links = make(map[linkKey]*Link)
	}
	n.links[linkKey{from.Unmap(), to.Unmap()}] = &l
}

// ResetLink makes both directions between a and b follow the default link
// again.
func (n *Network) ResetLink(a, b netip.Addr) {
	n.mu.Lock()
	defer n.mu.Unlock()
	a, b = a.Unmap(), b.Unmap()
	delete(n.links, linkKey{a, b})
	delete(n.links, linkKey{b, a})
}

func mustValid(l Link) {
	if err := l.validate(); err != nil {
		panic(err)
	}
}

// linkFor returns the link from one wire address to another. n.mu is held.
func (n *Network) linkFor(from, to netip.Addr) *Link {
	if len(n.links) != 0 {
		if l, ok := n.links[linkKey{from, to}]; ok {
			return l
		}
	}
	return &n.deflink
}

// delay draws one copy's delay on l and whether it was held back. n.mu is
// held.
func (n *Network) delay(l *Link) (d int64, held bool) {
	d = int64(l.Delay)
	if l.Jitter > 0 {
		d += n.rng.Int64N(int64(l.Jitter) + 1)
	}
	if l.Reorder > 0 && n.rng.Float64() < l.Reorder {
		d += l.reorderDelay()
		held = true
	}
	return d, held
}
