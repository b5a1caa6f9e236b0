package cli

import (
	"context"
	"time"

	"parley/net/friend"
	"parley/net/key"
	"parley/net/profile"
	"parley/net/tox"
)

// Friend states as this protocol names them.
const friendOnline = friend.StateOnline

func friendState(s friend.State) string {
	switch s {
	case friend.StateAdded, friend.StateRequested:
		return "requested" // our request is out (or about to be resent)
	case friend.StateConfirmed:
		return "offline"
	case friend.StateOnline:
		return "online"
	}
	return s.String()
}

// encodeEvent translates a core event into its JSON line; ok is false for
// events the protocol does not show (internal housekeeping).
func encodeEvent(e tox.Event) (o object, ok bool) {
	switch e := e.(type) {
	case tox.SelfConnection:
		return event("self_connection", field{"dht", e.DHT}, field{"onion", e.Onion}), true
	case tox.FriendConnection:
		o = event("friend_connection", field{"public_key", e.Friend.String()}, field{"connected", e.Connected})
		if e.Connected && e.Addr != "" {
			o = append(o, field{"addr", e.Addr})
		}
		return o, true
	case tox.FriendEvent:
		return encodeFriendEvent(e.Event)
	case tox.OutboxChanged:
		return append(event("outbox"), outboxFields(e.Entry)...), true
	}
	return nil, false
}

func encodeFriendEvent(e friend.Event) (object, bool) {
	switch e := e.(type) {
	case tox.FriendRequest:
		return event("friend_request", field{"public_key", e.From.String()}, field{"message", e.Message}), true
	case tox.MessageReceived:
		return event("message", field{"public_key", e.Friend.String()}, field{"text", e.Text},
			field{"action", e.Kind == tox.MessageAction}), true
	case tox.Receipt:
		return event("receipt", field{"public_key", e.Friend.String()}, field{"message_id", e.ID}), true
	case tox.ReceiptsLost:
		return event("receipts_lost", field{"public_key", e.Friend.String()}, field{"message_ids", e.IDs}), true
	case tox.FriendOnline:
		return event("friend_online", field{"public_key", e.Friend.String()}), true
	case tox.FriendOffline:
		return event("friend_offline", field{"public_key", e.Friend.String()}), true
	case tox.NameChanged:
		return event("name", field{"public_key", e.Friend.String()}, field{"name", e.Name}), true
	case tox.StatusMessageChanged:
		return event("status_message", field{"public_key", e.Friend.String()}, field{"status_message", e.Message}), true
	case tox.UserStatusChanged:
		return event("status", field{"public_key", e.Friend.String()}, field{"status", statusName(e.Status)}), true
	case tox.TypingChanged:
		return event("typing", field{"public_key", e.Friend.String()}, field{"typing", e.Typing}), true
	}
	return nil, false // ConnectionDead, RelaysShared: the node handles them
}

// onEvent writes an event and keeps what it tells about friends; a change
// worth keeping (a friend's name, status message or user status) is saved.
func (h *headless) onEvent(ctx context.Context, e tox.Event) {
	if sc, ok := e.(tox.SelfConnection); ok {
		if sc == h.lastSelf {
			return // already reported (see checkSelfConnection)
		}
		h.lastSelf = sc
	}
	if fe, ok := e.(tox.FriendEvent); ok {
		switch fe := fe.Event.(type) {
		case tox.FriendOnline:
			if h.online[fe.Friend] {
				return // already reported (see checkFriendsOnline)
			}
			if h.online == nil {
				h.online = make(map[key.PublicKey]bool)
			}
			h.online[fe.Friend] = true
		case tox.FriendOffline:
			delete(h.online, fe.Friend)
		}
	}
	if o, ok := encodeEvent(e); ok {
		_ = h.out.write(o)
	}
	if fe, ok := e.(tox.FriendEvent); ok && h.note(fe.Event, time.Now()) {
		h.save(ctx)
	}
}

// note updates a friend's record; it reports whether the profile changed.
func (h *headless) note(e friend.Event, now time.Time) (changed bool) {
	update := func(pk key.PublicKey, fn func(*profile.Friend) bool) bool {
		rec, ok := h.seen[pk]
		if !ok {
			rec = profile.Friend{PublicKey: pk, Status: profile.FriendConfirmed}
		}
		changed := fn(&rec)
		h.seen[pk] = rec
		return changed
	}
	switch e := e.(type) {
	case tox.NameChanged:
		return update(e.Friend, func(r *profile.Friend) bool { c := r.Name != e.Name; r.Name = e.Name; return c })
	case tox.StatusMessageChanged:
		return update(e.Friend, func(r *profile.Friend) bool {
			c := r.StatusMessage != e.Message
			r.StatusMessage = e.Message
			return c
		})
	case tox.UserStatusChanged:
		return update(e.Friend, func(r *profile.Friend) bool {
			s := profile.UserStatus(e.Status)
			c := r.UserStatus != s
			r.UserStatus = s
			return c
		})
	case tox.FriendOnline:
		update(e.Friend, func(r *profile.Friend) bool { r.LastSeen = uint64(now.Unix()); return false })
	case tox.FriendOffline:
		update(e.Friend, func(r *profile.Friend) bool { r.LastSeen = uint64(now.Unix()); return false })
	}
	return false
}

// record is the saved record of a friend, or a new one from what the node
// knows.
func (h *headless) record(fi tox.FriendInfo) profile.Friend {
	if rec, ok := h.seen[fi.PK]; ok {
		return rec
	}
	return profile.Friend{
		PublicKey:     fi.PK,
		Name:          fi.Name,
		StatusMessage: fi.StatusMessage,
		UserStatus:    profile.UserStatus(fi.UserStatus),
	}
}

// syncProfile copies the node's state into the profile before a save: the
// friend list (saved order first, new friends after, each with its last
// seen name and status) and the good DHT nodes for a fast next start.
func (h *headless) syncProfile(ctx context.Context) error {
	infos, err := h.node.Friends(ctx)
	if err != nil {
		return err
	}
	good, err := h.node.Nodes(ctx)
	if err != nil {
		return err
	}
	p := h.store.prof
	now := uint64(time.Now().Unix())
	byPK := make(map[key.PublicKey]tox.FriendInfo, len(infos))
	for _, fi := range infos {
		byPK[fi.PK] = fi
	}
	out := make([]profile.Friend, 0, len(infos))
	add := func(fi tox.FriendInfo) {
		rec := h.record(fi)
		switch fi.State {
		case friend.StateAdded:
			rec.Status = profile.FriendAdded
		case friend.StateRequested:
			rec.Status = profile.FriendRequested
		default:
			rec.Status = profile.FriendConfirmed
		}
		if rec.Status < profile.FriendConfirmed {
			rec.RequestMessage, rec.RequestNospam = fi.RequestMessage, fi.RequestNospam
		}
		if fi.State == friendOnline {
			rec.LastSeen = now
		}
		h.seen[fi.PK] = rec
		out = append(out, rec)
		delete(byPK, fi.PK)
	}
	for _, f := range p.Friends {
		if fi, ok := byPK[f.PublicKey]; ok {
			add(fi)
		}
	}
	for _, fi := range infos {
		if _, ok := byPK[fi.PK]; ok {
			add(fi)
		}
	}
	p.Friends = out
	if len(good) > 0 { // keep the previous nodes rather than none
		p.DHTNodes = good[:min(len(good), maxSavedNodes)]
	}
	return nil
}
