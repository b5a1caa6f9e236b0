package tox

import (
	"context"
	"errors"
	"time"

	"parley/net/friend"
	"parley/net/key"
	"parley/net/outbox"
)

// Re-exported outbox types.
type (
	OutboxID    = outbox.ID
	OutboxEntry = outbox.Entry
	OutboxState = outbox.State
)

// Outbox message states.
const (
	OutboxQueued    = outbox.StateQueued
	OutboxSent      = outbox.StateSent
	OutboxDelivered = outbox.StateDelivered
)

// ErrNoOutbox: Queue and Outbox need Config.OutboxPath.
var ErrNoOutbox = errors.New("tox: no outbox configured")

// OutboxChanged reports a queued message's new state: queued (stored, or
// back to waiting after a lost link), sent, or delivered (every part
// receipted). Entry.Acked counts receipted parts.
type OutboxChanged struct{ Entry OutboxEntry }

func (OutboxChanged) toxEvent() {}

// outboxState is the node loop's outbox: the file (nil without
// Config.OutboxPath), the receiver's seen set when there is no file, and
// the hint each friend sent last.
type outboxState struct {
	box   *outbox.Outbox
	mem   *outbox.Queue // seen set without a file
	hints map[key.PublicKey]MsgIDHint
	dups  uint64 // resent parts dropped
}

// openOutbox opens Config.OutboxPath, before the loop starts.
func (n *Node) openOutbox() error {
	n.ob.hints = map[key.PublicKey]MsgIDHint{}
	if n.cfg.OutboxPath == "" {
		n.ob.mem = outbox.NewQueue(0)
		return nil
	}
	box, err := outbox.Open(n.cfg.OutboxPath, outbox.Options{Rand: n.cfg.Rand})
	if err != nil {
		return err
	}
	n.ob.box = box
	return nil
}

// closeOutbox closes the file after the loop ended.
func (n *Node) closeOutbox() error {
	if n.ob.box == nil {
		return nil
	}
	return n.ob.box.Close()
}

// Queue stores a message to friend pk in the outbox (it is on disk when
// Queue returns) and sends it now if the friend is online, otherwise when
// it comes online. Messages to a friend arrive in the order queued; a part
// not receipted when the link drops is resent, with the same message id
// hint so that a Parley receiver drops it if it had it already.
func (n *Node) Queue(ctx context.Context, pk key.PublicKey, kind MessageKind, text string) (OutboxID, error) {
	var id OutboxID
	err := n.call(ctx, func(now time.Time) error {
		if err := n.client(); err != nil {
			return err
		}
		if n.ob.box == nil {
			return ErrNoOutbox
		}
		if !n.friends.IsFriend(pk) {
			return friend.ErrNotFriend
		}
		var err error
		if id, err = n.ob.box.Enqueue(now, pk, kind, text); err != nil {
			return err
		}
		n.publishOutbox(id)
		n.flushOutbox(now, pk)
		return nil
	})
	return id, err
}

// Outbox lists friend pk's queued messages (every friend's when pk is
// zero) in order: undelivered ones, and delivered ones until the file is
// next compacted.
func (n *Node) Outbox(ctx context.Context, pk key.PublicKey) ([]OutboxEntry, error) {
	var out []OutboxEntry
	err := n.call(ctx, func(time.Time) error {
		if n.ob.box == nil {
			return ErrNoOutbox
		}
		out = n.ob.box.List(pk)
		return nil
	})
	return out, err
}

func (n *Node) publishOutbox(id OutboxID) {
	for _, e := range n.ob.box.List(key.PublicKey{}) {
		if e.ID == id {
			n.subs.publish(OutboxChanged{Entry: e})
			return
		}
	}
}

// flushOutbox sends friend pk's pending parts, each after its hint, in
// order, until the link refuses one (the rest goes on the next try).
func (n *Node) flushOutbox(now time.Time, pk key.PublicKey) {
	if n.ob.box == nil || !n.friends.Online(pk) {
		return
	}
	c := n.sessions.Conn(pk)
	if c == nil {
		return
	}
	var last OutboxID
	for _, p := range n.ob.box.Pending(pk) {
		h := MsgIDHint{MsgID: p.MsgID, Part: p.Index}
		pkt, err := h.AppendBinary(nil)
		if err != nil {
			return
		}
		if _, err := c.SendLossless(now, pkt); err != nil {
			break
		}
		ids, err := n.friends.SendMessage(now, pk, p.Kind, p.Text)
		if err != nil || len(ids) != 1 {
			break // a part is one packet; the refused one goes next time
		}
		if err := n.ob.box.MarkSent(p.ID, p.Index, ids[0]); err != nil {
			n.cfg.Logf("tox: outbox: %v", err)
			break
		}
		if last != 0 && last != p.ID {
			n.publishOutbox(last)
		}
		last = p.ID
	}
	if last != 0 {
		n.publishOutbox(last)
	}
}

// outboxEvent is the outbox's share of the friend layer's events.
func (n *Node) outboxEvent(now time.Time, e friend.Event) {
	if n.ob.box == nil {
		if off, ok := e.(friend.FriendOffline); ok {
			delete(n.ob.hints, off.Friend)
		}
		return
	}
	switch e := e.(type) {
	case friend.FriendOnline:
		n.flushOutbox(now, e.Friend)
	case friend.FriendOffline:
		delete(n.ob.hints, e.Friend)
		before := n.ob.box.List(e.Friend)
		n.ob.box.LinkLost(e.Friend)
		for i, a := range n.ob.box.List(e.Friend) {
			if a.State != before[i].State {
				n.subs.publish(OutboxChanged{Entry: a})
			}
		}
	case friend.Receipt:
		ent, ok, err := n.ob.box.Receipt(e.ID)
		if err != nil {
			n.cfg.Logf("tox: outbox: storing a receipt: %v", err)
		}
		if ok {
			n.subs.publish(OutboxChanged{Entry: ent})
		}
	}
}

// tickOutbox retries parts a full link refused.
func (n *Node) tickOutbox(now time.Time) {
	if n.ob.box == nil {
		return
	}
	for pk := range n.peers {
		n.flushOutbox(now, pk)
	}
}

// outboxLossless handles a message id hint and drops a message part the
// hint names as delivered before. It returns true when it consumed data.
func (n *Node) outboxLossless(pk key.PublicKey, data []byte) bool {
	if len(data) > 0 && data[0] == PacketMsgIDHint {
		h, err := ParseMsgIDHint(data)
		if err != nil {
			n.drops.count(err)
			delete(n.ob.hints, pk)
			return true
		}
		n.ob.hints[pk] = h
		return true
	}
	h, ok := n.ob.hints[pk]
	if !ok {
		return false
	}
	delete(n.ob.hints, pk) // a hint names the next packet only
	if len(data) == 0 || (data[0] != friend.IDMessage && data[0] != friend.IDAction) || !n.friends.Online(pk) {
		return false
	}
	if n.ob.box != nil {
		if n.ob.box.Seen(pk, h.MsgID, h.Part) {
			n.ob.dups++
			return true
		}
		if err := n.ob.box.MarkSeen(pk, h.MsgID, h.Part); err != nil {
			n.cfg.Logf("tox: outbox: storing a seen message id: %v", err)
		}
		return false
	}
	if n.ob.mem.Seen(pk, h.MsgID, h.Part) {
		n.ob.dups++
		return true
	}
	n.ob.mem.Apply(outbox.Record{Type: outbox.RecSeen, Friend: pk, MsgID: h.MsgID, Part: h.Part})
	return false
}
