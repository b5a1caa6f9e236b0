package dht

import (
	"net/netip"
	"time"

	"parley/net/key"
	"parley/net/wire"
)

// Lookup parameters. c-toxcore has no iterative lookup (its lists converge
// by themselves); this one is Kademlia's, on the Tox get-nodes exchange.
const (
	// LookupAlpha is the number of target questions a lookup keeps in
	// flight.
	LookupAlpha = 3
	// LookupK is the default number of closest nodes a lookup returns.
	LookupK = 8
	// lookupAttempts is how many get-nodes a lookup sends one node about
	// the target before giving up on it: with 5% loss each way, a live node
	// is then missed once in 10^5 times.
	lookupAttempts = 5
	// lookupRetry is the wait before asking again. Earlier questions stay
	// valid for PingTimeout, so a late answer to any of them counts; after
	// the last one the lookup waits the full PingTimeout.
	lookupRetry = 1000 * time.Millisecond
	// lookupWidth bounds the candidates kept, in multiples of k.
	lookupWidth = 4
)

type candState uint8

const (
	candFresh candState = iota
	candInFlight
	candAnswered
	candFailed
)

type candidate struct {
	node     wire.Node
	state    candState
	attempts uint8
	deadline stamp // of the question in flight
}

// lookup is one iterative search for the k nodes closest to target.
type lookup struct {
	id       uint32
	target   key.PublicKey
	k        int
	done     func(now time.Time, closest []wire.Node)
	cands    []candidate // sorted by distance to target
	inFlight int         // target questions in flight
	crawl    crawl       // the second phase (crawl.go)
}

// Lookup starts an iterative search for the k nodes closest to target
// (k <= 0 means LookupK).
//
// It asks the closest nodes it knows, LookupAlpha at a time, for nodes
// closer to target; a node that does not answer is asked again every
// second, 5 times in all, and given up PingTimeout after the last question.
// A reply holds only 4 nodes and a node never lists itself, so
// well-informed nodes hide the 6th to 8th closest from each other. Once the
// k closest have all answered, the lookup therefore crawls the part of the
// key space closer to target than the k-th node (crawl.go): it asks the
// nodes nearest each piece for the nodes in it, and splits a piece in two
// whenever a reply comes back full.
//
// The search ends when the k closest nodes not given up have all answered
// and the crawl has nothing left to ask or wait for; done is then called
// once, from HandlePacket or Tick, with the k closest nodes that answered,
// closest first. Our own key is never among them. A lookup that starts
// with no known node finishes on the next Tick with nothing.
func (d *DHT) Lookup(now time.Time, target key.PublicKey, k int, done func(now time.Time, closest []wire.Node)) {
	d.at(now)
	if k <= 0 {
		k = LookupK
	}
	d.lookupSeq++
	if d.lookupSeq == 0 {
		d.lookupSeq = 1
	}
	l := &lookup{id: d.lookupSeq, target: target, k: k, done: done}
	for _, n := range d.closest(&target, k*lookupWidth, true) {
		l.add(n)
	}
	d.lookups = append(d.lookups, l)
	d.stats.LookupsStarted++
	if len(l.cands) == 0 {
		d.lookupWake(d.now)
		return
	}
	d.step(l)
}

// add inserts a node we have not seen, keeping the candidates sorted and
// bounded.
func (l *lookup) add(n wire.Node) {
	pos := len(l.cands)
	for i := range l.cands {
		if l.cands[i].node.PK == n.PK {
			return
		}
		if pos == len(l.cands) && key.Distance(&l.target, &n.PK, &l.cands[i].node.PK) < 0 {
			pos = i
		}
	}
	max := l.k * lookupWidth
	if pos >= max {
		return
	}
	if len(l.cands) < max {
		l.cands = append(l.cands, candidate{})
	} else if l.cands[max-1].state == candInFlight {
		l.inFlight-- // pushed out while waiting: its answer is ignored
	}
	copy(l.cands[pos+1:], l.cands[pos:len(l.cands)-1])
	l.cands[pos] = candidate{node: n}
}

// addReplied adds the usable nodes of a reply, except ourselves.
func (d *DHT) addReplied(l *lookup, nodes []wire.Node) {
	for _, n := range nodes {
		if n.PK != d.self && usable(n.Addr) {
			n.Addr = normalize(n.Addr)
			l.add(n)
		}
	}
}

// step asks the k closest candidates not given up about the target (at
// most LookupAlpha in flight), starts the crawl once they have all
// answered, and finishes the lookup when nothing is left to ask or wait
// for.
func (d *DHT) step(l *lookup) {
	seen, waiting := 0, false
	for i := range l.cands {
		c := &l.cands[i]
		if c.state == candFailed {
			continue
		}
		if seen++; seen > l.k {
			break
		}
		switch c.state {
		case candInFlight:
			waiting = true
		case candFresh:
			if l.inFlight < LookupAlpha {
				if d.ask(l, c); c.state == candFailed {
					seen--
					continue
				}
			}
			waiting = true
		}
	}
	if !waiting && !l.crawl.started {
		d.startCrawl(l)
	}
	if !waiting && l.crawl.started && l.crawl.open == 0 {
		d.finish(l)
	}
}

// ask sends one get-nodes for the lookup's target.
func (d *DHT) ask(l *lookup, c *candidate) {
	c.attempts++
	if !d.getNodesTagged(c.node.Addr, &c.node.PK, &l.target, l.id, 0) {
		c.state = candFailed
		return
	}
	if c.state != candInFlight {
		c.state = candInFlight
		l.inFlight++
	}
	c.deadline = retryDeadline(d.now, c.attempts, lookupAttempts)
	d.lookupWake(c.deadline)
}

// retryDeadline is when to ask again (or, after the last attempt, give up).
func retryDeadline(now stamp, attempts uint8, max int) stamp {
	if int(attempts) >= max {
		return now.after(PingTimeout)
	}
	return now.after(lookupRetry)
}

func (d *DHT) lookupWake(t stamp) {
	if d.lookupsDue == 0 || t < d.lookupsDue {
		d.lookupsDue = t
	}
}

// lookupAnswered records a send-nodes reply to one of a lookup's
// questions: q is 0 for a target question, else the crawl question's
// number.
func (d *DHT) lookupAnswered(id uint32, q uint16, pk key.PublicKey, src netip.AddrPort, nodes []wire.Node) {
	l := d.lookupByID(id)
	if l == nil {
		return
	}
	if q != 0 {
		d.crawlAnswered(l, q, nodes)
		d.step(l)
		return
	}
	for i := range l.cands {
		c := &l.cands[i]
		if c.node.PK == pk {
			if c.state == candInFlight {
				c.state = candAnswered
				c.node.Addr = src
				l.inFlight--
				d.crawlRecheck(l)
			}
			break
		}
	}
	d.addReplied(l, nodes)
	d.step(l)
}

func (d *DHT) lookupByID(id uint32) *lookup {
	for _, l := range d.lookups {
		if l.id == id {
			return l
		}
	}
	return nil
}

// tickLookups retries or gives up on questions past their deadline and
// finishes lookups that have nothing left to do.
func (d *DHT) tickLookups() {
	d.lookupsDue = 0
	for _, l := range append([]*lookup(nil), d.lookups...) {
		for i := range l.cands {
			c := &l.cands[i]
			if c.state != candInFlight || c.deadline > d.now {
				continue
			}
			if int(c.attempts) < lookupAttempts {
				if d.ask(l, c); c.state == candFailed {
					l.inFlight--
				}
				continue
			}
			c.state = candFailed
			l.inFlight--
		}
		d.crawlTimeouts(l)
		d.step(l)
	}
	for _, l := range d.lookups {
		for i := range l.cands {
			if c := &l.cands[i]; c.state == candInFlight {
				d.lookupWake(c.deadline)
			}
		}
		for i := range l.crawl.qs {
			if q := &l.crawl.qs[i]; q.open {
				d.lookupWake(q.deadline)
			}
		}
	}
}

// finish removes the lookup and reports the k closest that answered.
func (d *DHT) finish(l *lookup) {
	for i, m := range d.lookups {
		if m == l {
			d.lookups = append(d.lookups[:i], d.lookups[i+1:]...)
			break
		}
	}
	var out []wire.Node
	for i := range l.cands {
		if l.cands[i].state == candAnswered && len(out) < l.k {
			out = append(out, l.cands[i].node)
		}
	}
	d.stats.LookupsDone++
	if l.done != nil {
		l.done(d.timeOf(d.now), out)
	}
}
