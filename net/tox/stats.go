package tox

import (
	"context"
	"errors"
	"time"

	"parley/net/dht"
	"parley/net/key"
	"parley/net/onion"
	"parley/net/session"
	"parley/net/transport"
	"parley/net/wire"
)

// dropCounts counts packets the state machines rejected, by reason.
type dropCounts map[string]uint64

func (d dropCounts) count(err error) {
	reason := "other"
	switch {
	case errors.Is(err, wire.ErrShort):
		reason = "short"
	case errors.Is(err, wire.ErrLong):
		reason = "long"
	case errors.Is(err, wire.ErrMalformed):
		reason = "malformed"
	case errors.Is(err, wire.ErrDecrypt):
		reason = "decrypt"
	case errors.Is(err, wire.ErrKind):
		reason = "kind"
	case errors.Is(err, errDisabled):
		reason = "disabled"
	}
	d[reason]++
}

// Stats is a snapshot of a node's counters.
type Stats struct {
	Transport  transport.Stats
	DHT        dht.Stats
	Onion      onion.Stats
	Sessions   session.Stats
	GoodNodes  int
	Connected  SelfConnection
	InboxDrops uint64
	Drops      map[string]uint64 // rejected by the state machines, by reason
}

// Stats returns a snapshot taken on the node loop.
func (n *Node) Stats(ctx context.Context) (Stats, error) {
	var s Stats
	err := n.Do(ctx, func(now time.Time) {
		s.DHT = n.dht.Stats()
		s.Onion = n.onion.Stats()
		if n.sessions != nil {
			s.Sessions = n.sessions.Stats()
		}
		s.GoodNodes = n.dht.GoodNodes(now)
		s.Connected = SelfConnection{DHT: n.dht.Connected(now), Onion: n.onion.Connected(now)}
		s.Drops = make(map[string]uint64, len(n.drops))
		for k, v := range n.drops {
			s.Drops[k] = v
		}
	})
	s.Transport = n.tr.Stats()
	s.InboxDrops = n.inboxDrops.Load()
	return s, err
}

// Bootstrap asks node for the nodes closest to us, as tox_bootstrap.
func (n *Node) Bootstrap(ctx context.Context, node wire.Node) error {
	return n.Do(ctx, func(now time.Time) {
		if n.cfg.DisableUDP {
			n.addHop(node)
			return
		}
		n.dht.Bootstrap(now, node.Addr, node.PK)
	})
}

// Nodes returns the good nodes of the close list (for the last-good cache).
func (n *Node) Nodes(ctx context.Context) ([]wire.Node, error) {
	var out []wire.Node
	err := n.Do(ctx, func(now time.Time) { out = n.dht.Nodes(now) })
	return out, err
}

// Lookup finds the k nodes closest to target with an iterative search.
func (n *Node) Lookup(ctx context.Context, target key.PublicKey, k int) ([]wire.Node, error) {
	res := make(chan []wire.Node, 1)
	err := n.Do(ctx, func(now time.Time) {
		n.dht.Lookup(now, target, k, func(_ time.Time, closest []wire.Node) { res <- closest })
	})
	if err != nil {
		return nil, err
	}
	select {
	case r := <-res:
		return r, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-n.done:
		return nil, ErrClosed
	}
}
