package tox

import (
	"context"
	"time"

	"parley/net/key"
	"parley/net/tcprelay"
	"parley/net/wire"
)

// TCP relay connections (tox-protocol.md §9). The node keeps connections
// to up to MaxTCPRelays of the relays it knows (Config.TCPRelays first,
// then relays friends announced), plus one relay of each friend it shares
// none with, up to maxRelayConns in all. Each connection attempt runs in
// goroutines of its own (runRelay): the tcprelay.Client, a forwarder of
// its events into the node loop and a writer that feeds it the loop's
// sends. The loop owns all the state below; every goroutine exits when the
// client ends or the node closes (Close cancels relayCtx and waits).
const (
	// MaxTCPRelays relays are kept connected for ourselves, as c-toxcore's
	// RECOMMENDED_FRIEND_TCP_CONNECTIONS (3).
	MaxTCPRelays = 3
	// maxRelayConns bounds the connections, friends' relays included.
	maxRelayConns = 6
	// relayRetryMin and relayRetryMax bound the backoff between attempts
	// to the same relay (doubling from the first).
	relayRetryMin = 5 * time.Second
	relayRetryMax = 2 * time.Minute
	// relaySendQueue packets may wait for a relay's writer; more are
	// dropped, as a full UDP socket buffer drops them.
	relaySendQueue = 256
	// maxLearnedRelays bounds the relays remembered from friends.
	maxLearnedRelays = 32
)

// relay is one relay the node connects to, or wants to.
type relay struct {
	node     wire.Node
	link     *relayLink // the current attempt; nil between attempts
	failures int
	retryAt  time.Time
}

// relayLink is one connection attempt: dialing until client is set.
type relayLink struct {
	relay     *relay
	client    *tcprelay.Client                  // set once up
	out       chan relayCmd                     // the loop's sends, to the writer
	ids       map[key.PublicKey]tcprelay.ConnID // routes the relay gave, by peer DHT key
	online    map[key.PublicKey]bool            // peers online on it
	requested map[key.PublicKey]bool            // routing requests sent
}

// relayCmd is one send for a relay's writer.
type relayCmd struct {
	route bool // a routing request for pk
	oob   bool // an OOB packet to pk
	onion bool // an onion request (nonce, data)
	nonce key.Nonce
	pk    key.PublicKey
	id    tcprelay.ConnID
	data  []byte
}

// relayMsg is what a relay's goroutines tell the loop: the client is up,
// it ended (err), or an event.
type relayMsg struct {
	link  *relayLink
	up    *tcprelay.Client
	ended bool
	err   error
	ev    tcprelay.Event
}

// up reports whether the relay's connection is established.
func (r *relay) up() bool { return r.link != nil && r.link.client != nil }

// addRelay remembers a relay (from the config or a friend); it reports
// whether it is known now.
func (n *Node) addRelay(nd wire.Node) *relay {
	if !nd.TCP || !nd.Addr.IsValid() || nd.PK.IsZero() {
		return nil
	}
	if r := n.relays[nd.PK]; r != nil {
		return r
	}
	if len(n.relayOrder) >= len(n.cfg.TCPRelays)+maxLearnedRelays {
		return nil
	}
	r := &relay{node: nd}
	n.relays[nd.PK] = r
	n.relayOrder = append(n.relayOrder, r)
	return r
}

// maintainRelays starts connections: to the first MaxTCPRelays known
// relays that are not backing off, and to the relays friends need.
func (n *Node) maintainRelays(now time.Time) {
	if n.sessions == nil || len(n.relayOrder) == 0 {
		return
	}
	active := 0
	for _, r := range n.relays {
		if r.link != nil {
			active++
		}
	}
	want := map[*relay]bool{}
	count := 0
	for _, r := range n.relayOrder {
		if count == MaxTCPRelays {
			break
		}
		if r.link != nil || !now.Before(r.retryAt) {
			want[r] = true
			count++
		}
	}
	for _, r := range n.friendRelaysNeeded(now) {
		want[r] = true
	}
	for r := range want {
		if r.link == nil && active < maxRelayConns && !now.Before(r.retryAt) {
			n.dialRelay(r)
			active++
		}
	}
}

// dialRelay starts an attempt at r.
func (n *Node) dialRelay(r *relay) {
	l := &relayLink{
		relay:     r,
		out:       make(chan relayCmd, relaySendQueue),
		ids:       map[key.PublicKey]tcprelay.ConnID{},
		online:    map[key.PublicKey]bool{},
		requested: map[key.PublicKey]bool{},
	}
	r.link = l
	n.relayWG.Add(1)
	go n.runRelay(l, r.node)
}

// runRelay dials the relay, then forwards the client's events to the loop
// and the loop's sends to the client until either ends.
func (n *Node) runRelay(l *relayLink, nd wire.Node) {
	defer n.relayWG.Done()
	ctx := n.relayCtx
	c, err := tcprelay.Dial(ctx, tcprelay.Config{Self: n.keys, Relay: nd, Dial: n.dialTCP, Clock: n.clock})
	if err != nil {
		n.toLoop(ctx, relayMsg{link: l, ended: true, err: err})
		return
	}
	if !n.toLoop(ctx, relayMsg{link: l, up: c}) {
		c.Close()
		return
	}
	wrote := make(chan struct{})
	go func() { // the writer: exits when the client ends
		defer close(wrote)
		for {
			select {
			case cmd := <-l.out:
				n.relayDo(ctx, c, cmd)
			case <-c.Done():
				return
			}
		}
	}()
	for ev := range c.Events() {
		if !n.toLoop(ctx, relayMsg{link: l, ev: ev}) {
			break
		}
	}
	c.Close()
	<-wrote
	n.toLoop(ctx, relayMsg{link: l, ended: true, err: c.Err()})
}

// relayDo runs one send on the writer goroutine; failures are like lost
// datagrams (the protocols above resend).
func (n *Node) relayDo(ctx context.Context, c *tcprelay.Client, cmd relayCmd) {
	var err error
	switch {
	case cmd.route:
		err = c.RoutingRequest(ctx, cmd.pk)
	case cmd.oob:
		err = c.SendOOB(ctx, cmd.pk, cmd.data)
	case cmd.onion:
		err = c.SendOnion(ctx, tcprelay.OnionRequest{Nonce: cmd.nonce, Payload: cmd.data})
	default:
		err = c.Send(ctx, cmd.id, cmd.data)
	}
	if err != nil {
		n.relayDrops.Add(1)
	}
}

// toLoop hands m to the loop; false once the node is closing.
func (n *Node) toLoop(ctx context.Context, m relayMsg) bool {
	select {
	case n.relayIn <- m:
		return true
	case <-ctx.Done():
		return false
	}
}

// relayQueue queues cmd for the relay's writer without blocking.
func (n *Node) relayQueue(l *relayLink, cmd relayCmd) bool {
	select {
	case l.out <- cmd:
		return true
	default:
		n.relayDrops.Add(1)
		return false
	}
}

// onRelayMsg runs on the loop.
func (n *Node) onRelayMsg(now time.Time, m relayMsg) {
	r := m.link.relay
	if r.link != m.link {
		return // a finished attempt
	}
	switch {
	case m.up != nil:
		m.link.client = m.up
		r.failures = 0
		n.cfg.Logf("tox: TCP relay %v up", r.node)
		for _, p := range n.peers { // announce the new relay to offline friends now
			p.onionSent, p.dhtSent = time.Time{}, time.Time{}
		}
		n.routeFriends(now)
	case m.ended:
		if m.link.client != nil {
			n.cfg.Logf("tox: TCP relay %v down: %v", r.node, m.err)
		}
		r.link = nil
		r.failures++
		r.retryAt = now.Add(min(relayRetryMin<<min(r.failures-1, 8), relayRetryMax))
	case m.ev != nil:
		n.onRelayEvent(now, m.link, m.ev)
	}
}

// connectedRelays lists the relays whose connection is up, in order.
func (n *Node) connectedRelays() []wire.Node {
	var out []wire.Node
	for _, r := range n.relayOrder {
		if r.up() {
			out = append(out, r.node)
		}
	}
	return out
}
