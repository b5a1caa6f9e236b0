package netsim

import (
	"net/netip"
	"time"
)

// Stats counts packets by fate since the network was created. Every copy
// handed to the network (Sent + Duplicated) ends in exactly one of
// Delivered, Lost, MTUDropped, NoRoute, NATFiltered or QueueDropped, or is
// still InFlight.
type Stats struct {
	Sent        uint64 // packets handed to Send or WriteToUDPAddrPort
	Delivered   uint64 // copies handed to a receive callback or Conn queue
	Lost        uint64 // copies dropped by Link.Loss
	Duplicated  uint64 // extra copies made by Link.Duplicate
	Reordered   uint64 // copies held back by Link.Reorder
	NoRoute     uint64 // copies for an address nobody (or a closed host) owns
	NATFiltered uint64 // copies a NAT refused: no live mapping, filtered, or ports exhausted
	MTUDropped  uint64 // copies longer than the link MTU
	QueueDrop   uint64 // copies dropped because a Conn's receive queue was full
	InFlight    uint64 // copies scheduled but not yet arrived
}

// Fate is what happened to one packet copy.
type Fate uint8

// Fates, one per TraceEvent.
const (
	Delivered   Fate = iota + 1 // handed to the receiver
	Lost                        // dropped by Link.Loss
	MTUDropped                  // longer than the link MTU
	NoRoute                     // no live host at the destination
	NATFiltered                 // refused by the destination's NAT
	QueueDrop                   // the receiving Conn's queue was full
)

var fateNames = [...]string{
	Delivered: "delivered", Lost: "lost", MTUDropped: "mtu-dropped",
	NoRoute: "no-route", NATFiltered: "nat-filtered", QueueDrop: "queue-drop",
}

// String names the fate.
func (f Fate) String() string {
	if int(f) < len(fateNames) && fateNames[f] != "" {
		return fateNames[f]
	}
	return "fate(?)"
}

// TraceEvent records the end of one packet copy: Lost and MTUDropped at
// send time, the other fates when the copy reaches its destination address.
type TraceEvent struct {
	Sent time.Time // when the packet was sent
	At   time.Time // when this fate happened

	From netip.AddrPort // the sending host's own (maybe private) address
	Src  netip.AddrPort // source on the wire, after the sender's NAT; what the receiver sees
	Dst  netip.AddrPort // destination as the sender addressed it
	To   netip.AddrPort // the receiving host after the destination's NAT; zero unless Delivered or QueueDrop

	Fate Fate
	Dup  bool // the extra copy made by Link.Duplicate
	Held bool // held back by Link.Reorder

	// Data is the packet. It is valid only during the trace call.
	Data []byte
}

// Trace installs fn to be called for every packet copy's fate (nil
// removes it). fn is called with the network's lock held, in the order the
// fates happen: it must be quick and must not call back into the Network
// or its hosts and conns.
func (n *Network) Trace(fn func(TraceEvent)) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.trace = fn
}

// Stats returns a snapshot of the packet counters.
func (n *Network) Stats() Stats {
	n.mu.Lock()
	defer n.mu.Unlock()
	s := n.stats
	s.InFlight = uint64(n.q.packets)
	return s
}

// fate counts a copy's end and traces it. n.mu is held.
func (n *Network) fate(f Fate, now int64, ev *event, to netip.AddrPort) {
	switch f {
	case Delivered:
		n.stats.Delivered++
	case Lost:
		n.stats.Lost++
	case MTUDropped:
		n.stats.MTUDropped++
	case NoRoute:
		n.stats.NoRoute++
	case NATFiltered:
		n.stats.NATFiltered++
	case QueueDrop:
		n.stats.QueueDrop++
	}
	if n.trace == nil {
		return
	}
	n.trace(TraceEvent{
		Sent: n.timeAt(ev.sent), At: n.timeAt(now),
		From: ev.from.addr, Src: ev.src, Dst: ev.dst, To: to,
		Fate: f, Dup: ev.dup, Held: ev.held, Data: ev.pkt,
	})
}
