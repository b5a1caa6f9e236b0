package dht

import (
	"time"

	"parley/net/key"
)

// Tick does all periodic work that is due: at most once per second the
// keep-alives, random get-nodes, to_bootstrap queues, the ping queue and
// NAT pings of c-toxcore's do_dht (§3.5), and lookup timeouts whenever one
// is due. It returns at once when nothing is due.
func (d *DHT) Tick(now time.Time) {
	n := d.at(now)
	if d.lookupsDue != 0 && d.lookupsDue <= n {
		d.tickLookups()
	}
	if d.due != 0 && n < d.due {
		return
	}
	if d.lastDo != 0 && n < d.lastDo.after(TickInterval) {
		return
	}
	d.doDHT()
}

// NextDeadline returns when Tick next has work: the next run of the
// periodic work (at most GetNodeInterval after the last one) or the next
// lookup timeout. It may be in the past, meaning "now".
func (d *DHT) NextDeadline() time.Time {
	t := d.due
	if t == 0 || t < d.lastDo.after(TickInterval) {
		t = d.lastDo.after(TickInterval)
	}
	if d.lookupsDue != 0 && d.lookupsDue < t {
		t = d.lookupsDue
	}
	return d.timeOf(t)
}

// doDHT is one run of the periodic work; it computes when the next run has
// something to do.
func (d *DHT) doDHT() {
	d.lastDo = d.now
	d.due = d.lastDo.after(GetNodeInterval) // an upper bound, lowered below
	for _, n := range d.toBootstrap {
		d.getNodes(n.Addr, &n.PK, &d.self)
	}
	d.toBootstrap = d.toBootstrap[:0]
	alive := d.doList(&d.self, d.closeSlots(), &d.closeLastGN, &d.closeBoots)
	if alive == 0 {
		d.reviveClose()
	}
	for _, f := range d.friends {
		for _, n := range f.toBootstrap {
			d.getNodes(n.Addr, &n.PK, &f.pk)
		}
		f.toBootstrap = f.toBootstrap[:0]
		d.doList(&f.pk, [][]client{f.clients[:]}, &f.lastGN, &f.boots)
	}
	d.doNAT()
	d.pingQueued()
	d.pending.shrink(d.now)
	if len(d.toPing) > 0 {
		d.wake(d.lastToPing.after(TimeToPing))
	}
}

// wake makes the next run happen by t (but not within a second of the last).
func (d *DHT) wake(t stamp) {
	if min := d.lastDo.after(TickInterval); t < min {
		t = min
	}
	if t < d.due {
		d.due = t
	}
}

// closeSlots returns the allocated close-list buckets as slices.
func (d *DHT) closeSlots() [][]client {
	out := make([][]client, 0, 16)
	for _, b := range d.close {
		if b != nil {
			out = append(out, b[:])
		}
	}
	return out
}

// doList keeps one list alive (c-toxcore do_ping_and_sendnode_requests):
// every association not past KillNodeTimeout gets a get-nodes for the
// list's key every PingInterval, and one random good node is asked every
// GetNodeInterval (every run for the first MaxBootstrapTimes). It returns
// the number of associations still alive.
func (d *DHT) doList(base *key.PublicKey, lists [][]client, lastGN *stamp, boots *int) int {
	now := d.now
	alive, good := 0, 0
	for _, list := range lists {
		for i := range list {
			c := &list[i]
			if c.empty() {
				continue
			}
			for _, a := range [2]*assoc{&c.v6, &c.v4} {
				if !a.alive(now) {
					continue
				}
				alive++
				if a.pinged.expired(now, PingInterval) {
					d.getNodes(a.addr, &c.pk, base)
					a.pinged = now
				}
				d.wake(a.pinged.after(PingInterval))
				d.wake(a.seen.after(KillNodeTimeout))
				if a.good(now) {
					good++
				}
			}
		}
	}
	if good == 0 {
		return alive
	}
	if *boots < MaxBootstrapTimes || lastGN.expired(now, GetNodeInterval) {
		pick := d.rng.intn(good)
	find:
		for _, list := range lists {
			for i := range list {
				c := &list[i]
				if c.empty() {
					continue
				}
				for _, a := range [2]*assoc{&c.v6, &c.v4} {
					if !a.alive(now) || !a.good(now) {
						continue
					}
					if pick == 0 {
						d.getNodes(a.addr, &c.pk, base)
						break find
					}
					pick--
				}
			}
		}
		*lastGN = now
		*boots++
	}
	if *boots < MaxBootstrapTimes {
		d.wake(now.after(TickInterval))
	} else {
		d.wake(lastGN.after(GetNodeInterval))
	}
	return alive
}

// reviveClose handles a close list whose every node is past
// KillNodeTimeout: we would be mute, so all are made merely bad and get
// queried again (c-toxcore do_Close).
func (d *DHT) reviveClose() {
	badOnly := d.now - stamp(BadNodeTimeout)
	d.eachClose(func(c *client) {
		for _, a := range [2]*assoc{&c.v6, &c.v4} {
			if a.seen != 0 {
				a.seen = badOnly
			}
		}
		d.wake(d.now.after(TickInterval))
	})
}
