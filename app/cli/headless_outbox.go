package cli

import (
	"context"

	"parley/net/key"
	"parley/net/tox"
)

// queue stores a message in the outbox (durably, before the reply) and
// sends it as soon as the friend is online: the command for messages that
// must not be lost, whether or not the friend is online now.
func (h *headless) queue(ctx context.Context, c command) ([]field, error) {
	pk, kind, text, err := messageArgs(c)
	if err != nil {
		return nil, err
	}
	id, err := h.node.Queue(ctx, pk, kind, text)
	if err != nil {
		return nil, err
	}
	return []field{{"public_key", pk.String()}, {"outbox_id", uint64(id)}}, nil
}

// outboxList shows the outbox: every friend's, or one friend's with
// "public_key".
func (h *headless) outboxList(ctx context.Context, c command) ([]field, error) {
	var pk key.PublicKey
	if c.PublicKey != "" {
		p, err := parsePeerKey(c.PublicKey)
		if err != nil {
			return nil, err
		}
		pk = p
	}
	entries, err := h.node.Outbox(ctx, pk)
	if err != nil {
		return nil, err
	}
	list := make([]object, 0, len(entries))
	for _, e := range entries {
		list = append(list, object(outboxFields(e)))
	}
	return []field{{"messages", list}}, nil
}

func outboxFields(e tox.OutboxEntry) []field {
	return []field{
		{"outbox_id", uint64(e.ID)},
		{"public_key", e.Friend.String()},
		{"text", e.Text},
		{"action", e.Kind == tox.MessageAction},
		{"state", e.State.String()},
		{"parts", e.Parts},
		{"acked", e.Acked},
	}
}
