package dht

import (
	"fmt"
	"net/netip"

	"parley/net/key"
)

// natState is a friend's hole-punching state (tox-protocol.md §4.2).
type natState struct {
	punching   bool   // a NAT ping response arrived: punch on the next run
	index      uint32 // punching_index: where port guessing resumes
	index2     uint32 // punching_index2: the upward sweep from 1024
	tries      uint32
	punchedAt  stamp  // punching_timestamp
	recvPingAt stamp  // recv_nat_ping_timestamp: a request from the friend
	pingSentAt stamp  // nat_ping_timestamp
	pingID     uint64 // nat_ping_id, renewed when answered
}

// friendIPs returns the friend's addresses as the nodes of its list
// report them (fresh within BadNodeTimeout): the IPv6 ones or the IPv4
// ones, whichever are more. It returns nothing when the friend answers us
// directly (c-toxcore friend_iplist).
func (d *DHT) friendIPs(f *friend) []netip.AddrPort {
	var v4, v6 []netip.AddrPort
	for i := range f.clients {
		c := &f.clients[i]
		if c.empty() {
			continue
		}
		if c.pk == f.pk && c.good(d.now) {
			return nil
		}
		if c.v4.retFresh(d.now) {
			v4 = append(v4, c.v4.ret)
		}
		if c.v6.retFresh(d.now) {
			v6 = append(v6, c.v6.ret)
		}
	}
	if len(v6) >= len(v4) {
		return v6
	}
	return v4
}

// doNAT sends NAT pings to friends that several nodes see but that do not
// answer us directly, and punches holes toward those that answered one
// (c-toxcore do_NAT).
func (d *DHT) doNAT() {
	now := d.now
	for _, f := range d.friends {
		ips := d.friendIPs(f)
		if len(ips) < FriendListSize/2 {
			continue
		}
		if f.nat.pingSentAt.after(PunchInterval) < now {
			d.sendNATPing(f, NATPingRequest, f.nat.pingID)
			f.nat.pingSentAt = now
		}
		d.wake(f.nat.pingSentAt.after(PunchInterval) + 1)
		n := &f.nat
		if !n.punching || n.punchedAt.after(PunchInterval) >= now || n.recvPingAt.after(2*PunchInterval) < now {
			continue
		}
		ip, ok := commonIP(ips, FriendListSize/2)
		if !ok {
			continue
		}
		if n.punchedAt.after(PunchResetTime) < now {
			n.tries, n.index, n.index2 = 0, 0, 0
		}
		var ports []uint16
		for _, a := range ips {
			if a.Addr() == ip {
				ports = append(ports, a.Port())
			}
		}
		if !d.cfg.DisableHolePunching {
			d.punch(f, ip, ports)
		}
		n.punchedAt = now
		n.punching = false
	}
}

// commonIP returns the IP that appears at least min times in ips.
func commonIP(ips []netip.AddrPort, min int) (netip.Addr, bool) {
	for _, a := range ips {
		n := 0
		for _, b := range ips {
			if a.Addr() == b.Addr() {
				n++
			}
		}
		if n >= min {
			return a.Addr(), true
		}
	}
	return netip.Addr{}, false
}

// punch pings the friend at the port everyone reports, or at 48 guesses
// around the reported ports, and after MaxNormalPunchingTries also at 48
// ports of an upward sweep from 1024 (c-toxcore punch_holes).
func (d *DHT) punch(f *friend, ip netip.Addr, ports []uint16) {
	n := &f.nat
	if len(ports) == 0 || len(ports) > FriendListSize {
		return
	}
	same := true
	for _, p := range ports {
		same = same && p == ports[0]
	}
	if same {
		d.sendPing(netip.AddrPortFrom(ip, ports[0]), &f.pk)
	} else {
		np := uint32(len(ports))
		for i := uint32(0); i < MaxPunchingPorts; i++ {
			it := i + n.index
			delta := uint16(it / (2 * np))
			port := ports[(it/2)%np]
			if it%2 != 0 {
				port -= delta
			} else {
				port += delta
			}
			d.sendPing(netip.AddrPortFrom(ip, port), &f.pk)
		}
		n.index += MaxPunchingPorts
	}
	if n.tries > MaxNormalPunchingTries {
		for i := uint32(0); i < MaxPunchingPorts; i++ {
			d.sendPing(netip.AddrPortFrom(ip, uint16(1024+i+n.index2)), &f.pk)
		}
		n.index2 += MaxPunchingPorts / 2
	}
	n.tries++
}

// sendNATPing routes a NAT ping to the friend: a request through every
// node that sees it, a response through one (§4.2).
func (d *DHT) sendNATPing(f *friend, typ byte, id uint64) bool {
	m := NATPing{Type: typ, ID: id}
	data, err := m.AppendBinary(make([]byte, 0, NATPingSize))
	if err != nil {
		return false
	}
	pkt, err := d.NewRequest(d.timeOf(d.now), f.pk, SubtypeNATPing, data)
	if err != nil {
		d.logf("dht: NAT ping: %v", err)
		return false
	}
	if typ == NATPingRequest {
		sent := false
		for _, addr := range d.reporters(f) {
			d.transmit(addr, append([]byte(nil), pkt...))
			sent = true
		}
		return sent
	}
	return d.routeOne(f, pkt)
}

// handleNATPing answers a NAT ping request from a friend and, on a
// response to our current id, arms hole punching (c-toxcore handle_NATping).
func (d *DHT) handleNATPing(src netip.AddrPort, sender key.PublicKey, data []byte) error {
	m, err := ParseNATPing(data)
	if err != nil {
		return err
	}
	f := d.friendOf(&sender)
	if f == nil {
		return fmt.Errorf("%w: NAT ping from %s", ErrNotFriend, sender.Short())
	}
	switch m.Type {
	case NATPingRequest:
		d.sendNATPing(f, NATPingResponse, m.ID)
		f.nat.recvPingAt = d.now
		d.soon()
		return nil
	default:
		if m.ID != f.nat.pingID {
			return fmt.Errorf("%w: NAT ping response with a stale id", ErrUnsolicited)
		}
		if id, err := d.rng.uint64(); err == nil {
			f.nat.pingID = id
		}
		f.nat.punching = true
		d.soon()
		return nil
	}
}
